/**
 * The one handler behind every API route: decode the request with the core's wire codec, run the operation's
 * handler against the store, then page and encode its result.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { type Endpoint, Wire } from "@org/dixa-core"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Deliveries from "../deliveries.js"
import type { Context, Route } from "../handler.js"
import * as Prng from "../prng.js"
import type * as State from "../state.js"
import { message } from "./answer.js"
import * as Encode from "./encode.js"
import * as Form from "./form.js"
import type { Shared } from "./shared.js"

type Params = Readonly<Record<string, string | undefined>>

/** The absolute URL of a request, on the Host it was sent to (page links point there). */
const requestUrl = (request: HttpServerRequest.HttpServerRequest): URL =>
  Option.getOrElse(HttpServerRequest.toURL(request), () => new URL(request.url, "http://localhost"))

/** The request's body as the codec reads it: text, or a form for multipart operations. */
const readBody = (
  endpoint: Endpoint.Any,
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<{ readonly bodyText: string | undefined; readonly form?: FormData }, Form.Refused> => {
  if (endpoint.bodyEncoding === "multipart") {
    return Effect.map(Form.read(request), (form) => ({ bodyText: undefined, form }))
  }
  if (endpoint.body === undefined) return Effect.succeed({ bodyText: undefined })
  return request.text.pipe(
    Effect.orElseSucceed(() => ""),
    Effect.map((bodyText) => ({ bodyText }))
  )
}

/** Decodes the request into the operation's input, or answers 400 (413 for an upload too large). */
const decode = (endpoint: Endpoint.Any, pathParams: Params, request: HttpServerRequest.HttpServerRequest, url: URL) =>
  readBody(endpoint, request).pipe(
    Effect.flatMap((body) =>
      Effect.mapError(
        Wire.decodeRequest(endpoint, { pathParams, searchParams: url.searchParams, ...body }),
        (e) => ({ status: 400, message: e.message })
      )
    ),
    Effect.mapError((refused) => message(refused.status, refused.message))
  )

/**
 * Runs a handler against the store. A GET reads without the write lock unless something has come due (`settle`
 * changed the state); everything else is one write transaction, which also decides the webhook deliveries due.
 */
const run =
  (shared: Shared, endpoint: Endpoint.Any, handler: Route["handler"], input: Record<string, unknown>) =>
  (url: URL, now: number) => {
    let pending: ReadonlyArray<Deliveries.Pending> = []
    const attempt = (state: State.State) => {
      const rng = Prng.fromCell(state)
      const ctx: Context = { state, now, rng, anonymizationDelayMillis: shared.anonymizationDelayMillis }
      return handler(input as never, ctx).pipe(
        Effect.map((result) => {
          if (endpoint.method !== "GET") pending = Deliveries.collect(endpoint, input, result, state, now, rng)
          return Encode.toWire(endpoint, result, input, url)
        }),
        Effect.either
      )
    }
    const read = endpoint.method !== "GET" ?
      Effect.succeedNone :
      shared.store.read((state) => shared.settle(state, now) ? Effect.succeedNone : Effect.asSome(attempt(state)))
    return read.pipe(
      Effect.flatMap(Option.match({
        onSome: Effect.succeed,
        onNone: () => shared.store.write((state) => Effect.suspend(() => (shared.settle(state, now), attempt(state))))
      })),
      Effect.map((reply) => ({ reply, pending }))
    )
  }

/** The generic handler, for one operation and its path parameters. */
export const make = (shared: Shared) => {
  const encode = Encode.makeEncoder()
  return (endpoint: Endpoint.Any) => (pathParams: Params) =>
    Effect.gen(function*() {
      const handler = shared.handlers.get(endpoint.id)
      if (handler === undefined) return message(501, `not implemented by the sandbox: ${endpoint.id}`)
      const request = yield* HttpServerRequest.HttpServerRequest
      const url = requestUrl(request)
      const input = yield* decode(endpoint, pathParams, request, url)
      const now = yield* Clock.currentTimeMillis
      const { pending, reply } = yield* run(shared, endpoint, handler, input)(url, now)
      if (pending.length > 0) yield* shared.deliver(pending)
      if (reply._tag === "Left") return message(reply.left.status, reply.left.message)
      const wired = reply.right
      if (wired === undefined) return HttpServerResponse.empty({ status: endpoint.status })
      if ("answer" in wired) return wired.answer
      return yield* encode(endpoint, wired.wire)
    }).pipe(
      Effect.catchAll((failure) =>
        Effect.succeed(
          HttpServerResponse.isServerResponse(failure) ? failure : message(500, (failure as Error).message)
        )
      )
    )
}
