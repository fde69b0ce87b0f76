/**
 * The gateway: speaks the Dixa API to internal callers and forwards to Dixa with the one token it holds.
 * Every operation of the core's definition is served by the same code path, derived from the definition:
 * route, authenticate the caller, check scope, validate, serve from cache or queue for the shared budget,
 * forward with the core's retries, and pass Dixa's answer back unchanged.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import {
  Api,
  DixaClient,
  type DixaError,
  type Endpoint,
  OpenApi,
  RateLimit,
  type Retry,
  Router,
  Wire
} from "@org/dixa-core"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import * as CallerKeys from "./CallerKeys.js"
import * as Docs from "./Docs.js"
import * as Door from "./Door.js"
import * as FairBudget from "./FairBudget.js"
import type { GatewayConfig } from "./GatewayConfig.js"
import * as Idempotency from "./Idempotency.js"
import * as Metrics from "./Metrics.js"
import * as ResponseCache from "./ResponseCache.js"

/** What one request spent upstream, filled in by the budget's `take` and the HTTP client while the client sends it. */
interface Spend {
  attempts: number
  waitedMillis: number
  /** A request went out and no answer has told us Dixa did not process it (a 429 does): a write may have landed. */
  inDoubt: boolean
}

const currentSpend: FiberRef.FiberRef<Spend | undefined> = FiberRef.unsafeMake<Spend | undefined>(undefined)

