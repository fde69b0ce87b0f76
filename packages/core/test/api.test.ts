/**
 * The generated API definition against the official spec: every operation mapped once, the spec's own
 * examples decode with our schemas, and the generated files are what the generator writes today.
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { decided } from "../codegen/brands.js"
import { generate } from "../codegen/generate.js"
import { operations } from "../codegen/operations.js"
import * as Api from "../src/Api.js"
import * as Agents from "../src/api/Agents.js"
import * as Conversations from "../src/api/Conversations.js"
import * as EndUsers from "../src/api/EndUsers.js"
import * as Knowledge from "../src/api/Knowledge.js"
import * as Tags from "../src/api/Tags.js"
import * as Teams from "../src/api/Teams.js"
import * as Templates from "../src/api/Templates.js"
import * as Endpoint from "../src/Endpoint.js"
import * as Model from "../src/Model.js"
import * as Wire from "../src/Wire.js"
import * as Spec from "./support/spec.js"

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const endpoint = (id: string): Endpoint.Any => {
  const found = Api.byId.get(id)
  if (found === undefined) throw new Error(`no endpoint ${id}`)
  return found
}

const agent = {
  id: "4d2ab456-8510-4a35-b266-e502160d5177",
  createdAt: "2020-12-16T09:41:43Z",
  displayName: "Alice Brown",
  email: "alice@brown.com"
}

describe("the definition", () => {
  it("has unique ids, one per operation of the table", () => {
    const ids = Api.endpoints.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(Object.values(operations).map((o) => `${o.group}.${o.name}`).sort())
  })

  it("keeps the names the other packages build on", () => {
    const slice = [
      "organization.get",
      ...["list", "get", "create", "createMany", "updateMany", "patchMany", "update", "patch", "delete"].map((a) =>
        `agents.${a}`
      ),
      "agents.listPresence",
      "agents.getPresence",
      "agents.listTeams",
      "agents.setWorkingChannel",
      ...["list", "create", "get", "delete", "activate", "deactivate"].map((a) => `tags.${a}`),
      ...["get", "close", "anonymize", "anonymizeMessage"].map((a) => `conversations.${a}`),
      "anonymization.getRequest"
    ]
    for (const id of slice) expect(Api.byId.has(id), id).toBe(true)
    expect(endpoint("agents.createMany").path).toBe("/beta/agents/bulk")
    expect(endpoint("agents.updateMany").method).toBe("PUT")
    expect(endpoint("agents.patchMany").method).toBe("PATCH")
    expect(endpoint("anonymization.getRequest").path).toBe("/beta/anonymization/request/{requestId}")
  })

  it.effect("decodes a [GMT] date-time, an unknown _type variant, and keeps unknown fields", () =>
    Effect.gen(function*() {
      const request: any = yield* Wire.decodeResponse(endpoint("anonymization.getRequest"), {
        data: {
          id: "062f0b37-4de0-40f2-95a4-641435cb2869",
          entityType: "UserAnonymizationType",
          _type: "User",
          initiatedAt: "2021-12-01T12:46:36.581Z[GMT]",
          targetEntityId: "da9db703-4a7a-4f44-8a6a-c03b179b8ae2",
          requestedBy: "bac5a02c-15b3-44da-ae1e-ab7b9db4aa89"
        }
      })
      expect(DateTime.isDateTime(request.initiatedAt)).toBe(true)
      expect(DateTime.formatIso(request.initiatedAt)).toBe("2021-12-01T12:46:36.581Z")

      const conversation: any = yield* Wire.decodeResponse(endpoint("conversations.get"), {
        data: { id: 7, _type: "CarrierPigeonConversation", pigeon: { name: "Ada" } }
      })
      expect(conversation).toEqual({ id: 7, _type: "CarrierPigeonConversation", pigeon: { name: "Ada" } })

      const known: any = yield* Wire.decodeResponse(endpoint("conversations.get"), {
        data: {
          id: 1,
          requesterId: "d58c8b1c-85ad-4678-a6c8-7442945f3836",
          channel: "WidgetChat",
          createdAt: "2020-12-16T09:41:43Z",
          _type: "ChatConversation",
          mood: "sunny"
        }
      })
      expect(DateTime.isDateTime(known.createdAt)).toBe(true)
      expect(known.mood).toBe("sunny")

      const withExtra: any = yield* Wire.decodeResponse(endpoint("agents.get"), { data: { ...agent, shoeSize: 42 } })
      expect(withExtra.shoeSize).toBe(42)
      expect(withExtra.displayName).toBe("Alice Brown")
    }))

  it.effect("encodes path and query parameters as the spec types them", () =>
    Effect.gen(function*() {
      const conversation = yield* Wire.encodeRequest(endpoint("conversations.get"), { conversationId: 42 })
      expect(conversation.path).toBe("/beta/conversations/42")

      const agents = yield* Wire.encodeRequest(endpoint("agents.list"), { email: "a@b.c", pageLimit: 10 })
      expect(agents.query).toEqual([["email", "a@b.c"], ["pageLimit", "10"]])

      const tags = yield* Wire.encodeRequest(endpoint("tags.list"), { includeDeactivated: true })
      expect(tags.query).toEqual([["includeDeactivated", "true"]])

      const upcoming = yield* Wire.encodeRequest(endpoint("business-hours.getUpcoming"), {
        scheduleId: "a0d559bf-cdf8-4088-841d-f3807b93272e",
        days: 91
      }).pipe(Effect.flip)
      expect(new Set(upcoming.issues.map((i) => i.path))).toEqual(new Set(["query.days"]))

      const badId = yield* Wire.encodeRequest(endpoint("agents.get"), { agentId: "not-a-uuid" }).pipe(Effect.flip)
      expect(new Set(badId.issues.map((i) => i.path))).toEqual(new Set(["path.agentId"]))

      const templates = yield* Wire.encodeRequest(endpoint("templates.list"), { type: "Fax" }).pipe(Effect.flip)
      expect(new Set(templates.issues.map((i) => i.path))).toEqual(new Set(["query.type"]))
    }))

  it("marks the one upload as multipart and everything else as JSON", () => {
    const multipart = Api.endpoints.filter((e) => e.bodyEncoding === "multipart").map((e) => e.id)
    expect(multipart).toEqual(["knowledge.uploadAttachments"])
  })

  it("rejects a known variant that lacks its required fields", () => {
    const result = Effect.runSync(
      Effect.either(Wire.decodeResponse(endpoint("agents.get"), { data: { ...agent, createdAt: "yesterday" } }))
    )
    expect(Either.isLeft(result)).toBe(true)
  })
})

/** The brand a property's schema carries, looking through `optional`, `NullOr` and arrays. */
const brandOf = (ast: AST.AST): string | undefined => {
  // A brand built on another lists both (AgentId is a UserId): the schema's own brand is the last one.
  const brand = AST.getBrandAnnotation(ast)
  if (Option.isSome(brand)) return String(brand.value[brand.value.length - 1])
  if (AST.isUnion(ast)) return ast.types.map(brandOf).find((b) => b !== undefined)
  if (AST.isTupleType(ast) && ast.rest.length === 1) return brandOf(ast.rest[0]!.type)
  return undefined
}

