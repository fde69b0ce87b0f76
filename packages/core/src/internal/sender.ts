/**
 * Sending one request with the budget, retries and bounds. Each attempt first takes a slot of the budget (a wait for
 * one bounded by the deadline only), then exchanges (bounded by the attempt timeout and the deadline); a retry
 * happens only when the operation's class allows it and its wait ends before the deadline.
 *
 * Written for the common case to be cheap, because a gateway runs it for every request it forwards: a free slot and a
 * final answer take no timer, no generator and no change of the fiber's clock. The client's clock is read directly,
 * and only the waits (for a slot, before a retry) run on it as the fiber's clock.
 */
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import type * as ClientEvent from "../ClientEvent.js"
import type { CallOptions, Exchange, RawRequest, RawResponse } from "../DixaClient.js"
import * as DixaError from "../DixaError.js"
import type * as Endpoint from "../Endpoint.js"
import type * as RateLimit from "../RateLimit.js"
import * as Retry from "../Retry.js"
import * as Span from "./span.js"

/** The client's settings a send needs. */
export interface Settings {
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
  readonly timeout: Duration.Duration
  readonly deadline: Duration.DurationInput | undefined
}

/** Sends a raw request; fails only when no final answer came. */
export type Send = (
  endpoint: Endpoint.Any,
  request: RawRequest,
  options?: CallOptions
) => Effect.Effect<RawResponse, DixaError.TransportError>

interface Ctx {
  readonly operation: string
  readonly method: string
  readonly path: string
}

/** The request as the HTTP client sends it: the caller's headers first, so they cannot replace the key. */
const buildRequest = (
  settings: Settings,
  endpoint: Endpoint.Any,
  request: RawRequest,
  headers: Readonly<Record<string, string>> | undefined
): HttpClientRequest.HttpClientRequest => {
  const req = HttpClientRequest.make(endpoint.method)(settings.baseUrl + request.path, {
    urlParams: request.query,
    headers: { ...headers, authorization: Redacted.value(settings.apiKey) },
    acceptJson: true
  })
  if (request.body instanceof FormData) return HttpClientRequest.bodyFormData(req, request.body)
  if (request.body === undefined) return req
  return typeof request.body === "string"
    ? HttpClientRequest.bodyText(req, request.body, request.contentType ?? "application/json")
    : HttpClientRequest.bodyUint8Array(req, request.body, request.contentType ?? "application/json")
}

type Attempt = (
  send: Exchange,
  req: HttpClientRequest.HttpClientRequest,
  ctx: Ctx & { readonly attempts: number },
  timeout: Duration.Duration,
  why: string
) => Effect.Effect<RawResponse, DixaError.TransportError>

/**
 * One HTTP exchange, bounded by `timeout` (which starts when the request is sent, never while it waits for a slot).
 * `why` says what the bound was, for the message.
 */
const exchange: Attempt = (send, req, ctx, timeout, why) =>
  Effect.mapBoth(send(req, timeout), {
    onSuccess: (answer): RawResponse => ({ ...answer, attempts: ctx.attempts }),
    onFailure: (failure) =>
      new DixaError.TransportError({
        ...ctx,
        reason: failure.reason,
        message: failure.reason === "Timeout" ? `no answer within ${Duration.format(timeout)}${why}` : failure.message
      })
  })

/** The request as an observer sees it: the URL as sent, the key masked, the body as text where it is text. */
const sentEvent = (
  req: HttpClientRequest.HttpClientRequest,
  request: RawRequest,
  ctx: Ctx & { readonly attempts: number }
): ClientEvent.Sent => {
  const query = new URLSearchParams(request.query as Array<[string, string]>).toString()
  const headers: Record<string, string> = { ...req.headers, authorization: "<redacted>" }
  if (request.contentType !== undefined || typeof request.body === "string" || request.body instanceof Uint8Array) {
    headers["content-type"] = request.contentType ?? "application/json"
  }
  return {
    _tag: "Sent",
    operation: ctx.operation,
    attempt: ctx.attempts,
    method: ctx.method,
    url: req.url + (query === "" ? "" : `?${query}`),
    headers,
    body: request.body === undefined || typeof request.body === "string"
      ? request.body
      : request.body instanceof FormData
      ? "<multipart form>"
      : `<${request.body.byteLength} bytes>`
  }
}

/** {@link exchange}, telling `observe` what was sent and what came back, with the time it took. */
const observedExchange =
  (observe: ClientEvent.Observer, request: RawRequest, clock: Clock.Clock): Attempt => (send, req, ctx, timeout, why) =>
    Effect.suspend(() => {
      const started = clock.unsafeCurrentTimeMillis()
      observe(sentEvent(req, request, ctx))
      const base = { operation: ctx.operation, attempt: ctx.attempts }
      const tell = (event: (millis: number) => ClientEvent.ClientEvent) =>
        Effect.sync(() => observe(event(clock.unsafeCurrentTimeMillis() - started)))
      return exchange(send, req, ctx, timeout, why).pipe(
        Effect.tap((answer) =>
          tell((millis) => ({
            ...base,
            _tag: "Answered",
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
            millis
          }))
        ),
        Effect.tapError((error) =>
          tell((millis) => ({ ...base, _tag: "NoAnswer", reason: error.reason, message: error.message, millis }))
        )
      )
    })

/** The error of a call whose deadline passed before its request could be sent (again). */
const deadlinePassed = (ctx: Ctx, attempts: number, deadline: Duration.Duration) =>
  new DixaError.TransportError({
    ...ctx,
    attempts,
    reason: "Deadline",
    message: attempts === 0
      ? `not sent: the call's deadline of ${Duration.format(deadline)} passed while it waited for a rate-limit slot`
      : `the call's deadline of ${Duration.format(deadline)} passed before attempt ${attempts + 1} could be sent`
  })

