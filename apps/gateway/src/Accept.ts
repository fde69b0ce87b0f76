/**
 * What goes upstream is rebuilt from what was validated, never copied from the caller's bytes: the path and query
 * re-encoded canonically from the decoded values, query parameters the operation does not define left out (and
 * named back to the caller), a JSON body re-encoded with every field kept (Dixa may know fields newer than the
 * definition) and a multipart body rebuilt from its checked parts, with the gateway's own content type.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { type DixaClient, type Endpoint, Wire } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"

/** A validated request, rebuilt for upstream; or the gateway's refusal. */
export type Accepted =
  | {
    readonly _tag: "Accepted"
    readonly request: DixaClient.RawRequest
    /** Query parameters the operation does not define: not forwarded. */
    readonly ignored: ReadonlyArray<string>
  }
  | { readonly _tag: "Refused"; readonly response: HttpServerResponse.HttpServerResponse }

/** The gateway's own answers are JSON `{message}`, with whatever else helps the caller. */
export const message = (status: number, text: string, extra: Record<string, unknown> = {}) =>
  HttpServerResponse.unsafeJson({ message: text, ...extra }, { status })

const utf8 = new TextDecoder()

const refuse = (text: string, issues?: ReadonlyArray<Wire.Issue>): Accepted => ({
  _tag: "Refused",
  response: message(400, text, issues === undefined ? {} : { issues })
})

/** Validates a request against its operation and rebuilds it for upstream from the decoded values. */
export const accept = (
  endpoint: Endpoint.Any,
  pathParams: Readonly<Record<string, string | undefined>>,
  searchParams: URLSearchParams,
  raw: Uint8Array,
  contentType: string | undefined
): Effect.Effect<Accepted> => {
  // A JSON body (or none) is checked and rebuilt synchronously; only a multipart one has parts to read.
  if (endpoint.bodyEncoding !== "multipart") {
    return Effect.suspend(() => {
      const decoded = Wire.decodeRequestEither(endpoint, { pathParams, searchParams, bodyText: utf8.decode(raw) })
      return rebuild(endpoint, decoded, searchParams)
    })
  }
  return Effect.flatMap(readForm(raw, contentType), (form) =>
    form === null
      ? Effect.succeed(refuse("body: expected well-formed multipart/form-data"))
      : Effect.flatMap(
        Effect.either(
          Wire.decodeRequest(endpoint, {
            pathParams,
            searchParams,
            bodyText: undefined,
            ...(form !== undefined ? { form } : {})
          })
        ),
        (decoded) => rebuild(endpoint, decoded, searchParams)
      ))
}

/** The upstream request rebuilt from a request's decoded values, or the refusal its problems call for. */
const rebuild = (
  endpoint: Endpoint.Any,
  decoded: Either.Either<Record<string, unknown>, Wire.RequestInvalid>,
  searchParams: URLSearchParams
): Effect.Effect<Accepted> => {
  if (Either.isLeft(decoded)) return Effect.succeed(refuse(decoded.left.message, decoded.left.issues))
  const encoded = Wire.encodeRequestEither(endpoint, decoded.right)
  if (Either.isLeft(encoded)) return Effect.succeed(refuse(encoded.left.message, encoded.left.issues))
  const body = Option.getOrUndefined(encoded.right.body)
  const request = { path: encoded.right.path, query: encoded.right.query }
  const ignored = ignoredQuery(endpoint, searchParams)
  if (body === undefined) return Effect.succeed({ _tag: "Accepted", request, ignored })
  if (endpoint.bodyEncoding === "multipart") {
    return Effect.map(formBytes(body), (bytes) => ({ _tag: "Accepted", request: { ...request, ...bytes }, ignored }))
  }
  const json = { body: JSON.stringify(body), contentType: "application/json" }
  return Effect.succeed({ _tag: "Accepted", request: { ...request, ...json }, ignored })
}

/** The query parameters a caller sent that the operation does not define. */
const ignoredQuery = (endpoint: Endpoint.Any, searchParams: URLSearchParams): ReadonlyArray<string> => {
  const ignored: Array<string> = []
  for (const name of searchParams.keys()) {
    if (!(name in endpoint.query.fields) && !ignored.includes(name)) ignored.push(name)
  }
  return ignored
}

/** The parts of a multipart body, `null` when it is not one, `undefined` when it is empty. */
const readForm = (raw: Uint8Array, contentType: string | undefined): Effect.Effect<FormData | null | undefined> =>
  raw.length === 0 ?
    Effect.succeed(undefined) :
    Effect.promise(() =>
      new Response(raw, { headers: { "content-type": contentType ?? "" } }).formData().catch(() => null)
    )

/** A multipart body as bytes with its content type (and boundary), whatever FormData class the transport knows. */
const formBytes = (body: unknown) =>
  Effect.promise(async () => {
    const encoded = new Response(Wire.toFormData(body))
    return {
      body: new Uint8Array(await encoded.arrayBuffer()),
      contentType: encoded.headers.get("content-type") ?? "multipart/form-data"
    }
  })

/** A request's identity for the cache and for idempotency: its canonical path and query. */
export const requestKey = (request: DixaClient.RawRequest): string =>
  request.query.length === 0
    ? request.path
    : `${request.path}?${new URLSearchParams(request.query.map(([k, v]): [string, string] => [k, v])).toString()}`

/** Tells a caller which of its query parameters were not forwarded. */
export const ignoredHeader = (ignored: ReadonlyArray<string>): Record<string, string> =>
  ignored.length === 0 ? {} : { "x-gateway-ignored-query": ignored.join(",") }
