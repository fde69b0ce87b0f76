/**
 * What the routes and middleware of one running sandbox share: its settings, its store, its counters and
 * the faults in force.
 */
import type { Endpoint, RateLimit } from "@org/dixa-core"
import type * as Effect from "effect/Effect"
import type * as Deliveries from "../deliveries.js"
import type * as Faults from "../faults.js"
import type { Route } from "../handler.js"
import type * as Prng from "../prng.js"
import type * as State from "../state.js"
import type * as Store from "../store/store.js"

/** What the sandbox has served since it started. */
export interface Stats {
  /** Every API request received (not counting `/_sandbox/*`). */
  readonly requests: number
  /** The 429 answers, from the rate limit and from storms. */
  readonly rateLimited: number
  /** Requests per operation id (`agents.list`), whatever their outcome. */
  readonly byOperation: Record<string, number>
  /** Injected 5xx answers. */
  readonly injectedErrors: number
  /** Injected dropped connections. */
  readonly dropped: number
}

/** The counters as the server bumps them. */
export type Counters = { -readonly [K in keyof Stats]: Stats[K] }

export const emptyCounters = (): Counters => ({
  requests: 0,
  rateLimited: 0,
  injectedErrors: 0,
  dropped: 0,
  byOperation: {}
})

export const snapshot = (counters: Counters): Stats => ({ ...counters, byOperation: { ...counters.byOperation } })

/** One sandbox's moving parts, handed to every route and middleware. */
export interface Shared {
  readonly apiKey: string | undefined
  readonly rateLimit: RateLimit.Budget | false
  readonly anonymizationDelayMillis: number
  readonly endpoints: ReadonlyArray<Endpoint.Any>
  readonly handlers: ReadonlyMap<string, Route["handler"]>
  readonly settle: (state: State.State, now: number) => boolean
  readonly store: Store.Store
  readonly counters: Counters
  /** The faults in force; `/_sandbox/faults` and `setFaults` replace them. */
  readonly faults: { current: Faults.Settings }
  /** Draws for the faults, from the sandbox's seed. */
  readonly faultRng: Prng.Rng
  /** Sends webhook deliveries in the background. */
  readonly deliver: (pending: ReadonlyArray<Deliveries.Pending>) => Effect.Effect<void>
  /** Restores the seeded state. */
  readonly reset: Effect.Effect<void>
}
