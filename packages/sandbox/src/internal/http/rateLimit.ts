/**
 * Dixa's rate limit, one bucket per API token (the core's limiter, 10/s with bursts of 4 by default).
 */
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { RateLimit } from "@org/dixa-core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { message } from "./answer.js"
import type { Counters } from "./shared.js"

/**
 * How early a request may arrive before its slot and still be served. A client keeping to the budget exactly
 * sees its requests land with jitter (a cold first connection late, the next ones on time); half an interval of
 * slack absorbs that, while a burst of simultaneous requests still gets exactly `burst` through.
 */
const graceMillis = (budget: RateLimit.Budget) => 500 / budget.requestsPerSecond

/** The limiters by token, made on a token's first request. */
const limiters = (budget: RateLimit.Budget) => {
  const byToken = new Map<string, RateLimit.Limiter>()
  return (token: string) =>
    Effect.suspend(() => {
      const existing = byToken.get(token)
      if (existing !== undefined) return Effect.succeed(existing)
      return Effect.tap(RateLimit.make(budget), (limiter) => Effect.sync(() => byToken.set(token, limiter)))
    })
}

/** Answers 429 with `Retry-After` once a token has spent its budget; runs after authentication. */
export const middleware = (budget: RateLimit.Budget | false, counters: Counters) => {
  if (budget === false) return HttpMiddleware.make((app) => app)
  const limiterFor = limiters(budget)
  const grace = Duration.millis(graceMillis(budget))
  return HttpMiddleware.make((app) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const limiter = yield* limiterFor(request.headers["authorization"] ?? "")
      const slot = yield* limiter.reserve(grace)
      if (Option.isSome(slot)) return yield* app
      counters.rateLimited++
      return message(429, "too many requests for this API token", { "retry-after": "1" })
    })
  )
}
