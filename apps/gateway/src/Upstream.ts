/**
 * The way to Dixa: the shared budget (fair between callers), the core's client with its retries, the response
 * cache and the idempotency records. Every wait here is bounded by the request's deadline, and every request that
 * may have reached Dixa is remembered as such, so a write is never sent twice.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Api, DixaClient, type DixaError, type Endpoint, RateLimit } from "@org/dixa-core"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import { message, requestKey } from "./Accept.js"
import * as Answer from "./Answer.js"
import * as FairBudget from "./FairBudget.js"
import * as Idempotency from "./Idempotency.js"
import * as Metrics from "./Metrics.js"
import type { Options } from "./Options.js"
import * as ResponseCache from "./ResponseCache.js"
import * as Unavailable from "./shared/Unavailable.js"
import * as UndiciExchange from "./UndiciExchange.js"

/** What one request spent upstream, filled in by the budget's `take` and the HTTP client while the client sends it. */
export interface Spend {
  /** Whose request it is, for the fair queue. */
  caller: string
  attempts: number
  waitedMillis: number
  /** A request went out and no answer has told us Dixa did not process it (a 429 does): a write may have landed. */
  inDoubt: boolean
}

export const spend = (): Spend => ({ caller: "anonymous", attempts: 0, waitedMillis: 0, inDoubt: false })

const currentSpend: FiberRef.FiberRef<Spend | undefined> = FiberRef.unsafeMake<Spend | undefined>(undefined)

/** Fields for the request's log line, filled in as the request goes. */
export type LogFields = Record<string, unknown>