/** Everything the gateway needs besides its listening address. The door's limits default as `Door.defaults`. */
export interface Options extends Door.Limits, Door.ServerLimits {
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
    const metrics = yield* Metrics.gatewayMetrics(fair.depth)
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
      transformClient: watchOutcome,
      ...(options.upstreamTimeout !== undefined ? { timeout: options.upstreamTimeout } : {}),
      ...(options.retry !== undefined ? { retry: options.retry } : {})
    })
    const cache = yield* ResponseCache.make({
      ttl: Duration.decode(options.cacheTtl ?? "5 seconds"),
      groups: options.cacheGroups ?? ["organization", "agents", "tags"]
    })
    const route = Router.make(Api.endpoints)
    const maxWait = Duration.decode(options.maxWait ?? "10 seconds")
    const idempotency = yield* Idempotency.make()
    const openapi = JSON.stringify(OpenApi.make())
    const organization = Api.byId.get("organization.get")

    /**
     * Forwards one validated request; the answer is Dixa's, byte for byte. `deadline` bounds the whole stay upstream:
     * the queue, every attempt and every pause; past it nothing more is sent.
     */
    const forward = (
      endpoint: Endpoint.Any,
      caller: string,
      outgoing: DixaClient.RawRequest,
      deadline: Duration.Duration,
      spend: Spend = { attempts: 0, waitedMillis: 0, inDoubt: false }
    ): Effect.Effect<DixaClient.RawResponse, DixaError.TransportError> =>
      Effect.gen(function*() {
        const started = yield* Clock.currentTimeMillis
        const response = yield* client.send(endpoint, outgoing, { deadline }).pipe(
          Effect.locally(FairBudget.currentCaller, caller),
          Effect.locally(currentSpend, spend)
        )
        metrics.upstreamLatency.observe(((yield* Clock.currentTimeMillis) - started - spend.waitedMillis) / 1000, {
          operation: endpoint.id
        })
        if (spend.attempts > 1) metrics.retries.inc({ operation: endpoint.id }, spend.attempts - 1)
        if (response.status === 429) metrics.rateLimited.inc({ source: "upstream" })
        yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
        return response
      }).pipe(
        // The span the core's `call` makes, for the raw `send` the gateway forwards with: no token, no query.
        DixaClient.withOperationSpan(endpoint)
      )

    /**
     * Dixa's answer to a validated request, or the gateway's own when it could not get one in time. `inDoubt` says
     * whether a write may have reached Dixa without its answer reaching us.
     */
    const upstream = (
      endpoint: Endpoint.Any,
      caller: string,
      outgoing: DixaClient.RawRequest,
      deadline: Duration.Duration,
      spend: Spend,
      log: Record<string, unknown>
    ): Effect.Effect<Answer> => {
      const load = forward(endpoint, caller, outgoing, deadline, spend)
      return Effect.gen(function*() {
        if (cache.covers(endpoint)) {
          const [response, outcome] = yield* cache.get(endpoint, cacheKey(outgoing), load)
          metrics.cache.inc({ outcome })
          log["cache"] = outcome
          return { ...fromUpstream(response), cache: outcome, inDoubt: false }
        }
        const response = yield* load.pipe(
          // Whatever came back (even a failure or a timeout may have applied the write), cached reads are stale now.
          Effect.ensuring(endpoint.method === "GET" ? Effect.void : cache.invalidate(endpoint))
        )
        return { ...fromUpstream(response), inDoubt: false }
      }).pipe(
        Effect.catchTag("TransportError", (e) => {
          log["upstreamError"] = e.reason
          return Effect.succeed({ ...transportAnswer(e), inDoubt: spend.inDoubt })
        })
      )
    }

    /** A write with an `Idempotency-Key`: at most one upstream call per key and caller, its answer replayed. */
    const once = (
      key: string,
      caller: string,
      request: ReadonlyArray<string | Uint8Array>,
      send: Effect.Effect<Answer>,
      spend: Spend,
      log: Record<string, unknown>,
      extra: Record<string, string>
    ): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
      Effect.gen(function*() {
        const claim = yield* idempotency.claim(caller, key, request)
        switch (claim._tag) {
          case "Mismatch":
            return message(422, "this Idempotency-Key was already used for a different request")
          case "Replay":
            log["idempotency"] = "replayed"
            return toResponse(claim.answer, { ...extra, "idempotent-replayed": "true" })
          case "First": {
            const answer = yield* send.pipe(
              Effect.onInterrupt(() =>
                // The caller left. If nothing can have reached Dixa the key is free again; otherwise a repeat must
                // not send a second time, and gets told the outcome is unknown.
                spend.inDoubt ? claim.settle(inDoubtAnswer) : claim.release
              )
            )
            // Kept: Dixa's answer, or the gateway's when the write may have landed. Not kept: a 429 (nothing was
            // processed) and a failure before anything was sent, so a repeat may go ahead.
            const keep = answer.status !== 429 && (answer.gatewayMade !== true || answer.inDoubt)
            yield* keep ? claim.settle(answer) : claim.release
            return toResponse(answer, extra)
          }
        }
      })

    const api = (request: HttpServerRequest.HttpServerRequest, url: URL, log: Record<string, unknown>) =>
      Effect.gen(function*() {
        const arrived = yield* Clock.currentTimeMillis
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
        const read = yield* Door.readBody(request, endpoint, options)
        if (read._tag === "Refused") return message(read.status, read.message)
        const raw = read.body
        const accepted = yield* accept(endpoint, found.match.pathParams, url, raw, request.headers["content-type"])
        if (accepted._tag === "Refused") return accepted.response
        const outgoing = accepted.request
        if (accepted.ignored.length > 0) log["ignoredQuery"] = accepted.ignored
        const key = request.headers["idempotency-key"]
        const idempotent = key !== undefined && (endpoint.method === "POST" || endpoint.method === "PATCH")
        if (idempotent && (key.length === 0 || key.length > 255)) {
          return message(400, "Idempotency-Key must be 1 to 255 characters")
        }
        // The caller's whole stay is bounded: the queue, every attempt, every pause and Dixa's own time.
        const budget = callerMaxWait(request, maxWait)
        const refusal = yield* fair.admit(Duration.millis(budget))
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
        const left = Duration.millis(Math.max(0, budget - ((yield* Clock.currentTimeMillis) - arrived)))
        const spend: Spend = { attempts: 0, waitedMillis: 0, inDoubt: false }
        const send = upstream(endpoint, caller.value.name, outgoing, left, spend, log)
        const extra = ignoredHeader(accepted.ignored)
        if (!idempotent) return toResponse(yield* send, extra)
        const body = typeof outgoing.body === "string" ? outgoing.body : raw
        const fingerprint = [endpoint.method, cacheKey(outgoing), body]
        return yield* once(key, caller.value.name, fingerprint, send, spend, log, extra)
      })

    const ready = organization === undefined
      ? Effect.succeed(message(503, "no readiness probe"))
      : forward(organization, "gateway", { path: organization.path, query: [] }, maxWait).pipe(
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
          return Effect.map(
            metrics.render,
            (text) => HttpServerResponse.text(text, { contentType: Metrics.contentType })
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
      // The platform runs a handler uninterruptibly; the API part may be interrupted, so that a caller who leaves
      // (the connection closes before the answer) stops its request: no slot taken, no retry, nothing more sent.
      const response = opsResponse !== undefined ? yield* opsResponse : yield* Effect.interruptible(
        api(request, url, log).pipe(
          Effect.onInterrupt(() =>
            Effect.flatMap(
              Clock.currentTimeMillis,
              (now) => Effect.logInfo("caller left").pipe(Effect.annotateLogs({ ...log, ms: now - started }))
            )
          )
        )
      )
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
        Cause.isInterruptedOnly(cause)
          ? Effect.succeed(message(499, "the caller closed the connection"))
          : Effect.logError("request failed", cause).pipe(
            Effect.as(message(500, "the gateway failed to handle the request"))
          )
      )
    )
  })

