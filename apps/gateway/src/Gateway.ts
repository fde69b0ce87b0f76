/**
 * The gateway: speaks the Dixa API to internal callers and forwards to Dixa with the one token it holds.
 *
 * An `HttpRouter` with one route per operation of the core's definition, all served by the same handler: the
 * `Caller` middleware authenticates and checks the scope, the door reads the body within its limits, the request is
 * validated and rebuilt, admitted to the shared budget within its deadline, and forwarded (or served from the cache,
 * or replayed for a repeated `Idempotency-Key`). Around it all, the request log. Beside it, the operator's routes.
 * Platform-neutral but for the door's body reader: `NodeGateway` provides the Node server and HTTP client.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Api, type Endpoint, OpenApi, Router } from "@org/dixa-core"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import { accept, type Accepted, ignoredHeader, message, requestKey } from "./Accept.js"
import * as Answer from "./Answer.js"
import { authorize, Caller } from "./Caller.js"
import * as Docs from "./Docs.js"
import * as Door from "./Door.js"
import * as Metrics from "./Metrics.js"
import type { Options } from "./Options.js"
import { RequestLog } from "./RequestLog.js"
import * as RequestLogMiddleware from "./RequestLog.js"
import * as Upstream from "./Upstream.js"

export type { Options } from "./Options.js"

type Params = Readonly<Record<string, string | undefined>>

/**
 * The handler of one operation, for its path parameters; runs for an authorized `Caller`. Written without generators:
 * it runs for every request.
 */
const operation = (endpoint: Endpoint.Any, upstream: Upstream.Upstream, options: Options) => (pathParams: Params) =>
  Effect.contextWithEffect((context: Context.Context<HttpServerRequest.HttpServerRequest | Caller | RequestLog>) => {
    const request = Context.get(context, HttpServerRequest.HttpServerRequest)
    return Effect.flatMap(Door.readBody(request, endpoint, options), (read) =>
      read._tag === "Refused"
        ? Effect.succeed(message(read.status, read.message))
        : Effect.flatMap(
          accept(endpoint, pathParams, searchParams(request.url), read.body, contentType(request)),
          (accepted) =>
            accepted._tag === "Refused"
              ? Effect.succeed(accepted.response)
              : forward(endpoint, upstream, context, accepted, read.body)
        ))
  })

/** A validated request, admitted to the shared budget within its deadline and sent (or replayed, or refused). */
const forward = (
  endpoint: Endpoint.Any,
  upstream: Upstream.Upstream,
  context: Context.Context<HttpServerRequest.HttpServerRequest | Caller | RequestLog>,
  accepted: Extract<Accepted, { readonly _tag: "Accepted" }>,
  raw: Uint8Array
) => {
  const request = Context.get(context, HttpServerRequest.HttpServerRequest)
  const caller = Context.get(context, Caller)
  const log = Context.get(context, RequestLog)
  const outgoing = accepted.request
  if (accepted.ignored.length > 0) log.fields["ignoredQuery"] = accepted.ignored
  const key = request.headers["idempotency-key"]
  const idempotent = key !== undefined && (endpoint.method === "POST" || endpoint.method === "PATCH")
  if (idempotent && (key.length === 0 || key.length > 255)) {
    return Effect.succeed(message(400, "Idempotency-Key must be 1 to 255 characters"))
  }
  // The caller's whole stay is bounded: the queue, every attempt, every pause and Dixa's own time.
  const budget = callerMaxWait(request, upstream.maxWait)
  return Effect.flatMap(upstream.fair.admit(Duration.millis(budget)), (refusal) =>
    Option.isSome(refusal)
      ? Effect.succeed(refused(upstream, refusal.value))
      : Effect.clockWith((clock) => {
        const left = Duration.millis(Math.max(0, budget - (clock.unsafeCurrentTimeMillis() - log.arrived)))
        const spent = Upstream.spend()
        const sending = upstream.send(endpoint, caller.name, outgoing, left, spent, log.fields)
        const extra = ignoredHeader(accepted.ignored)
        if (!idempotent) return Effect.map(sending, (answer) => Answer.toResponse(answer, extra))
        const body = typeof outgoing.body === "string" ? outgoing.body : raw
        const fingerprint = [endpoint.method, requestKey(outgoing), body]
        return upstream.once(key, caller.name, fingerprint, sending, spent, log.fields, extra)
      }))
}