/** Builds the way to Dixa for a gateway's options, closed with the scope. Needs an `HttpClient` for the rare body that is not bytes. */
export const make = (options: Options) =>
  Effect.gen(function*() {
    const budget = options.budget ?? RateLimit.clientBudget
    const base = options.limiter ?? (yield* RateLimit.make(budget))
    const fair = yield* FairBudget.make({
      base,
      budget,
      maxQueue: options.maxQueue ?? 256,
      callerOf: Effect.map(FiberRef.get(currentSpend), (spent) => spent?.caller ?? "anonymous")
    })
    const metrics = yield* Metrics.gatewayMetrics(fair.depth)
    /** Notes a slot given after `waited` milliseconds on the request's `Spend`. */
    const taken = (waited: number) =>
      Effect.map(FiberRef.get(currentSpend), (spent) => {
        metrics.limiterWait.observe(waited / 1000)
        if (spent !== undefined) {
          spent.attempts++
          spent.waitedMillis += waited
        }
      })
    const take = Effect.gen(function*() {
      const started = yield* Clock.currentTimeMillis
      yield* fair.limiter.take
      yield* taken((yield* Clock.currentTimeMillis) - started)
    })
    const tryTake = Effect.tap(fair.limiter.tryTake, (now) => now ? taken(0) : Effect.void)
    const exchange = yield* UndiciExchange.make({
      baseUrl: options.dixaBaseUrl,
      fallback: DixaClient.platformExchange(watchOutcome(yield* HttpClient.HttpClient)),
      watch: { sent: noteSent, answered: noteAnswered }
    })
    const client = yield* DixaClient.make({
      apiKey: options.dixaApiKey,
      baseUrl: options.dixaBaseUrl,
      limiter: { ...fair.limiter, take, tryTake },
      exchange,
      ...(options.upstreamTimeout !== undefined ? { timeout: options.upstreamTimeout } : {}),
      ...(options.retry !== undefined ? { retry: options.retry } : {})
    })
    const cache = options.cache ?? (yield* ResponseCache.make({
      ttl: Duration.decode(options.cacheTtl ?? "5 seconds"),
      groups: options.cacheGroups ?? ["organization", "agents", "tags"]
    }))
    const idempotency = options.idempotency ?? (yield* Idempotency.make())
    const maxWait = Duration.decode(options.maxWait ?? "10 seconds")

    /**
     * Forwards one validated request; the answer is Dixa's, byte for byte. `deadline` bounds the whole stay upstream:
     * the queue, every attempt and every pause; past it nothing more is sent.
     */
    const forward = (
      endpoint: Endpoint.Any,
      caller: string,
      outgoing: DixaClient.RawRequest,
      deadline: Duration.Duration,
      spent: Spend = spend()
    ): Effect.Effect<DixaClient.RawResponse, DixaError.TransportError> =>
      Effect.clockWith((clock) => {
        const started = clock.unsafeCurrentTimeMillis()
        // Set, not scoped with `locally`: a request has its own fiber, and nothing after this reads another value.
        spent.caller = caller
        return Effect.zipRight(FiberRef.set(currentSpend, spent), client.send(endpoint, outgoing, { deadline })).pipe(
          Effect.tap((response) => {
            const seconds = (clock.unsafeCurrentTimeMillis() - started - spent.waitedMillis) / 1000
            metrics.upstreamLatency.observe(seconds, { operation: endpoint.id })
            if (spent.attempts > 1) metrics.retries.inc({ operation: endpoint.id }, spent.attempts - 1)
            if (response.status === 429) metrics.rateLimited.inc({ source: "upstream" })
            return DixaClient.annotateSpan("http.response.status_code", response.status)
          })
        )
      }).pipe(
        // The span the core's `call` makes, for the raw `send` the gateway forwards with: no token, no query.
        DixaClient.withOperationSpan(endpoint)
      )

    /**
     * Dixa's answer to a validated request, or the gateway's own when it could not get one in time; a GET of a
     * cached group may come from the cache, and any other request empties the cache once it is done.
     */
    const send = (
      endpoint: Endpoint.Any,
      caller: string,
      outgoing: DixaClient.RawRequest,
      deadline: Duration.Duration,
      spent: Spend,
      log: LogFields
    ): Effect.Effect<Answer.Answer> => {
      const load = Effect.suspend(() => forward(endpoint, caller, outgoing, deadline, spent))
      const answered: Effect.Effect<Answer.Answer, DixaError.TransportError> = cache.covers(endpoint)
        ? Effect.map(cache.get(endpoint, requestKey(outgoing), load), ([response, outcome]) => {
          metrics.cache.inc({ outcome })
          log["cache"] = outcome
          return { ...Answer.fromUpstream(response), cache: outcome, inDoubt: false }
        })
        : Effect.map(
          // Whatever came back (even a failure or a timeout may have applied the write), cached reads are stale now.
          endpoint.method === "GET" ? load : Effect.ensuring(load, cache.invalidate(endpoint)),
          (response) => ({ ...Answer.fromUpstream(response), inDoubt: false })
        )
      return answered.pipe(
        Effect.catchTag("TransportError", (e) => {
          log["upstreamError"] = e.reason
          return Effect.succeed({ ...Answer.transportAnswer(e), inDoubt: spent.inDoubt })
        }),
        // No token of a shared budget out of reach: nothing more was sent.
        Unavailable.failClosed(() => ({ ...Unavailable.answer(), inDoubt: spent.inDoubt }))
      )
    }

    /** A write with an `Idempotency-Key`: at most one upstream call per key and caller, its answer replayed. */
    const once = (
      key: string,
      caller: string,
      fingerprint: ReadonlyArray<string | Uint8Array>,
      sending: Effect.Effect<Answer.Answer>,
      spent: Spend,
      log: LogFields,
      extra: Record<string, string>
    ): Effect.Effect<HttpServerResponse.HttpServerResponse> =>
      Effect.gen(function*() {
        const claim = yield* idempotency.claim(caller, key, fingerprint)
        switch (claim._tag) {
          case "Mismatch":
            return message(422, "this Idempotency-Key was already used for a different request")
          case "Replay":
            log["idempotency"] = "replayed"
            return Answer.toResponse(claim.answer, { ...extra, "idempotent-replayed": "true" })
          case "First": {
            const answer = yield* sending.pipe(
              Effect.onInterrupt(() =>
                // The caller left. If nothing can have reached Dixa the key is free again; otherwise a repeat must
                // not send a second time, and gets told the outcome is unknown.
                spent.inDoubt ? claim.settle(Answer.inDoubt) : claim.release
              )
            )
            // Kept: Dixa's answer, or the gateway's when the write may have landed. Not kept: a 429 (nothing was
            // processed) and a failure before anything was sent, so a repeat may go ahead.
            const keep = answer.status !== 429 && (answer.gatewayMade !== true || answer.inDoubt)
            yield* keep ? claim.settle(answer) : claim.release
            return Answer.toResponse(answer, extra)
          }
        }
      }).pipe(Unavailable.failClosed(() => Answer.toResponse(Unavailable.answer(), extra)))

    const organization = Api.byId.get("organization.get")
    /** Ready when Dixa answers the organization with this gateway's token. */
    const probe = organization === undefined
      ? Effect.succeed(message(503, "no readiness probe"))
      : forward(organization, "gateway", { path: organization.path, query: [] }, maxWait).pipe(
        Effect.map((r) =>
          r.status < 300
            ? HttpServerResponse.unsafeJson({ status: "ready" })
            : message(503, `Dixa answered ${r.status} to the readiness probe`)
        ),
        Effect.catchAll((e) => Effect.succeed(message(503, `Dixa is not reachable: ${e.message}`)))
      )
    const ready = options.unavailable === undefined ?
      probe :
      Effect.flatMap(
        options.unavailable,
        (problem) => problem._tag === "Some" ? Effect.succeed(message(503, problem.value)) : probe
      ).pipe(
        Unavailable.failClosed(() => message(503, "the shared state (GATEWAY_REDIS_URL) is unreachable"))
      )

    return { fair, metrics, maxWait, send, once, ready } as const
  })

/** The way to Dixa of one gateway. */
export type Upstream = Effect.Effect.Success<ReturnType<typeof make>>

/**
 * Notes on the request's `Spend` whether a write may have reached Dixa: set when a request goes out, cleared by an
 * answer that says it was not processed (429).
 */
const noteSent = Effect.map(FiberRef.get(currentSpend), (spent) => {
  if (spent !== undefined) spent.inDoubt = true
})
const noteAnswered = (status: number) =>
  Effect.map(FiberRef.get(currentSpend), (spent) => {
    if (spent !== undefined && status === 429) spent.inDoubt = false
  })

/** The same notes for a request that goes through the platform's client. */
const watchOutcome = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transform(
    client,
    (exchange) => noteSent.pipe(Effect.zipRight(exchange), Effect.tap((response) => noteAnswered(response.status)))
  )
