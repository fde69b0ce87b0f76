/**
 * Failing closed when the state shared by replicas (Redis) cannot be reached: nothing goes to Dixa without a token of
 * the shared budget, so the request is answered 503 with `Retry-After` instead.
 *
 * The core's `Limiter` cannot fail, so an unreachable store is a defect of this one class; the gateway turns it into
 * its 503 at the edge of the upstream path (`failClosed`).
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Idempotency from "../Idempotency.js"

/** The shared state could not be read or written: the operation did nothing. */
export class Unavailable extends Data.TaggedError("SharedStateUnavailable")<{ readonly reason: string }> {
  override get message() {
    return `the gateway's shared state (GATEWAY_REDIS_URL) is unreachable: ${this.reason}`
  }
}

/** Seconds a caller is asked to wait before trying again. */
export const retryAfterSeconds = 1

const encoder = new TextEncoder()

/** The gateway's 503 for a request it did not send because the shared state is unreachable. */
export const answer = (): Idempotency.Stored & { readonly gatewayMade: true } => ({
  status: 503,
  headers: { "content-type": "application/json", "retry-after": String(retryAfterSeconds) },
  body: encoder.encode(JSON.stringify({
    message: "not sent: the gateway cannot reach its shared state (Redis) for the Dixa rate budget; try again later"
  })),
  gatewayMade: true
})

/** Recovers from an {@link Unavailable} defect with `onUnavailable`; any other defect stays one. */
export const failClosed = <B>(onUnavailable: () => B) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.catchSomeDefect(
    self,
    (defect) => defect instanceof Unavailable ? Option.some(Effect.sync(onUnavailable)) : Option.none()
  ) as Effect.Effect<A | B, E, R>
