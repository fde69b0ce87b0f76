/**
 * What the command line of an operation looks like, read off the endpoint's schemas: path parameters
 * become positional arguments, query parameters and the top-level scalar fields of a struct body
 * become `--kebab-case` flags, and a body field holding files (the core's `FilePart`) becomes a flag
 * taking a file path. Nothing here is written per endpoint.
 *
 * @since 0.1.0
 */
import type * as Endpoint from "@org/dixa-core/Endpoint"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"
import { kebab } from "./Catalog.js"

/** The kind of value a flag carries, as far as the command line cares. */
export type Kind =
  | { readonly _tag: "string" }
  | { readonly _tag: "number" }
  | { readonly _tag: "boolean" }
  | { readonly _tag: "choice"; readonly values: ReadonlyArray<string> }
  | { readonly _tag: "list" }
  /** A path to a file whose bytes are sent (multipart); `many` when the flag may be repeated. */
  | { readonly _tag: "file"; readonly many: boolean }
  | { readonly _tag: "other" }

/** One flag of an action. */
export interface Flag {
  /** The flag without dashes, e.g. `display-name`. */
  readonly flag: string
  /** The field it fills, e.g. `displayName`. */
  readonly field: string
  readonly kind: Kind
  readonly required: boolean
}

/** The whole command line of an action. */
export interface Shape {
  /** Path parameters, in the order they appear in the path. */
  readonly args: ReadonlyArray<string>
  readonly query: ReadonlyArray<Flag>
  readonly body: ReadonlyArray<Flag>
  /** Whether the operation takes a body at all (and so `--input`). */
  readonly hasBody: boolean
  readonly paginated: boolean
  /** Whether it only reads, writes (asks first), or destroys (needs `--yes`); see {@link riskOf}. */
  readonly risk: Risk
}

/** Flags the command line reserves for itself; a field with one of these names gets a `body-` prefix. */
export const reserved: ReadonlySet<string> = new Set([
  "input",
  "limit",
  "all",
  "yes",
  "dry-run",
  "output",
  "help",
  "version",
  "api-key",
  "base-url",
  "sandbox",
  "timeout",
  "profile",
  "debug",
  "columns",
  "fields",
  "wizard",
  "completions",
  "log-level"
])

export { kebab } from "./Catalog.js"

const stripUndefined = (ast: AST.AST): AST.AST => {
  if (AST.isUnion(ast)) {
    const members = ast.types.filter((t) => !AST.isUndefinedKeyword(t))
    if (members.length === 1) return members[0]!
    if (members.length !== ast.types.length) return AST.Union.make(members)
  }
  return ast
}

/** Classifies one side of a schema (already reduced to that side). */
export const kindOf = (input: AST.AST): Kind => {
  const ast = stripUndefined(input)
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return { _tag: "string" }
    case "NumberKeyword":
      return { _tag: "number" }
    case "BooleanKeyword":
      return { _tag: "boolean" }
    case "Literal":
      return typeof ast.literal === "string"
        ? { _tag: "choice", values: [ast.literal] }
        : typeof ast.literal === "number"
        ? { _tag: "number" }
        : typeof ast.literal === "boolean"
        ? { _tag: "boolean" }
        : { _tag: "other" }
    case "Enums":
      return ast.enums.every(([, v]) => typeof v === "string")
        ? { _tag: "choice", values: ast.enums.map(([, v]) => String(v)) }
        : { _tag: "other" }
    case "Refinement":
      return kindOf(ast.from)
    case "Transformation":
      return kindOf(ast.to)
    case "Suspend":
      return kindOf(ast.f())
    case "TupleType":
      return { _tag: "list" }
    case "Union": {
      // `null` is not something to type on a command line: `NullOr(X)` is offered as X.
      const kinds = ast.types.filter((t) => !(AST.isLiteral(t) && t.literal === null)).map(kindOf)
      if (kinds.every((k) => k._tag === "choice")) {
        return { _tag: "choice", values: kinds.flatMap((k) => (k as { values: ReadonlyArray<string> }).values) }
      }
      if (kinds.every((k) => k._tag === "boolean")) return { _tag: "boolean" }
      if (kinds.every((k) => k._tag === "number")) return { _tag: "number" }
      if (kinds.every((k) => k._tag === "string" || k._tag === "choice")) return { _tag: "string" }
      return { _tag: "other" }
    }
    default:
      return { _tag: "other" }
  }
}

/** The identifier the core gives its file schema (`Model.FilePart`). */
export const filePartIdentifier = "FilePart"

