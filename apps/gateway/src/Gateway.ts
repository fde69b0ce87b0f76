/**
 * The gateway: speaks the Dixa API to internal callers and forwards to Dixa with the one token it holds.
 * Every operation of the core's definition is served by the same code path, derived from the definition:
 * route, authenticate the caller, check scope, validate, serve from cache or queue for the shared budget,
 * forward with the core's retries, and pass Dixa's answer back unchanged.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Api, DixaClient, type Endpoint, OpenApi, RateLimit, type Retry, Router, Wire } from "@org/dixa-core"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as CallerKeys from "./CallerKeys.js"
import * as Docs from "./Docs.js"
import * as FairBudget from "./FairBudget.js"
import type { GatewayConfig } from "./GatewayConfig.js"
import { gatewayMetrics } from "./Metrics.js"
import * as ResponseCache from "./ResponseCache.js"

/** What one request spent upstream, filled in by the budget's `take` while the client sends it. */
interface Spend {
  attempts: number
  waitedMillis: number
}

const currentSpend: FiberRef.FiberRef<Spend | undefined> = FiberRef.unsafeMake<Spend | undefined>(undefined)

/** Everything the gateway needs besides its listening address. */
export interface Options {
  readonly dixaApiKey: Redacted.Redacted<string>
  readonly dixaBaseUrl: string
  readonly keys: CallerKeys.CallerKeys
  readonly budget?: RateLimit.Budget
  /** The limiter behind the shared budget; default an in-memory one of `budget`. */
  readonly limiter?: RateLimit.Limiter
  readonly maxQueue?: number
  readonly maxWait?: Duration.DurationInput
  readonly cacheTtl?: Duration.DurationInput
  readonly cacheGroups?: ReadonlyArray<string>
  readonly upstreamTimeout?: Duration.DurationInput
  /** The core's retry policy for upstream calls (idempotent operations only, as the core decides). */
  readonly retry?: Retry.Policy
}

const message = (status: number, text: string, extra: Record<string, unknown> = {}) =>
  HttpServerResponse.unsafeJson({ message: text, ...extra }, { status })

const utf8 = new TextDecoder()

const passedHeaders = ["content-type", "retry-after"] as const

