/**
 * Client-side rate limiting to Dixa's budget: a token bucket per API token (10 requests per second,
 * bursts of 4). One limiter is shared by every call made through one client, and a 429 pauses all of
 * them, not just the call that received it.
 *
 * @since 0.1.0
 */
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Ref from "effect/Ref"

/** The budget to stay within. */
export interface Budget {
  /** Sustained rate. Dixa: 10. */
  readonly requestsPerSecond: number
  /** How many requests may go at once after a quiet period. Dixa: 4. */
  readonly burst: number
}

/** Dixa's published budget per API token. */
export const dixaBudget: Budget = { requestsPerSecond: 10, burst: 4 }

/**
 * What a client spends by default: Dixa's rate, with one token of the burst held back. Requests leave exactly on
 * the budget's schedule but reach Dixa with network jitter; a late request followed by a punctual one would look
 * like a burst to a server that has no token left. The held-back token absorbs that, so a client at full speed is
 * not answered 429, at no cost to its sustained rate.
 */
export const clientBudget: Budget = { requestsPerSecond: dixaBudget.requestsPerSecond, burst: dixaBudget.burst - 1 }

/** What every limiter does; the gateway swaps in a shared one without the client noticing. */
export interface Limiter {
  /**
   * Reserves the next slot and returns how long the caller must wait for it. With `maxWait`, a slot
   * further away than that is not reserved and `None` is returned.
   */
  readonly reserve: (maxWait?: Duration.DurationInput) => Effect.Effect<Option.Option<Duration.Duration>>
  /**
   * Waits for the next slot, in the order callers asked. Interrupting the wait gives up the place in line without
   * spending a slot.
   */
  readonly take: Effect.Effect<void>
  /** Holds every caller back for the given time: what a 429's `Retry-After` asks for. */
  readonly pause: (duration: Duration.DurationInput) => Effect.Effect<void>
  /**
   * Takes a slot only if one is free now and nobody is waiting for one; `false` takes nothing. Lets a caller with a
   * deadline skip arming a timer for a wait that does not happen. Optional: without it, callers use `take`.
   */
  readonly tryTake?: Effect.Effect<boolean>
}

/** The limiter of a client. */
export class RateLimiter extends Context.Tag("@org/dixa-core/RateLimiter")<RateLimiter, Limiter>() {}

/**
 * A token bucket in memory, scheduled as a generic cell rate algorithm: each reservation is given the
 * earliest time that keeps every window within the budget, so callers are served in the order they
 * ask and nobody polls.
 */
export const make = (budget: Budget = clientBudget): Effect.Effect<Limiter> =>
  Effect.gen(function*() {
    if (!(budget.requestsPerSecond > 0) || !(budget.burst >= 1)) {
      return yield* Effect.dieMessage(`invalid rate limit budget: ${JSON.stringify(budget)}`)
    }
    const interval = 1000 / budget.requestsPerSecond
    const tolerance = (Math.floor(budget.burst) - 1) * interval
    const state = yield* Ref.make<State>({ tat: 0, pausedUntil: 0, last: -Infinity })

    const reserve = (maxWait?: Duration.DurationInput) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s): readonly [Option.Option<Duration.Duration>, State] => {
          const earliest = Math.max(now, s.pausedUntil)
          const at = Math.max(earliest, s.tat - tolerance)
          const wait = at - now
          if (maxWait !== undefined && wait > Duration.toMillis(maxWait)) {
            return [Option.none(), s]
          }
          return [Option.some(Duration.millis(wait)), { ...s, tat: Math.max(s.tat, at) + interval, last: at }]
        }))

    // Waiters line up behind one turnstile, and only the one at its head holds a claim on time: it sleeps until the
    // bucket has a token and takes it then. A waiter that is interrupted (its caller left, its deadline passed) has
    // taken nothing, so the next one moves up and no slot goes unused. A pause that arrives mid-sleep is seen when
    // the head wakes and looks again. A caller that had to wait never bursts: it goes no sooner than one interval
    // after the previous one. Otherwise a head that wakes late (a busy event loop, a GC pause) would be let through
    // together with the next few, on top of requests that were delayed on their way out by the same stall, and the
    // server would see more at once than its burst.
    const turnstile = yield* Effect.makeSemaphore(1)
    const takeNow = (waited: boolean) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s): readonly [number, State] => {
          const at = Math.max(now, s.pausedUntil, s.tat - tolerance, waited ? s.last + interval : 0)
          return at > now ? [at - now, s] : [0, { ...s, tat: Math.max(s.tat, at) + interval, last: now }]
        }))
    const waitForToken = (waited: boolean): Effect.Effect<void> =>
      Effect.flatMap(
        takeNow(waited),
        (wait) =>
          wait === 0 ? Effect.void : Effect.zipRight(Effect.sleep(Duration.millis(wait)), waitForToken(true))
      )
    const take = turnstile.withPermits(1)(waitForToken(false))
    const tryTake = Effect.map(
      turnstile.withPermitsIfAvailable(1)(takeNow(false)),
      (wait) =>
        Option.isSome(wait) && wait.value === 0
    )

    const pause = (duration: Duration.DurationInput) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.update(state, (s) => ({ ...s, pausedUntil: Math.max(s.pausedUntil, now + Duration.toMillis(duration)) })))

    return { reserve, take, pause, tryTake }
  })

interface State {
  /** The theoretical arrival time of the next request. */
  readonly tat: number
  /** No request before this. */
  readonly pausedUntil: number
  /** When the latest slot was given. */
  readonly last: number
}

/** A limiter that never waits, for servers that do not limit (the sandbox with its limit off). */
export const unlimited: Limiter = {
  reserve: () => Effect.succeed(Option.some(Duration.zero)),
  take: Effect.void,
  pause: () => Effect.void,
  tryTake: Effect.succeed(true)
}

/** A layer providing an in-memory limiter. */
export const layer = (budget: Budget = clientBudget): Layer.Layer<RateLimiter> =>
  Layer.effect(RateLimiter, make(budget))