/** A validated request, rebuilt for upstream; or the gateway's refusal. */
type Accepted =
  | {
    readonly _tag: "Accepted"
    readonly request: DixaClient.RawRequest
    /** Query parameters the operation does not define: not forwarded. */
    readonly ignored: ReadonlyArray<string>
  }
  | { readonly _tag: "Refused"; readonly response: HttpServerResponse.HttpServerResponse }

/**
 * Validates a request against its operation and rebuilds what goes upstream from the decoded values, never from
 * the caller's bytes: path and query re-encoded canonically (so what was checked is what is sent), query parameters
 * the operation does not define left out, the body re-encoded with every field kept (Dixa may know fields newer than
 * the definition), and the content type the gateway's own. Multipart bodies are read into their parts and checked
 * like JSON ones.
 */
const accept = (
  endpoint: Endpoint.Any,
  pathParams: Readonly<Record<string, string | undefined>>,
  url: URL,
  raw: Uint8Array,
  contentType: string | undefined
): Effect.Effect<Accepted> =>
  Effect.gen(function*() {
    const refuse = (text: string, issues?: ReadonlyArray<Wire.Issue>) =>
      ({ _tag: "Refused", response: message(400, text, issues === undefined ? {} : { issues }) }) as const
    const multipart = endpoint.bodyEncoding === "multipart"
    const form = multipart ? yield* readForm(raw, contentType) : undefined
    if (form === null) return refuse("body: expected well-formed multipart/form-data")
    const decoded = yield* Wire.decodeRequest(endpoint, {
      pathParams,
      searchParams: url.searchParams,
      bodyText: multipart ? undefined : utf8.decode(raw),
      ...(form !== undefined ? { form } : {})
    }).pipe(Effect.either)
    if (decoded._tag === "Left") return refuse(decoded.left.message, decoded.left.issues)
    const encoded = yield* Wire.encodeRequest(endpoint, decoded.right).pipe(Effect.either)
    if (encoded._tag === "Left") return refuse(encoded.left.message, encoded.left.issues)
    const body = Option.getOrUndefined(encoded.right.body)
    const known = new Set(Object.keys(endpoint.query.fields))
    return {
      _tag: "Accepted",
      request: {
        path: encoded.right.path,
        query: encoded.right.query,
        ...(body === undefined ? {} : multipart ? yield* formBytes(body) : {
          body: JSON.stringify(body),
          contentType: "application/json"
        })
      },
      ignored: [...new Set(url.searchParams.keys())].filter((name) => !known.has(name))
    } as const
  })

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
const cacheKey = (request: DixaClient.RawRequest): string =>
  request.query.length === 0
    ? request.path
    : `${request.path}?${new URLSearchParams(request.query.map(([k, v]): [string, string] => [k, v])).toString()}`

/** Tells a caller which of its query parameters were not forwarded. */
const ignoredHeader = (ignored: ReadonlyArray<string>): Record<string, string> =>
  ignored.length === 0 ? {} : { "x-gateway-ignored-query": ignored.join(",") }