/** `Schema.field` -> brand, for every named struct reachable from the endpoints' bodies and responses. */
const brandedFields = (): { readonly schemas: Set<string>; readonly brands: Map<string, string | undefined> } => {
  const schemas = new Set<string>()
  const brands = new Map<string, string | undefined>()
  const seen = new Set<AST.AST>()
  const walk = (ast: AST.AST): void => {
    if (seen.has(ast)) return
    seen.add(ast)
    switch (ast._tag) {
      case "TypeLiteral": {
        const name = Option.getOrUndefined(AST.getIdentifierAnnotation(ast))
        if (name !== undefined) schemas.add(name)
        for (const p of ast.propertySignatures) {
          if (name !== undefined) brands.set(`${name}.${String(p.name)}`, brandOf(p.type))
          walk(p.type)
        }
        for (const i of ast.indexSignatures) walk(i.type)
        return
      }
      case "Union":
        return ast.types.forEach(walk)
      case "TupleType":
        ast.elements.forEach((e) => walk(e.type))
        return ast.rest.forEach((r) => walk(r.type))
      case "Refinement":
        return walk(ast.from)
      case "Transformation":
        walk(ast.from)
        return walk(ast.to)
      case "Suspend":
        return walk(ast.f())
      default:
        return
    }
  }
  for (const e of Api.endpoints) {
    if (e.body !== undefined) walk(e.body.ast)
    const response = Endpoint.responseBodySchema(e)
    if (response !== undefined) walk(response.ast)
  }
  return { schemas, brands }
}