/** The error a final-looking answer stands for when it may call for a retry (429 and 5xx), with its Retry-After. */
const retryableStatus = (ctx: Ctx, response: RawResponse, now: number) => {
  const retryAfter = Retry.parseRetryAfter(response.headers["retry-after"], now)
  return {
    failure: DixaError.fromStatus({ ...ctx, attempts: response.attempts }, response.status, "", retryAfter),
    retryAfter
  }
}

/** A retry's reason in a few words: `429 RateLimited`, `503 ServerError`, `Timeout`, `ConnectionRefused`. */
const reasonOf = (failure: DixaError.DixaError): string =>
  failure._tag === "TransportError"
    ? failure.reason
    : "status" in failure && typeof failure.status === "number"
    ? `${failure.status} ${failure._tag}`
    : failure._tag

/** Runs `self` with the client's clock as the fiber's, unless it already is. */
const onClock = (clock: Clock.Clock) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.clockWith((current) => current === clock ? self : Effect.withClock(self, clock))

/** The sending engine of one client. */
export const make = (
  send: Exchange,
  limiter: RateLimit.Limiter,
  policy: Retry.Policy,
  settings: Settings,
  clock: Clock.Clock,
  observe: ClientEvent.Observer | undefined
): Send => {
  const clocked = onClock(clock)
  return (endpoint, request, options) =>
    Effect.suspend(() => {
      const ctx: Ctx = { operation: endpoint.id, method: endpoint.method, path: request.path }
      const req = buildRequest(settings, endpoint, request, options?.headers)
      const timeout = options?.timeout === undefined ? settings.timeout : Duration.decode(options.timeout)
      const deadlineInput = options?.deadline ?? settings.deadline
      const deadline = deadlineInput === undefined ? undefined : Duration.decode(deadlineInput)
      const deadlineMillis = deadline === undefined ? Infinity : Duration.toMillis(deadline)
      const started = clock.unsafeCurrentTimeMillis()
      const remaining = () => deadlineMillis - (clock.unsafeCurrentTimeMillis() - started)
      const exchangeOnce = observe === undefined ? exchange : observedExchange(observe, request, clock)

      /** A slot of the budget: a free one takes no timer; a wait for one is raced against the deadline. */
      const slot = (attempts: number): Effect.Effect<void, DixaError.TransportError> => {
        const before = remaining()
        if (before <= 0) return Effect.fail(deadlinePassed(ctx, attempts, deadline!))
        const wait = deadline === undefined ? limiter.take : Effect.timeoutFail(limiter.take, {
          duration: Duration.millis(before),
          onTimeout: () => deadlinePassed(ctx, attempts, deadline!)
        })
        const asked = clock.unsafeCurrentTimeMillis()
        const waited = observe === undefined ? clocked(wait) : Effect.tap(clocked(wait), () => {
          const millis = clock.unsafeCurrentTimeMillis() - asked
          if (millis >= 1) observe({ _tag: "Throttled", operation: ctx.operation, attempt: attempts + 1, millis })
        })
        if (limiter.tryTake === undefined) return waited
        return Effect.flatMap(clocked(limiter.tryTake), (free) => free ? Effect.void : waited)
      }

      const attempt = (attempts: number) =>
        Effect.flatMap(slot(attempts), () => {
          const left = remaining()
          if (left <= 0) return Effect.fail(deadlinePassed(ctx, attempts, deadline!))
          const bound = left < Duration.toMillis(timeout)
            ? Duration.millis(left)
            : timeout
          const why = bound === timeout ? "" : ` (the call's deadline of ${Duration.format(deadline!)})`
          return exchangeOnce(send, req, { ...ctx, attempts: attempts + 1 }, bound, why)
        })

      /** After a failure or a 429/5xx: a retry when the class allows it and its wait ends before the deadline. */
      const retryOr = (
        retry: number,
        failure: DixaError.DixaError,
        retryAfter: number | undefined,
        result: Effect.Effect<RawResponse, DixaError.TransportError>
      ): Effect.Effect<RawResponse, DixaError.TransportError> => {
        if (retry >= policy.maxRetries || !Retry.isRetryable(endpoint.retry, failure)) return result
        return Effect.flatMap(Random.next, (random) => {
          const wait = Retry.delay(policy, retry + 1, random, retryAfter)
          // A retry that could only start after the deadline is not made: the caller gets the failure as it is.
          if (Duration.toMillis(wait) >= remaining()) return result
          observe?.({ _tag: "Retrying", operation: ctx.operation, attempt: retry + 2, reason: reasonOf(failure), wait })
          // After a 429 the whole client holds back: every caller's next slot comes after the pause.
          const pause = failure._tag === "RateLimited" ? limiter.pause(wait) : Effect.void
          return Span.annotate("dixa.retries", retry + 1).pipe(
            Effect.zipRight(pause),
            Effect.zipRight(clocked(Effect.sleep(wait))),
            Effect.zipRight(loop(retry + 1))
          )
        })
      }

      const loop = (retry: number): Effect.Effect<RawResponse, DixaError.TransportError> =>
        Effect.matchEffect(attempt(retry), {
          onFailure: (error) =>
            error.reason === "Deadline" ? Effect.fail(error) : retryOr(retry, error, undefined, Effect.fail(error)),
          onSuccess: (response) => {
            if (response.status !== 429 && response.status < 500) return Effect.succeed(response)
            const { failure, retryAfter } = retryableStatus(ctx, response, clock.unsafeCurrentTimeMillis())
            return retryOr(retry, failure, retryAfter, Effect.succeed(response))
          }
        })
      return loop(0)
    })
}