/** An answer to give a caller: Dixa's, passed through, or one the gateway made when it could not get Dixa's. */
interface Answer extends Idempotency.Stored {
  readonly cache?: ResponseCache.Outcome
  /** Made by the gateway (a timeout, a deadline, an unreachable Dixa), not received from Dixa. */
  readonly gatewayMade?: boolean
  /** A write may have reached Dixa although its answer did not reach the gateway. */
  readonly inDoubt: boolean
}

const json = (status: number, text: string, headers: Record<string, string> = {}): Idempotency.Stored => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: new TextEncoder().encode(JSON.stringify({ message: text }))
})

/** Dixa's answer with the headers a caller may see. */
const fromUpstream = (response: DixaClient.RawResponse): Idempotency.Stored => {
  const headers: Record<string, string> = {}
  for (const name of passedHeaders) {
    const value = response.headers[name]
    if (value !== undefined) headers[name] = value
  }
  headers["content-type"] ??= "application/json"
  return { status: response.status, headers, body: response.body }
}

/**
 * The gateway's answer when Dixa's did not come: 429 with Retry-After when the deadline passed before anything was
 * sent (trying again later is safe), 504 when a request was sent but not answered in time, 502 otherwise.
 */
const transportAnswer = (e: DixaError.TransportError): Idempotency.Stored & { readonly gatewayMade: true } => {
  const answer = e.reason === "Deadline" && e.attempts === 0
    ? json(429, `not sent: ${e.message}`, { "retry-after": "1" })
    : e.reason === "Deadline" || e.reason === "Timeout"
    ? json(504, `Dixa did not answer within this request's deadline: ${e.message}`)
    : json(502, `Dixa could not be reached: ${e.message}`)
  return { ...answer, gatewayMade: true }
}

/** What a repeat of a write gets when the first was cut off after it may have reached Dixa. */
const inDoubtAnswer = json(
  409,
  "an earlier request with this Idempotency-Key may have reached Dixa, but its caller left before the answer came: " +
    "check its effect before retrying with a new key"
)

const toResponse = (answer: Idempotency.Stored, extra: Record<string, string> = {}) => {
  const { "content-type": contentType, ...rest } = answer.headers
  const headers: Record<string, string> = { ...rest }
  if ("cache" in answer && answer.cache !== undefined) headers["x-cache"] = answer.cache === "hit" ? "hit" : "miss"
  return answer.body.length === 0 && answer.status === 204
    ? HttpServerResponse.empty({ status: answer.status, headers: { ...headers, ...extra } })
    : HttpServerResponse.uint8Array(answer.body, {
      status: answer.status,
      headers: { ...headers, ...extra },
      contentType: contentType ?? "application/json"
    })
}

/**
 * Notes on the request's `Spend` whether a write may have reached Dixa: set when a request goes out, cleared by an
 * answer that says it was not processed (429).
 */
const watchOutcome = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transform(client, (exchange) =>
    Effect.gen(function*() {
      const spend = yield* FiberRef.get(currentSpend)
      if (spend !== undefined) spend.inDoubt = true
      const response = yield* exchange
      if (spend !== undefined && response.status === 429) spend.inDoubt = false
      return response
    }))

/** A caller may shorten its wait with `x-max-wait-ms`; it can never lengthen it past the gateway's maximum. */
const callerMaxWait = (request: HttpServerRequest.HttpServerRequest, max: Duration.Duration): number => {
  const header = Number(request.headers["x-max-wait-ms"])
  const limit = Duration.toMillis(max)
  return Number.isFinite(header) && header >= 0 ? Math.min(header, limit) : limit
}

/** The gateway as a layer: serves on `host:port` until the layer is released, and exposes its `HttpServer`. */
export const layer = (options: Options & { readonly host: string; readonly port: number }) =>
  Layer.unwrapScoped(Effect.map(makeApp(options), (app) => HttpServer.serve(app))).pipe(
    Layer.provideMerge(
      NodeHttpServer.layer(() => Door.makeServer(options), { host: options.host, port: options.port })
    ),
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
  maxBody: config.maxBody,
  maxMultipartBody: config.maxMultipartBody,
  headersTimeout: config.headersTimeout,
  requestTimeout: config.requestTimeout,
  keepAliveTimeout: config.keepAliveTimeout,
  maxConnections: config.maxConnections,
  host: config.host,
  port: config.port
})