describe("branded ids", () => {
  it.effect("an id from a decoded response is what the next call takes, with no cast", () =>
    Effect.gen(function*() {
      const created = Schema.decodeUnknownSync(Tags.create.response.schema)({
        id: "5a3e3b4a-6f0d-4b5e-9a59-5a4e1f0c2d11",
        name: "vip",
        state: "Active"
      })
      const next: Endpoint.Input<typeof Tags.get> = { tagId: created.id }
      expect((yield* Wire.encodeRequest(Tags.get, next)).path).toBe("/beta/tags/5a3e3b4a-6f0d-4b5e-9a59-5a4e1f0c2d11")

      // A plain string is not an id: these lines fail `tsc` if they stop being errors.
      // @ts-expect-error a string is not a TagId
      const fromString: Endpoint.Input<typeof Tags.get> = { tagId: "5a3e3b4a-6f0d-4b5e-9a59-5a4e1f0c2d11" }
      // @ts-expect-error a TagId is not a TeamId
      const wrongKind: Endpoint.Input<typeof Teams.get> = { teamId: created.id }
      expect([fromString, wrongKind]).toHaveLength(2)
    }))

  it("types ids across groups (checked by tsc)", () => {
    type Out<E> = Endpoint.Output<E>
    type In<E> = Endpoint.Input<E>
    expectTypeOf<Out<typeof Tags.create>["id"]>().toEqualTypeOf<Model.TagId>()
    expectTypeOf<Out<typeof Teams.create>["id"]>().toEqualTypeOf<In<typeof Teams.get>["teamId"]>()
    expectTypeOf<Endpoint.Item<typeof Agents.list>["id"]>().toEqualTypeOf<Model.AgentId>()
    // Agents are users: an agent's id goes wherever a user's id is asked for, not the other way round.
    expectTypeOf<Model.AgentId>().toMatchTypeOf<Model.UserId>()
    expectTypeOf<Model.UserId>().not.toMatchTypeOf<Model.AgentId>()
    expectTypeOf<Model.AgentId>().toMatchTypeOf<NonNullable<In<typeof Conversations.claim>["body"]>["agentId"]>()
    type ConversationIdInput = In<typeof Conversations.get>["conversationId"]
    expectTypeOf<Out<typeof Conversations.create>["id"]>().toEqualTypeOf<ConversationIdInput>()
    expectTypeOf<Endpoint.Item<typeof EndUsers.list>["id"]>().toEqualTypeOf<In<typeof EndUsers.get>["userId"]>()
    expectTypeOf<Templates.QuickResponse["id"]>().toEqualTypeOf<In<typeof Templates.remove>["templateId"]>()
    expectTypeOf<Out<typeof Knowledge.getArticle>["id"]>().toEqualTypeOf<Model.KnowledgeArticleId>()
    expectTypeOf<string>().not.toMatchTypeOf<Model.TemplateId>()
    expectTypeOf<number>().not.toMatchTypeOf<Model.ConversationId>()
  })

  it("keeps the wire: a uuid id is still checked, an id the spec types as a string is not", () => {
    const decodeTag = Schema.decodeUnknownEither(Tags.get.response.schema)
    expect(Either.isRight(decodeTag({ id: "5a3e3b4a-6f0d-4b5e-9a59-5a4e1f0c2d11", name: "vip", state: "Active" })))
      .toBe(true)
    expect(Either.isLeft(decodeTag({ id: "tag-1", name: "vip", state: "Active" }))).toBe(true)
    const template = Schema.decodeUnknownSync(Templates.QuickResponse)({
      _type: "QuickResponse",
      id: "qr-1",
      name: "Hello",
      content: "Hi there",
      createdBy: "someone",
      createdAt: "2024-01-01T00:00:00Z"
    })
    expect(template.id).toBe("qr-1")
    expect(Schema.encodeSync(Model.looseId(Model.TemplateId))(template.id)).toBe("qr-1")
    expect(AST.getBrandAnnotation(Model.looseId(Model.TemplateId).ast)).toEqual(Option.some(["TemplateId"]))
  })

  it("carries exactly the brands codegen/brands.ts lists", () => {
    const { brands, schemas } = brandedFields()
    let compared = 0
    for (const [field, decision] of decided) {
      if (field.startsWith("parameter ") || !schemas.has(field.slice(0, field.indexOf(".")))) continue
      const expected = decision.startsWith("plain") ? undefined : decision.replace(" over any string", "")
      expect(brands.get(field), field).toBe(expected)
      compared++
    }
    expect(compared).toBeGreaterThan(150)
    const listed = new Map(decided)
    for (const [field, brand] of brands) {
      if (brand !== undefined) expect(listed.get(field)?.startsWith(brand), field).toBe(true)
    }
  })
})

