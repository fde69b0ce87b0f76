/**
 * The single description of a Dixa operation. The client, the sandbox, the gateway, the CLI and the
 * OpenAPI document are all derived from these values: nothing about an operation is written twice.
 *
 * @since 0.1.0
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- type-level code: Effect's schemas are invariant in their
   types, so `any` in a type argument (`Schema.Schema<any, any, never>`, `Endpoint<any, ...>`) is how one says
   "of any type", and the defaults of `Endpoint`'s parameters are wildcards in the same sense. */
import * as Schema from "effect/Schema"
import type * as DixaError from "./DixaError.js"
import type { Page } from "./Model.js"
import { DataEnvelope, PageEnvelope } from "./Model.js"

/** The HTTP methods Dixa uses. */
export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE"

/**
 * How an operation may be retried.
 * - `idempotent`: repeating it is harmless; retried on 429, 5xx and transport failures.
 * - `unsafe`: repeating it could apply it twice; retried only when the request was certainly not
 *   processed (a 429, or a connection that was refused before anything was sent).
 */
export type RetryClass = "idempotent" | "unsafe"

type AnySchema = Schema.Schema<any, any, never>

/** How a request body travels: JSON, or `multipart/form-data` (file uploads). */
export type BodyEncoding = "json" | "multipart"

/** The shape of a successful response body. */
export type Response =
  /** `{ "data": A }`; the client returns `A`. */
  | { readonly _tag: "Data"; readonly schema: AnySchema }
  /** `{ "data": A[], "meta": {...} }`; the client returns a page, or a stream of `A`. */
  | { readonly _tag: "Page"; readonly item: AnySchema }
  /** Any other body, returned as decoded. */
  | { readonly _tag: "Body"; readonly schema: AnySchema }
  /** No body (204, or a body we do not read). */
  | { readonly _tag: "Empty" }

/** An operation of the Dixa API. */
export interface Endpoint<
  PathFields extends Schema.Struct.Fields = any,
  QueryFields extends Schema.Struct.Fields = any,
  Body extends AnySchema | undefined = any,
  BodyRequired extends boolean = any,
  Res extends Response = any,
  Errors extends number = any
> {
  /** The resource group (CLI group, service), e.g. `agents`. */
  readonly group: string
  /** The action inside its group, camelCase, e.g. `list` or `anonymizeMessage`. */
  readonly name: string
  /** `group.name`, used for spans, metrics and logs. */
  readonly id: string
  readonly method: Method
  /** The path template, with `{param}` placeholders. */
  readonly path: string
  /** One line in our own words. */
  readonly summary: string
  readonly pathParams: Schema.Struct<PathFields>
  readonly query: Schema.Struct<QueryFields>
  readonly body: Body
  readonly bodyRequired: BodyRequired
  /** How the body is sent; `json` unless the operation uploads files. */
  readonly bodyEncoding: BodyEncoding
  readonly response: Res
  /** The success status the spec declares. */
  readonly status: number
  /** Other success statuses accepted from the server (a beta API is not always exact). */
  readonly alsoAccepts: ReadonlyArray<number>
  /** The error statuses the spec declares; they decide the operation's error type ({@link Error}). */
  readonly errors: ReadonlyArray<Errors>
  readonly retry: RetryClass
  readonly deprecated: boolean
}

/** Any endpoint. */
export type Any = Endpoint<any, any, any, any, any>

/** An endpoint whose response is a paginated list. */
export type Paginated = Endpoint<any, any, any, any, { readonly _tag: "Page"; readonly item: AnySchema }>

type Simplify<A> = { [K in keyof A]: A[K] } & {}

type BodyInput<Body, Required> = Body extends AnySchema
  ? Required extends true ? { readonly body: Schema.Schema.Type<Body> }
  : { readonly body?: Schema.Schema.Type<Body> | undefined }
  : {}

/** What a caller passes: path and query parameters by name, plus `body` when the operation has one. */
export type Input<E> = E extends Endpoint<infer P, infer Q, infer B, infer BR, any> ? Simplify<
    Schema.Struct.Type<P> & Schema.Struct.Type<Q> & BodyInput<B, BR>
  >
  : never

/** What the client returns for an operation. */
export type Output<E> = E extends Endpoint<any, any, any, any, infer R> ?
  R extends { _tag: "Data"; schema: infer S } ? Schema.Schema.Type<S>
  : R extends { _tag: "Page"; item: infer S } ? Page<Schema.Schema.Type<S>>
  : R extends { _tag: "Body"; schema: infer S } ? Schema.Schema.Type<S>
  : void
  : never

/**
 * What a call of the operation can fail with: the errors of the statuses it declares (400 `BadRequest`, 404
 * `NotFound`, 409 `Conflict`), `NotFound` for any operation that names a resource in its path (the spec does not
 * always declare it, and Dixa answers it), and those any call can meet ({@link DixaError.Always}).
 */
export type Error<E> = E extends Endpoint<infer P, any, any, any, any, infer S>
  ? DixaError.Of<S | ([keyof P] extends [never] ? never : 404)>
  : never

/** The error statuses a call can be reported with: those declared, and 404 when the path names a resource. */
export const errorStatuses = (endpoint: Any): ReadonlyArray<number> =>
  endpoint.path.includes("{") && !endpoint.errors.includes(404) ? [...endpoint.errors, 404] : endpoint.errors

