/**
 * A handler's result as the JSON Dixa sends: the page cut for `Page`, the envelope for `Data`, then checked and
 * encoded with the core's schemas (once per distinct payload).
 */
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { type Endpoint, Wire } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Pagination from "../pagination.js"
import { jsonText, message } from "./answer.js"

/** The payload as JSON text, or an answer that replaces it (a page key that is not ours). */
export type Wired = { readonly wire: string } | { readonly answer: HttpServerResponse.HttpServerResponse } | undefined

const page = (result: unknown, input: Record<string, unknown>, url: URL): Wired => {
  const pageKey = input["pageKey"] as string | undefined
  const cursor = pageKey === undefined ? undefined : Pagination.decodeCursor(pageKey)
  if (pageKey !== undefined && cursor === undefined) {
    return { answer: message(400, "query.pageKey: is not a page key this server handed out") }
  }
  const limit = (input["pageLimit"] as number | undefined) ?? Pagination.defaultPageLimit
  const sliced = Pagination.slice(result as ReadonlyArray<unknown>, cursor, limit, url)
  return { wire: JSON.stringify({ data: sliced.items, meta: sliced.meta }) }
}

/**
 * The wire payload of a result. Run while the state is locked, so the text is a snapshot no later request can
 * change.
 */
export const toWire = (endpoint: Endpoint.Any, result: unknown, input: Record<string, unknown>, url: URL): Wired => {
  const shape: Endpoint.Response = endpoint.response
  switch (shape._tag) {
    case "Empty":
      return undefined
    case "Data":
      return { wire: JSON.stringify({ data: result }) }
    case "Body":
      return { wire: JSON.stringify(result) }
    case "Page":
      return page(result, input, url)
  }
}

/**
 * Checking a payload costs tens of microseconds per item and benchmarks read the same pages again and again; the
 * same payload always encodes to the same text, so the text is kept. Oldest entries go first past the limit.
 */
const cacheLimit = 500

/** Through the core's schemas both ways: a payload the client could not decode is a sandbox bug (a 500). */
const check = (endpoint: Endpoint.Any, wire: string) =>
  Wire.decodeResponse(endpoint, JSON.parse(wire)).pipe(
    // The client's page has `nextPageKey` too; the wire envelope only `data` and `meta`.
    Effect.map((decoded) => {
      if (endpoint.response._tag !== "Page") return decoded
      const { data, meta } = decoded as { readonly data: unknown; readonly meta: unknown }
      return { data, meta }
    }),
    Effect.flatMap((output) => Wire.encodeResponse(endpoint, output)),
    Effect.map((encoded) => JSON.stringify(encoded)),
    Effect.mapError((error) => {
      const issues = Wire.issuesOf("body", error).map((i) => `${i.path}: ${i.message}`).join("; ")
      return `sandbox bug: the answer of ${endpoint.id} does not match its schema (${issues})`
    })
  )

/** Encodes wire payloads into answers, remembering the text of each one checked. */
export const makeEncoder = () => {
  const cache = new Map<string, string>()
  return (endpoint: Endpoint.Any, wire: string): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
    const key = `${endpoint.id} ${wire}`
    const cached = cache.get(key)
    if (cached !== undefined) return Effect.succeed(jsonText(endpoint.status, cached))
    return check(endpoint, wire).pipe(
      Effect.map((text) => {
        if (cache.size >= cacheLimit) cache.delete(cache.keys().next().value!)
        cache.set(key, text)
        return jsonText(endpoint.status, text)
      }),
      Effect.catchAll((problem) => Effect.succeed(message(500, problem)))
    )
  }
}
