/**
 * When and how long to wait before trying a failed call again.
 *
 * @since 0.1.0
 */
import * as Duration from "effect/Duration"
import type { DixaError } from "./DixaError.js"
import type { RetryClass } from "./Endpoint.js"

/** The retry policy of a client. */
export interface Policy {
  /** Retries after the first attempt; 0 disables retrying. */
  readonly maxRetries: number
  /** The delay before the first retry; doubled for each further one. */
  readonly baseDelay: Duration.Duration
  /** No single wait is longer than this, whatever `Retry-After` says. */
  readonly maxDelay: Duration.Duration
  /** Randomise each backoff delay within [delay / 2, delay] so that clients do not retry in step. */
  readonly jitter: boolean
}

/** The default: 4 retries, 250 ms doubling up to 10 s, with jitter. */
export const defaultPolicy: Policy = {
  maxRetries: 4,
  baseDelay: Duration.millis(250),
  maxDelay: Duration.seconds(10),
  jitter: true
}

/** Builds a policy from partial options over {@link defaultPolicy}. */
export const policy = (options: {
  readonly maxRetries?: number
  readonly baseDelay?: Duration.DurationInput
  readonly maxDelay?: Duration.DurationInput
  readonly jitter?: boolean
} = {}): Policy => ({
  maxRetries: options.maxRetries ?? defaultPolicy.maxRetries,
  baseDelay: options.baseDelay === undefined ? defaultPolicy.baseDelay : Duration.decode(options.baseDelay),
  maxDelay: options.maxDelay === undefined ? defaultPolicy.maxDelay : Duration.decode(options.maxDelay),
  jitter: options.jitter ?? defaultPolicy.jitter
})

/**
 * Whether an error may be retried for an operation of the given class. Idempotent operations retry on
 * 429, 5xx and transport failures; unsafe ones only where the request certainly was not processed.
 */
export const isRetryable = (retry: RetryClass, error: DixaError): boolean => {
  switch (error._tag) {
    case "RateLimited":
      return true
    case "TransportError":
      return retry === "idempotent" || error.reason === "ConnectionRefused"
    case "ServerError":
      return retry === "idempotent"
    default:
      return false
  }
}

/**
 * The wait before retry number `attempt` (1 for the first retry): exponential backoff, jittered by
 * `random` in [0, 1), never less than the server's `Retry-After`, capped at `maxDelay`.
 */
export const delay = (
  policy: Policy,
  attempt: number,
  random: number,
  retryAfterMillis: number | undefined
): Duration.Duration => {
  const exponential = Duration.toMillis(policy.baseDelay) * 2 ** (attempt - 1)
  const backoff = policy.jitter ? exponential * (0.5 + random / 2) : exponential
  const wanted = Math.max(backoff, retryAfterMillis ?? 0)
  return Duration.millis(Math.min(wanted, Duration.toMillis(policy.maxDelay)))
}

/**
 * Reads a `Retry-After` header (seconds, or an HTTP date) as milliseconds from `now`.
 */
export const parseRetryAfter = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined || header.trim() === "") return undefined
  const trimmed = header.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