/** The item type of a paginated endpoint. */
export type Item<E> = E extends Endpoint<any, any, any, any, infer R> ?
  R extends { _tag: "Page"; item: infer S } ? Schema.Schema.Type<S>
  : never
  : never

/** Response shapes. */
export const data = <S extends AnySchema>(schema: S) => ({ _tag: "Data", schema }) as const
export const page = <S extends AnySchema>(item: S) => ({ _tag: "Page", item }) as const
export const body = <S extends AnySchema>(schema: S) => ({ _tag: "Body", schema }) as const
export const empty = { _tag: "Empty" } as const

/** The schema of the whole response body on the wire, or `undefined` when there is none. */
export const responseBodySchema = (endpoint: Any): AnySchema | undefined => {
  const res: Response = endpoint.response
  switch (res._tag) {
    case "Data":
      return DataEnvelope(res.schema)
    case "Page":
      return PageEnvelope(res.item)
    case "Body":
      return res.schema
    case "Empty":
      return undefined
  }
}

/** Whether the operation is a paginated list. */
export const isPaginated = (endpoint: Any): endpoint is Paginated => endpoint.response._tag === "Page"

/** The options of {@link make}. */
export interface Options<
  PathFields extends Schema.Struct.Fields,
  QueryFields extends Schema.Struct.Fields,
  Body extends AnySchema | undefined,
  BodyRequired extends boolean,
  Res extends Response,
  Errors extends number
> {
  /** `group.action`, e.g. `tags.list`: names the operation in errors, spans, metrics and logs. */
  readonly id?: string
  readonly method: Method
  readonly path: string
  readonly summary: string
  readonly pathParams?: PathFields
  readonly query?: QueryFields
  readonly body?: Body
  readonly bodyRequired?: BodyRequired
  readonly bodyEncoding?: BodyEncoding
  readonly response: Res
  readonly status?: number
  readonly alsoAccepts?: ReadonlyArray<number>
  readonly errors?: ReadonlyArray<Errors>
  readonly retry?: RetryClass
  readonly deprecated?: boolean
}

/**
 * Describes one operation. Its group and action names come from its `id` (`tags.list`); an endpoint made without one
 * gets them from {@link Group.make}.
 *
 * Defaults: success status 200 (204 without a response body); declared errors 400 and 401; retry class from the
 * method (GET, PUT and DELETE are idempotent); a body, when given, is required and sent as JSON.
 */
export const make = <
  const PathFields extends Schema.Struct.Fields = {},
  const QueryFields extends Schema.Struct.Fields = {},
  Body extends AnySchema | undefined = undefined,
  const BodyRequired extends boolean = true,
  const Res extends Response = typeof empty,
  const Errors extends number = 400 | 401
>(
  options: Options<PathFields, QueryFields, Body, BodyRequired, Res, Errors>
): Endpoint<PathFields, QueryFields, Body, BodyRequired, Res, Errors> => ({
  ...names(options.id ?? ""),
  method: options.method,
  path: options.path,
  summary: options.summary,
  pathParams: Schema.Struct((options.pathParams ?? {}) as PathFields),
  query: Schema.Struct((options.query ?? {}) as QueryFields),
  body: options.body as Body,
  bodyRequired: (options.body === undefined ? false : options.bodyRequired ?? true) as BodyRequired,
  bodyEncoding: options.bodyEncoding ?? "json",
  response: options.response,
  status: options.status ?? (options.response._tag === "Empty" ? 204 : 200),
  alsoAccepts: options.alsoAccepts ?? [],
  errors: options.errors ?? [400 as Errors, 401 as Errors],
  retry: options.retry ?? (options.method === "POST" || options.method === "PATCH" ? "unsafe" : "idempotent"),
  deprecated: options.deprecated ?? false
})

/** The group and action of an id: `tags.list` is action `list` of group `tags`. */
export const names = (id: string): { readonly id: string; readonly group: string; readonly name: string } => {
  const dot = id.lastIndexOf(".")
  return { id, group: dot < 0 ? "" : id.slice(0, dot), name: dot < 0 ? id : id.slice(dot + 1) }
}

/** Every success status the client accepts for the operation. */
export const successStatuses = (endpoint: Any): ReadonlyArray<number> => [endpoint.status, ...endpoint.alsoAccepts]

/** The names of the path parameters, in the order they appear in the template. */
export const pathParamNames = (endpoint: Any): ReadonlyArray<string> =>
  Array.from(endpoint.path.matchAll(/\{([^}]+)\}/g), (m) => m[1]!)

/** Fills a path template with already-encoded parameter values. */
export const fillPath = (template: string, params: Readonly<Record<string, string>>): string =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""))

/** Splits a decoded input into its path, query and body parts. */
export const splitInput = (
  endpoint: Any,
  input: Readonly<Record<string, unknown>>
): { path: Record<string, unknown>; query: Record<string, unknown>; body: unknown } => {
  const path: Record<string, unknown> = {}
  const query: Record<string, unknown> = {}
  for (const key of Object.keys(endpoint.pathParams.fields)) path[key] = input[key]
  for (const key of Object.keys(endpoint.query.fields)) {
    if (input[key] !== undefined) query[key] = input[key]
  }
  return { path, query, body: input["body"] }
}