/** Whether a schema is a file, by the identifier annotation on either side of it. */
const isFilePart = (ast: AST.AST): boolean => {
  if (Option.getOrUndefined(AST.getIdentifierAnnotation(ast)) === filePartIdentifier) return true
  switch (ast._tag) {
    case "Refinement":
      return isFilePart(ast.from)
    case "Transformation":
      return isFilePart(ast.from) || isFilePart(ast.to)
    case "Suspend":
      return isFilePart(ast.f())
    default:
      return false
  }
}

/**
 * Whether a field holds files: a file, or an array of files (then the flag may be repeated).
 * `undefined` when it holds something else.
 */
export const fileKind = (input: AST.AST): Kind | undefined => {
  const ast = stripUndefined(input)
  if (isFilePart(ast)) return { _tag: "file", many: false }
  switch (ast._tag) {
    case "TupleType":
      return ast.elements.length === 0 && ast.rest.length === 1 && isFilePart(ast.rest[0]!.type)
        ? { _tag: "file", many: true }
        : undefined
    case "Refinement":
      return fileKind(ast.from)
    case "Transformation":
      return fileKind(ast.from) ?? fileKind(ast.to)
    case "Suspend":
      return fileKind(ast.f())
    default:
      return undefined
  }
}

const structFields = (ast: AST.AST): ReadonlyArray<AST.PropertySignature> | undefined => {
  switch (ast._tag) {
    case "TypeLiteral":
      return ast.propertySignatures
    case "Refinement":
      return structFields(ast.from)
    case "Suspend":
      return structFields(ast.f())
    default:
      return undefined
  }
}

/**
 * The body fields that hold files, by name. The identifier may sit on the declared schema, its type side
 * or its encoded side, so all three are read.
 */
const fileFields = (body: AST.AST): ReadonlyMap<string, Kind> => {
  const found = new Map<string, Kind>()
  for (const side of [body, AST.typeAST(body), AST.encodedAST(body)]) {
    for (const ps of structFields(side) ?? []) {
      const kind = typeof ps.name === "string" && !found.has(ps.name) ? fileKind(ps.type) : undefined
      if (kind !== undefined) found.set(ps.name as string, kind)
    }
  }
  return found
}

/**
 * How careful the command line is before running an action:
 * - `read`: GET, and the queries sent as POST (every operation of the `search` and `analytics` groups);
 * - `danger`: every DELETE, every action named like `anonymize`, `downgrade` or `remove`, and every write of the
 *   `anonymization` group; it always needs `--yes`;
 * - `write`: any other operation; it asks first on a terminal, and needs `--yes` off one.
 */
export type Risk = "read" | "write" | "danger"

const queryGroups: ReadonlySet<string> = new Set(["search", "analytics"])

/** The {@link Risk} of an endpoint, from its method, group and name. */
export const riskOf = (endpoint: Endpoint.Any): Risk => {
  if (endpoint.method === "GET" || queryGroups.has(endpoint.group)) return "read"
  const dangerous = endpoint.method === "DELETE" || /anonymi[sz]e|downgrade|remove/i.test(endpoint.name) ||
    endpoint.group === "anonymization"
  return dangerous ? "danger" : "write"
}

/** Reads the command line of an endpoint off its schemas. */
export const shapeOf = (endpoint: Endpoint.Any): Shape => {
  const args = Array.from(endpoint.path.matchAll(/\{([^}]+)\}/g), (m) => m[1]!)
  const taken = new Set<string>(reserved)
  for (const arg of args) taken.add(kebab(arg))

  const query: Array<Flag> = []
  for (const ps of structFields(endpoint.query.ast) ?? []) {
    if (typeof ps.name !== "string") continue
    const flag = kebab(ps.name)
    if (taken.has(flag)) continue
    taken.add(flag)
    // Query values are typed on the decoded side: the encoded side is always a string.
    query.push({ flag, field: ps.name, kind: kindOf(AST.typeAST(ps.type)), required: !ps.isOptional })
  }

  const body: Array<Flag> = []
  const hasBody = endpoint.body !== undefined
  if (hasBody) {
    const ast = (endpoint.body as { ast: AST.AST }).ast
    const files = fileFields(ast)
    for (const ps of structFields(AST.encodedAST(ast)) ?? []) {
      if (typeof ps.name !== "string") continue
      const kind = files.get(ps.name) ?? kindOf(ps.type)
      if (kind._tag === "other" || kind._tag === "list") continue
      let flag = kebab(ps.name)
      if (taken.has(flag)) flag = `body-${flag}`
      if (taken.has(flag)) continue
      taken.add(flag)
      if (kind._tag === "boolean") taken.add(`no-${flag}`)
      body.push({ flag, field: ps.name, kind, required: !ps.isOptional })
    }
  }

  return {
    args,
    query,
    body,
    hasBody,
    paginated: endpoint.response._tag === "Page",
    risk: riskOf(endpoint)
  }
}