/** The gateway's 429 when the shared budget cannot take a request within its deadline. */
const refused = (upstream: Upstream.Upstream, refusal: { reason: string; retryAfter: Duration.Duration }) => {
  upstream.metrics.rateLimited.inc({ source: "gateway" })
  const seconds = Math.max(1, Math.ceil(Duration.toSeconds(refusal.retryAfter)))
  return message(
    429,
    refusal.reason === "QueueFull"
      ? "the gateway's queue for the Dixa rate budget is full"
      : "the wait for the Dixa rate budget would outlast this request's deadline"
  ).pipe(HttpServerResponse.setHeader("retry-after", String(seconds)))
}

const searchParams = (url: string): URLSearchParams => {
  const query = url.indexOf("?")
  return new URLSearchParams(query === -1 ? "" : url.slice(query + 1))
}

const contentType = (request: HttpServerRequest.HttpServerRequest) => request.headers["content-type"]

/** A caller may shorten its wait with `x-max-wait-ms`; it can never lengthen it past the gateway's maximum. */
const callerMaxWait = (request: HttpServerRequest.HttpServerRequest, max: Duration.Duration): number => {
  const header = Number(request.headers["x-max-wait-ms"])
  const limit = Duration.toMillis(max)
  return Number.isFinite(header) && header >= 0 ? Math.min(header, limit) : limit
}

/** Every operation of the definition as a route, and a catch-all that tells 405 from 404. */
const apiRouter = (upstream: Upstream.Upstream, options: Options) =>
  Router.toHttpRouter(
    Api.endpoints,
    (endpoint) => (params) => authorize(options.keys, endpoint)(operation(endpoint, upstream, options)(params)),
    (_method, path) => `no Dixa operation at ${path}`
  )

/** The operator's routes: health, readiness, metrics, the OpenAPI document and its docs page. */
const opsRouter = (upstream: Upstream.Upstream) => {
  const openapi = JSON.stringify(OpenApi.make())
  const docs = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const served = Docs.serve(new URL(request.url, "http://gateway.local").pathname)
    return served ?? Effect.succeed(message(404, "no such docs asset"))
  })
  return HttpRouter.empty.pipe(
    HttpRouter.get("/healthz", Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))),
    HttpRouter.get("/readyz", upstream.ready),
    HttpRouter.get(
      "/metrics",
      Effect.map(upstream.metrics.render, (text) => HttpServerResponse.text(text, { contentType: Metrics.contentType }))
    ),
    HttpRouter.get(
      "/openapi.json",
      Effect.succeed(HttpServerResponse.text(openapi, { contentType: "application/json" }))
    ),
    HttpRouter.get("/docs", docs),
    HttpRouter.get("/docs/*", docs)
  )
}

/** Builds the HTTP app. Needs an `HttpClient` for the upstream calls. */
export const makeApp = (options: Options) =>
  Effect.gen(function*() {
    const upstream = yield* Upstream.make(options)
    const api = apiRouter(upstream, options).pipe(HttpRouter.use(RequestLogMiddleware.middleware(upstream.metrics)))
    return HttpRouter.concat(opsRouter(upstream), api)
  })

/** The gateway served by whatever `HttpServer` and `HttpClient` are provided; it stops when the layer is released. */
export const serve = (options: Options) =>
  Layer.unwrapScoped(Effect.map(makeApp(options), (app) => HttpServer.serve(app)))
