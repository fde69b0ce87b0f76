/**
 * Request bodies hold only the `_type` variants the spec lists, each complete.
 *
 * The core decodes every `_type` union with a catch-all last member, so that a client keeps working when Dixa adds
 * a variant. For a request that is the wrong way round: the sandbox acts on what it knows, and an `Outbound`
 * message without its `agentId` would slip through the catch-all and be stored without an author. So before a
 * handler runs, its body is checked again against the body schema without the catch-all members; what fails is a
 * 400 naming the field, as a body that does not match its `oneOf` is for Dixa.
 */
import { type Endpoint, Wire } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { badRequest } from "../internal/handler.js"
import type { Route } from "../internal/handler.js"

const isCatchAll = (ast: AST.AST) => Option.getOrUndefined(AST.getIdentifierAnnotation(ast)) === "UnknownVariant"

/** The same schema without the catch-all members of its unions; the same node when nothing changes below it. */
const strict = (ast: AST.AST, seen: Map<AST.AST, AST.AST>): AST.AST => {
  const done = seen.get(ast)
  if (done !== undefined) return done
  seen.set(ast, ast)
  const result = rebuild(ast, (child) => strict(child, seen))
  seen.set(ast, result)
  return result
}

const rebuild = (ast: AST.AST, go: (ast: AST.AST) => AST.AST): AST.AST => {
  switch (ast._tag) {
    case "Union": {
      const kept = ast.types.filter((t) => !isCatchAll(t))
      const types = kept.map(go)
      const same = kept.length === ast.types.length && types.every((t, i) => t === ast.types[i])
      return same ? ast : AST.Union.make(types, ast.annotations)
    }
    case "TypeLiteral":
      return typeLiteral(ast, go)
    case "TupleType": {
      const elements = ast.elements.map((e) => new AST.OptionalType(go(e.type), e.isOptional, e.annotations))
      const rest = ast.rest.map((r) => new AST.Type(go(r.type), r.annotations))
      const same = elements.every((e, i) => e.type === ast.elements[i]!.type) &&
        rest.every((r, i) => r.type === ast.rest[i]!.type)
      return same ? ast : new AST.TupleType(elements, rest, ast.isReadonly, ast.annotations)
    }
    case "Refinement": {
      const from = go(ast.from)
      return from === ast.from ? ast : new AST.Refinement(from, ast.filter, ast.annotations)
    }
    case "Transformation": {
      const [from, to] = [go(ast.from), go(ast.to)]
      return from === ast.from && to === ast.to
        ? ast
        : new AST.Transformation(from, to, ast.transformation, ast.annotations)
    }
    case "Suspend":
      return new AST.Suspend(() => go(ast.f()), ast.annotations)
    default:
      return ast
  }
}

const typeLiteral = (ast: AST.TypeLiteral, go: (ast: AST.AST) => AST.AST): AST.AST => {
  const properties = ast.propertySignatures.map((p) =>
    new AST.PropertySignature(p.name, go(p.type), p.isOptional, p.isReadonly, p.annotations)
  )
  const indexes = ast.indexSignatures.map((i) => new AST.IndexSignature(i.parameter, go(i.type), i.isReadonly))
  const same = properties.every((p, i) => p.type === ast.propertySignatures[i]!.type) &&
    indexes.every((x, i) => x.type === ast.indexSignatures[i]!.type)
  return same ? ast : new AST.TypeLiteral(properties, indexes, ast.annotations)
}

type AnySchema = Schema.Schema.AnyNoContext

/** Fails with a 400 naming each field of the body that no listed variant takes. */
const checker = (body: AnySchema) => {
  const narrowed = strict(body.ast, new Map())
  if (narrowed === body.ast) return undefined
  const encode = Schema.encodeEither(body)
  const decode = Schema.decodeUnknownEither(Schema.make<unknown, unknown, never>(narrowed), { errors: "all" })
  return (value: unknown) => {
    // The decoded body goes back to its JSON, which is then read without the catch-alls.
    const json = Either.getOrUndefined(encode(value))
    const checked = json === undefined ? Either.right(undefined) : decode(json)
    if (Either.isRight(checked)) return Effect.void
    const issues = Wire.issuesOf("body", checked.left).map((i) => `${i.path}: ${i.message}`)
    return Effect.fail(badRequest(issues.join("; ")))
  }
}

/** The route with its body checked for unlisted or incomplete variants first (when its body can have any). */
export const strictRoute = (route: Route): Route => {
  const endpoint: Endpoint.Any = route.endpoint
  const check = endpoint.body === undefined ? undefined : checker(endpoint.body as AnySchema)
  if (check === undefined) return route
  return {
    endpoint,
    handler: (input, ctx) =>
      input.body === undefined
        ? route.handler(input, ctx)
        : Effect.zipRight(check(input.body), route.handler(input, ctx))
  }
}