/** Builds the HTTP app. Needs an `HttpClient` for the upstream calls. */
export const makeApp = (options: Options) =>
  Effect.gen(function*() {
    const budget = options.budget ?? RateLimit.clientBudget
    const base = options.limiter ?? (yield* RateLimit.make(budget))
    const fair = yield* FairBudget.make({ base, budget, maxQueue: options.maxQueue ?? 256 })
    const metrics = gatewayMetrics(() => Effect.runSync(fair.depth))
    const take = Effect.gen(function*() {
      const started = yield* Clock.currentTimeMillis
      yield* fair.limiter.take
      const waited = (yield* Clock.currentTimeMillis) - started
      metrics.limiterWait.observe(waited / 1000)
      const spend = yield* FiberRef.get(currentSpend)
      if (spend !== undefined) {
        spend.attempts++
        spend.waitedMillis += waited
      }
    })
    const client = yield* DixaClient.make({
      apiKey: options.dixaApiKey,
      baseUrl: options.dixaBaseUrl,
      limiter: { ...fair.limiter, take },
      ...(options.upstreamTimeout !== undefined ? { timeout: options.upstreamTimeout } : {}),
      ...(options.retry !== undefined ? { retry: options.retry } : {})
    })
    const cache = yield* ResponseCache.make({
      ttl: Duration.decode(options.cacheTtl ?? "5 seconds"),
      groups: options.cacheGroups ?? ["organization", "agents", "tags"]
    })
    const route = Router.make(Api.endpoints)
    const maxWait = Duration.decode(options.maxWait ?? "10 seconds")
    const openapi = JSON.stringify(OpenApi.make())
    const organization = Api.byId.get("organization.get")

    /** Forwards one validated request; the answer is Dixa's, byte for byte. */
    const forward = (
      endpoint: Endpoint.Any,
      caller: string,
      url: URL,
      body: Uint8Array | undefined,
      contentType: string | undefined
    ) =>
      Effect.gen(function*() {
        const spend: Spend = { attempts: 0, waitedMillis: 0 }
        const started = yield* Clock.currentTimeMillis
        const response = yield* client.send(endpoint, {
          path: url.pathname,
          query: [...url.searchParams.entries()],
          body: body !== undefined && body.length > 0 ? body : undefined,
          contentType
        }).pipe(
          Effect.locally(FairBudget.currentCaller, caller),
          Effect.locally(currentSpend, spend)
        )
        metrics.upstreamLatency.observe(((yield* Clock.currentTimeMillis) - started - spend.waitedMillis) / 1000, {
          operation: endpoint.id
        })
        if (spend.attempts > 1) metrics.retries.inc({ operation: endpoint.id }, spend.attempts - 1)
        if (response.status === 429) metrics.rateLimited.inc({ source: "upstream" })
        return response
      })

    const api = (request: HttpServerRequest.HttpServerRequest, url: URL, log: Record<string, unknown>) =>
      Effect.gen(function*() {
        const found = route(request.method, url.pathname)
        if (found._tag === "NotFound") return message(404, `no Dixa operation at ${url.pathname}`)
        if (found._tag === "MethodNotAllowed") {
          return message(405, `${request.method} is not allowed on ${url.pathname}`).pipe(
            HttpServerResponse.setHeader("allow", found.allowed.join(", "))
          )
        }
        const endpoint = found.match.endpoint
        log["operation"] = endpoint.id
        const caller = options.keys.authenticate(request.headers["authorization"])
        if (Option.isNone(caller)) return message(401, "missing or unknown gateway key in Authorization")
        log["caller"] = caller.value.name
        const scope = CallerKeys.scopeFor(endpoint.method)
        if (!caller.value.scopes.has(scope)) {
          return message(403, `caller ${caller.value.name} lacks the ${scope} scope for ${endpoint.id}`)
        }
        const raw = new Uint8Array(yield* request.arrayBuffer)
        const contentType = request.headers["content-type"]
        if (endpoint.bodyEncoding !== "multipart") {
          const invalid = yield* Wire.decodeRequest(endpoint, {
            pathParams: found.match.pathParams,
            searchParams: url.searchParams,
            bodyText: utf8.decode(raw)
          }).pipe(Effect.flip, Effect.option)
          if (Option.isSome(invalid)) {
            return message(400, invalid.value.message, { issues: invalid.value.issues })
          }
        }
        const refusal = yield* fair.admit(Duration.millis(callerMaxWait(request, maxWait)))
        if (Option.isSome(refusal)) {
          metrics.rateLimited.inc({ source: "gateway" })
          const seconds = Math.max(1, Math.ceil(Duration.toSeconds(refusal.value.retryAfter)))
          return message(
            429,
            refusal.value.reason === "QueueFull"
              ? "the gateway's queue for the Dixa rate budget is full"
              : "the wait for the Dixa rate budget would outlast this request's deadline"
          ).pipe(HttpServerResponse.setHeader("retry-after", String(seconds)))
        }
        const load = forward(endpoint, caller.value.name, url, raw, contentType)
        let upstream: DixaClient.RawResponse
        let cacheOutcome: ResponseCache.Outcome | undefined
        if (cache.covers(endpoint)) {
          ;[upstream, cacheOutcome] = yield* cache.get(endpoint, url.pathname + url.search, load)
          metrics.cache.inc({ outcome: cacheOutcome })
          log["cache"] = cacheOutcome
        } else {
          upstream = yield* load
          if (endpoint.method !== "GET" && upstream.status < 300) yield* cache.invalidate(endpoint)
        }
        const headers: Record<string, string> = {}
        for (const name of passedHeaders) {
          const value = upstream.headers[name]
          if (value !== undefined) headers[name] = value
        }
        if (cacheOutcome !== undefined) headers["x-cache"] = cacheOutcome === "hit" ? "hit" : "miss"
        return upstream.body.length === 0 && upstream.status === 204
          ? HttpServerResponse.empty({ status: upstream.status, headers })
          : HttpServerResponse.uint8Array(upstream.body, {
            status: upstream.status,
            headers,
            contentType: upstream.headers["content-type"] ?? "application/json"
          })
      }).pipe(
        Effect.catchTag("TransportError", (e) => {
          log["upstreamError"] = e.reason
          return Effect.succeed(message(e.reason === "Timeout" ? 504 : 502, `Dixa could not be reached: ${e.message}`))
        })
      )

    const ready = organization === undefined
      ? Effect.succeed(message(503, "no readiness probe"))
      : forward(organization, "gateway", new URL("http://x/beta/organization"), undefined, undefined).pipe(
        Effect.map((r) =>
          r.status < 300
            ? HttpServerResponse.unsafeJson({ status: "ready" })
            : message(503, `Dixa answered ${r.status} to the readiness probe`)
        ),
        Effect.catchAll((e) => Effect.succeed(message(503, `Dixa is not reachable: ${e.message}`)))
      )

    const ops = (pathname: string): Effect.Effect<HttpServerResponse.HttpServerResponse> | undefined => {
      switch (pathname) {
        case "/healthz":
          return Effect.succeed(HttpServerResponse.unsafeJson({ status: "ok" }))
        case "/readyz":
          return ready
        case "/metrics":
          return Effect.sync(() =>
            HttpServerResponse.text(metrics.render(), { contentType: "text/plain; version=0.0.4; charset=utf-8" })
          )
        case "/openapi.json":
          return Effect.succeed(HttpServerResponse.text(openapi, { contentType: "application/json" }))
        default:
          return Docs.serve(pathname)
      }
    }

    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const started = yield* Clock.currentTimeMillis
      const url = new URL(request.url, "http://gateway.local")
      const log: Record<string, unknown> = { method: request.method, path: url.pathname }
      const opsResponse = ops(url.pathname)
      const response = opsResponse !== undefined ? yield* opsResponse : yield* api(request, url, log)
      if (opsResponse === undefined) {
        metrics.requests.inc({
          operation: String(log["operation"] ?? "unknown"),
          status: String(response.status),
          caller: String(log["caller"] ?? "unauthenticated")
        })
        yield* Effect.logInfo("request").pipe(
          Effect.annotateLogs({ ...log, status: response.status, ms: (yield* Clock.currentTimeMillis) - started })
        )
      }
      return response
    }).pipe(
      Effect.catchAllCause((cause) =>
        Effect.logError("request failed", cause).pipe(
          Effect.as(message(500, "the gateway failed to handle the request"))
        )
      )
    )
  })

