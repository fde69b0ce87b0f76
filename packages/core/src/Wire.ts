/**
 * Moving an operation's input and output across HTTP, in both directions: the client encodes requests
 * and decodes responses; the sandbox and the gateway decode requests and encode responses. All of it
 * is driven by the endpoint's schemas.
 *
 * @since 0.1.0
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Endpoint from "./Endpoint.js"
import { pageKeyOf, type PageMeta } from "./Model.js"

type AnySchema = Schema.Schema.AnyNoContext

// Endpoint structs are declared over open field types; their fields never need a context.
const asSchema = (struct: Schema.Struct<Schema.Struct.Fields>): AnySchema => struct as unknown as AnySchema

/** One problem with a request, located by its path (`body.email`, `query.pageLimit`, `path.agentId`). */
export interface Issue {
  readonly path: string
  readonly message: string
}

/** A request that does not match its operation. */
export class RequestInvalid extends Schema.TaggedError<RequestInvalid>()("RequestInvalid", {
  issues: Schema.Array(Schema.Struct({ path: Schema.String, message: Schema.String }))
}) {
  override get message(): string {
    return this.issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")
  }
}

const formatPath = (prefix: string, path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`,
    prefix
  )

/**
 * Turns a parse error into issues with field paths, each under `prefix`. A message quotes the value it was given;
 * a long one is cut, so an answer about a large body does not echo it.
 */
export const issuesOf = (prefix: string, error: ParseResult.ParseError): ReadonlyArray<Issue> =>
  ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
    path: formatPath(prefix, issue.path),
    message: issue.message.length <= maxMessage ? issue.message : `${issue.message.slice(0, maxMessage)}…`
  }))

const maxMessage = 300

/** A request ready to send: the filled path, the query pairs and the JSON body. */
export interface EncodedRequest {
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly body: Option.Option<unknown>
}

const parseOptions: AST.ParseOptions = { errors: "all", onExcessProperty: "ignore" }
const preserve: AST.ParseOptions = { errors: "all", onExcessProperty: "preserve" }

/** Encodes a caller's input for the wire. */
export const encodeRequest = (
  endpoint: Endpoint.Any,
  input: Readonly<Record<string, unknown>>
): Effect.Effect<EncodedRequest, RequestInvalid> => Effect.suspend(() => encodeRequestEither(endpoint, input))

/** A schema's result, or `fallback` with its issues noted under `prefix`. */
const orIssues = <A>(
  result: Either.Either<A, ParseResult.ParseError>,
  prefix: string,
  issues: Array<Issue>,
  fallback: A
): A => {
  if (Either.isRight(result)) return result.right
  issues.push(...issuesOf(prefix, result.left))
  return fallback
}

/** {@link encodeRequest}, synchronously: a request with no file to read needs no fiber of its own. */
export const encodeRequestEither = (
  endpoint: Endpoint.Any,
  input: Readonly<Record<string, unknown>>
): Either.Either<EncodedRequest, RequestInvalid> => {
  const parts = Endpoint.splitInput(endpoint, input)
  const issues: Array<Issue> = []
  const path = orIssues(
    Schema.encodeEither(asSchema(endpoint.pathParams), parseOptions)(parts.path),
    "path",
    issues,
    {}
  )
  const query = orIssues(Schema.encodeEither(asSchema(endpoint.query), parseOptions)(parts.query), "query", issues, {})
  let body = Option.none<unknown>()
  if (endpoint.body !== undefined && parts.body !== undefined) {
    const encoded = Schema.encodeEither(endpoint.body as AnySchema, preserve)(parts.body)
    body = Option.some(orIssues(encoded, "body", issues, undefined))
  } else if (endpoint.bodyRequired) {
    issues.push({ path: "body", message: "is required" })
  }
  if (issues.length > 0) return Either.left(new RequestInvalid({ issues }))
  const pairs: Array<readonly [string, string]> = []
  for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
    if (value === undefined) continue
    if (Array.isArray(value)) { for (const v of value) pairs.push([key, String(v)]) }
    else pairs.push([key, String(value)])
  }
  return Either.right({ path: Endpoint.fillPath(endpoint.path, path as Record<string, string>), query: pairs, body })
}

/** Whether a query field takes several values (`?a=1&a=2`). */
const isArrayField = (schema: unknown): boolean => {
  const ast = typeof schema === "object" && schema !== null && "ast" in schema ? schema.ast : undefined
  if (ast === undefined) return false
  const encoded = AST.encodedAST(ast as AST.AST)
  const members = AST.isUnion(encoded) ? encoded.types : [encoded]
  return members.some(AST.isTupleType)
}

/** The raw parts of an incoming HTTP request. */
export interface RawRequest {
  readonly pathParams: Readonly<Record<string, string | undefined>>
  readonly searchParams: URLSearchParams
  /** The body text, or `undefined`/`""` when there was none. */
  readonly bodyText: string | undefined
  /** The parts of a `multipart/form-data` body, for an operation whose `bodyEncoding` is `multipart`. */
  readonly form?: FormData | undefined
}

/**
 * Whether a decoded path parameter can be put back into a path as one segment meaning the same: no slash or
 * backslash, not `.` or `..` (which a URL resolves away), no control character (`%00`, CR, LF).
 */
const isSegment = (value: string): boolean =>
  value !== "." && value !== ".." &&
  ![...value].some((c) => c === "/" || c === "\\" || c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)

/** Decodes an incoming request into the operation's input; every problem is reported with its path. */
export const decodeRequest = (
  endpoint: Endpoint.Any,
  raw: RawRequest
): Effect.Effect<Record<string, unknown>, RequestInvalid> =>
  endpoint.body !== undefined && raw.form !== undefined
    ? Effect.flatMap(
      Effect.promise(() => fromFormData(raw.form!)),
      (fields) => decodeRequestEither(endpoint, raw, { fields })
    )
    : Effect.suspend(() => decodeRequestEither(endpoint, raw))

/** The path parameters that could not go back into a path as one segment. */
const badSegments = (pathParams: RawRequest["pathParams"]): Array<Issue> => {
  const issues: Array<Issue> = []
  for (const [name, value] of Object.entries(pathParams)) {
    if (value !== undefined && !isSegment(value)) {
      issues.push({
        path: `path.${name}`,
        message: "is not a usable path segment (a slash, a dot segment or a control character)"
      })
    }
  }
  return issues
}

/** The query's values as its schema reads them: one value, or all of them for an array field. */
const queryValues = (endpoint: Endpoint.Any, searchParams: URLSearchParams, repeated: Array<Issue>) => {
  const input: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(endpoint.query.fields)) {
    const values = searchParams.getAll(key)
    if (values.length === 0) continue
    if (isArrayField(field)) {
      input[key] = values
      continue
    }
    input[key] = values[0]
    // A parameter of one value given several times is refused, as Dixa refuses it: which one would count?
    if (values.length > 1) repeated.push({ path: `query.${key}`, message: `is given ${values.length} times` })
  }
  return input
}

/** The body's JSON text, decoded; `undefined` when there is none (or it is a `null` an optional body may be). */
const jsonBody = (endpoint: Endpoint.Any, text: string, issues: Array<Issue>): unknown => {
  let json: unknown = undefined
  try {
    json = JSON.parse(text)
  } catch (e) {
    issues.push({ path: "body", message: `is not valid JSON (${(e as Error).message})` })
  }
  if (json === undefined || (json === null && !endpoint.bodyRequired)) return undefined
  return orIssues(Schema.decodeUnknownEither(endpoint.body as AnySchema, preserve)(json), "body", issues, undefined)
}

/**
 * {@link decodeRequest}, synchronously, once a multipart body's parts have been read (`form.fields`): most requests
 * need no fiber of their own to be checked.
 */
export const decodeRequestEither = (
  endpoint: Endpoint.Any,
  raw: RawRequest,
  form?: { readonly fields: Record<string, unknown> }
): Either.Either<Record<string, unknown>, RequestInvalid> => {
  const issues = badSegments(raw.pathParams)
  const decodePath = Schema.decodeUnknownEither(asSchema(endpoint.pathParams), parseOptions)
  const path = orIssues(decodePath(raw.pathParams), "path", issues, {})
  const repeated: Array<Issue> = []
  const decodeQuery = Schema.decodeUnknownEither(asSchema(endpoint.query), parseOptions)
  const query = orIssues(decodeQuery(queryValues(endpoint, raw.searchParams, repeated)), "query", issues, {})
  issues.push(...repeated)
  let body: unknown = undefined
  const text = raw.bodyText?.trim() ?? ""
  if (endpoint.body !== undefined && form !== undefined) {
    const decoded = Schema.decodeUnknownEither(endpoint.body as AnySchema, preserve)(form.fields)
    body = orIssues(decoded, "body", issues, undefined)
  } else if (endpoint.body !== undefined && text !== "") {
    body = jsonBody(endpoint, text, issues)
  } else if (endpoint.bodyRequired) {
    issues.push({ path: "body", message: "is required" })
  }
  if (issues.length > 0) return Either.left(new RequestInvalid({ issues }))
  return Either.right(body === undefined ? { ...path, ...query } : { ...path, ...query, body })
}

/** Decodes a success response body into what the client returns. */
export const decodeResponse = (
  endpoint: Endpoint.Any,
  json: unknown
): Effect.Effect<unknown, ParseResult.ParseError> => {
  const schema = Endpoint.responseBodySchema(endpoint)
  if (schema === undefined) return Effect.void
  return Effect.map(
    Schema.decodeUnknown(schema, preserve)(json),
    (decoded: { readonly data?: unknown; readonly meta?: PageMeta }) => {
      switch (endpoint.response._tag as Endpoint.Response["_tag"]) {
        case "Data":
          return decoded.data
        case "Page": {
          const meta: PageMeta = decoded.meta ?? {}
          return { data: decoded.data, meta, nextPageKey: pageKeyOf(meta.next) }
        }
        default:
          return decoded
      }
    }
  )
}

/**
 * Encodes what a server handler produced as the response body: the payload for `Data`, the items and
 * links for `Page`, or the body itself.
 */
export const encodeResponse = (
  endpoint: Endpoint.Any,
  output: unknown
): Effect.Effect<unknown, ParseResult.ParseError> => {
  const schema = Endpoint.responseBodySchema(endpoint)
  if (schema === undefined) return Effect.void
  const res: Endpoint.Response = endpoint.response
  const wire = res._tag === "Data" ? { data: output } : output
  return Schema.encodeUnknown(schema, preserve)(wire)
}

const isFilePart = (value: unknown): value is { name: string; content: Uint8Array; contentType?: string } =>
  typeof value === "object" && value !== null && (value as { content?: unknown }).content instanceof Uint8Array &&
  typeof (value as { name?: unknown }).name === "string"

/**
 * The body a `multipart/form-data` form stands for, the inverse of {@link toFormData}: a file part becomes a
 * `FilePart` (`{ name, content, contentType }`), grouped by field name into a list; a text part gives its text, a
 * repeated one a list.
 */
export const fromFormData = async (form: FormData): Promise<Record<string, unknown>> => {
  const fields: Record<string, unknown> = {}
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") {
      const prior = fields[key]
      fields[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value]
      continue
    }
    const file = {
      name: value.name,
      content: new Uint8Array(await value.arrayBuffer()),
      contentType: value.type === "" ? "application/octet-stream" : value.type
    }
    const list = fields[key]
    if (Array.isArray(list)) list.push(file)
    else fields[key] = [file]
  }
  return fields
}

/**
 * The `multipart/form-data` body of an operation whose `bodyEncoding` is `multipart`: each file becomes a part
 * named after its field (repeated for arrays), every other value a text part.
 */
export const toFormData = (body: unknown): FormData => {
  const form = new FormData()
  const add = (key: string, value: unknown) => {
    if (isFilePart(value)) {
      const type = value.contentType ?? "application/octet-stream"
      form.append(key, new Blob([value.content], { type }), value.name)
    } else if (value !== undefined && value !== null) {
      form.append(key, typeof value === "string" ? value : JSON.stringify(value))
    }
  }
  for (const [key, value] of Object.entries((body ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) { for (const item of value) add(key, item) }
    else add(key, value)
  }
  return form
}
