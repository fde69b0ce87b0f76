/**
 * Fault injection as middleware: added latency, dropped connections, 429 storms and a share of 5xx answers,
 * drawn from the sandbox's own generator so that a run of sequential requests is reproducible.
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { message } from "./answer.js"
import type { Shared } from "./shared.js"

/** Destroys the request's connection without an answer (only the Node server has one to destroy). */
const drop = Effect.map(HttpServerRequest.HttpServerRequest, (request) => {
  NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
  return HttpServerResponse.empty({ status: 500 })
})

/** Applies the faults in force, in the order latency, drop, storm, error; runs after the rate limit. */
export const middleware = (shared: Pick<Shared, "faults" | "faultRng" | "counters">) =>
  HttpMiddleware.make((app) =>
    Effect.suspend(() => {
      const { counters, faultRng } = shared
      const current = shared.faults.current
      const delay = current.latencyMillis > 0 ? Effect.sleep(Duration.millis(current.latencyMillis)) : Effect.void
      return Effect.zipRight(
        delay,
        Effect.suspend(() => {
          if (current.dropRate > 0 && faultRng.float() < current.dropRate) {
            counters.dropped++
            return drop
          }
          if (current.rateLimitStorm) {
            counters.rateLimited++
            return Effect.succeed(message(429, "too many requests (injected storm)", { "retry-after": "1" }))
          }
          if (current.errorRate > 0 && faultRng.float() < current.errorRate) {
            counters.injectedErrors++
            return Effect.succeed(message(faultRng.pick([500, 502, 503]), "injected server error"))
          }
          return app
        })
      )
    })
  )