/** A caller may shorten its wait with `x-max-wait-ms`; it can never lengthen it past the gateway's maximum. */
const callerMaxWait = (request: HttpServerRequest.HttpServerRequest, max: Duration.Duration): number => {
  const header = Number(request.headers["x-max-wait-ms"])
  const limit = Duration.toMillis(max)
  return Number.isFinite(header) && header >= 0 ? Math.min(header, limit) : limit
}

/** The gateway as a layer: serves on `host:port` until the layer is released, and exposes its `HttpServer`. */
export const layer = (options: Options & { readonly host: string; readonly port: number }) =>
  Layer.unwrapScoped(Effect.map(makeApp(options), (app) => HttpServer.serve(app))).pipe(
    Layer.provideMerge(NodeHttpServer.layer(() => createServer(), { host: options.host, port: options.port })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

/**
 * Starts the gateway in this process (tests, embedding) and returns its URL. It keeps real time even when
 * started from a test on a `TestClock`: the budget, the cache and the queue deadlines are about real time.
 */
export const start = (
  options: Options & { readonly host?: string; readonly port?: number }
): Effect.Effect<{ readonly url: string; readonly port: number }, unknown, Scope.Scope> =>
  Effect.withClock(
    Effect.gen(function*() {
      const context = yield* Layer.build(
        layer({ ...options, host: options.host ?? "127.0.0.1", port: options.port ?? 0 })
      )
      const address = Context.get(context, HttpServer.HttpServer).address
      if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("the gateway is not listening on TCP")
      return { url: `http://${address.hostname}:${address.port}`, port: address.port }
    }),
    Clock.make()
  )

/** Options from the environment's configuration and the keys file. */
export const optionsFromConfig = (config: GatewayConfig, keys: CallerKeys.CallerKeys): Options & {
  readonly host: string
  readonly port: number
} => ({
  dixaApiKey: config.dixaApiKey,
  dixaBaseUrl: config.dixaBaseUrl,
  keys,
  budget: config.budget,
  maxQueue: config.maxQueue,
  maxWait: config.maxWait,
  cacheTtl: config.cacheTtl,
  cacheGroups: config.cacheGroups,
  upstreamTimeout: config.upstreamTimeout,
  host: config.host,
  port: config.port
})