const spec = Spec.loadSpec()

/** The examples of a media type: `example`, or the values of `examples`. */
const examplesOf = (media: Spec.Doc | undefined): Array<[string, unknown]> => {
  if (media === undefined) return []
  const out: Array<[string, unknown]> = []
  if (media["example"] !== undefined) out.push(["example", media["example"]])
  for (const [name, ex] of Object.entries<Spec.Doc>(media["examples"] ?? {})) {
    if (ex?.["value"] !== undefined) out.push([name, ex["value"]])
  }
  return out
}

/** A plausible path parameter value for a spec parameter. */
const samplePathValue = (param: Spec.Doc): string => {
  const schema = param["schema"] ?? {}
  if (schema["type"] === "integer") return "1"
  if (schema["format"] === "uuid") return "062f0b37-4de0-40f2-95a4-641435cb2869"
  return "sample"
}

if (spec === undefined) {
  describe("the definition against the official spec", () => {
    it.skip(Spec.specMissing, () => {})
  })
} else {
  const specOps = Spec.operations(spec)
  const byRoute = new Map(Api.endpoints.map((e) => [`${e.method} ${e.path}`, e]))

  describe("the definition against the official spec", () => {
    it("maps every operationId exactly once, and nothing else", () => {
      const specIds = specOps.map((o) => o.operationId)
      expect(specIds.length).toBe(123)
      expect(new Set(specIds).size).toBe(specIds.length)
      expect(Object.keys(operations).sort()).toEqual([...specIds].sort())
      expect(Api.endpoints.length).toBe(specIds.length)
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)
        expect(e?.id, o.operationId).toBe(`${operations[o.operationId]!.group}.${operations[o.operationId]!.name}`)
        expect(e?.deprecated, o.operationId).toBe(o.op["deprecated"] === true)
      }
    })

    it("declares the spec's statuses", () => {
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)!
        const codes = Object.keys(o.op["responses"]).map(Number)
        expect(e.status, o.operationId).toBe(codes.find((c) => c >= 200 && c < 300))
        expect([...e.errors].sort(), o.operationId).toEqual(codes.filter((c) => c >= 300).sort())
      }
    })

    it("the generated files are what the generator writes now, every time", () => {
      const generated = generate(Spec.specPath)
      expect([...generate(Spec.specPath)]).toEqual([...generated])
      for (const [file, text] of generated) {
        expect(readFileSync(path.resolve(packageRoot, file), "utf8"), file).toBe(text)
      }
    })

    describe("the spec's success examples decode", () => {
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)
        const status = Object.keys(o.op["responses"]).find((c) => c.startsWith("2"))!
        const examples = examplesOf(o.op["responses"][status]?.["content"]?.["application/json"])
        if (e === undefined || examples.length === 0) continue
        it.effect(`${e.id} (${o.operationId})`, () =>
          Effect.gen(function*() {
            for (const [name, example] of examples) {
              const failure = yield* Wire.decodeResponse(e, example).pipe(
                Effect.match({ onFailure: (error) => error.message, onSuccess: () => undefined })
              )
              expect(failure, name).toBeUndefined()
            }
          }))
      }
    })

    describe("the spec's request examples decode", () => {
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)
        const examples = examplesOf(o.op["requestBody"]?.["content"]?.["application/json"])
        if (e === undefined || examples.length === 0) continue
        const pathParams: Record<string, string> = {}
        for (const p of o.op["parameters"] ?? []) if (p["in"] === "path") pathParams[p["name"]] = samplePathValue(p)
        it.effect(`${e.id} (${o.operationId})`, () =>
          Effect.gen(function*() {
            for (const [name, example] of examples) {
              const failure = yield* Wire.decodeRequest(e, {
                pathParams,
                searchParams: new URLSearchParams(),
                bodyText: JSON.stringify(example)
              }).pipe(Effect.match({ onFailure: (error) => error.message, onSuccess: () => undefined }))
              expect(failure, name).toBeUndefined()
            }
          }))
      }
    })
  })
}
