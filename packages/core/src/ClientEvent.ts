/**
 * What a client reports as it works, for a debug log or a progress line: each request as sent (the key masked), each
 * answer or transport failure with its time, each wait for a rate-limit slot that was not instant, and each retry with
 * its reason and wait. Pass an observer as `DixaClient.Options.observe`; with none, nothing is built.
 *
 * @since 0.2.0
 */
import type * as Duration from "effect/Duration"

/** The request of one attempt, as it went out; the `authorization` header is masked. */
export interface Sent {
  readonly _tag: "Sent"
  readonly operation: string
  /** 1 for the first attempt. */
  readonly attempt: number
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  /** JSON or text bodies as text; `<n bytes>` or `<multipart form>` otherwise. */
  readonly body: string | undefined
}

/** The answer to one attempt, read whole. */
export interface Answered {
  readonly _tag: "Answered"
  readonly operation: string
  readonly attempt: number
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
  readonly millis: number
}

/** An attempt that brought no answer (refused, timed out, cut off). */
export interface NoAnswer {
  readonly _tag: "NoAnswer"
  readonly operation: string
  readonly attempt: number
  readonly reason: string
  readonly message: string
  readonly millis: number
}

/** An attempt waited this long for a slot of the rate budget before it was sent. */
export interface Throttled {
  readonly _tag: "Throttled"
  readonly operation: string
  readonly attempt: number
  readonly millis: number
}

/** The client will try again after `wait`, because of `reason` (e.g. `429 RateLimited`, `Timeout`). */
export interface Retrying {
  readonly _tag: "Retrying"
  readonly operation: string
  /** The attempt about to be made, 2 for the first retry. */
  readonly attempt: number
  readonly reason: string
  readonly wait: Duration.Duration
}

/** Anything a client reports. */
export type ClientEvent = Sent | Answered | NoAnswer | Throttled | Retrying

/** Receives a client's events, synchronously; it must not throw. */
export type Observer = (event: ClientEvent) => void

/** How a key is shown: never its value, at most that one was given. */
export const maskedKey = "<redacted>"
