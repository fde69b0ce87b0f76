/**
 * One upstream rate budget shared by every caller, handed out fairly. Waiting requests queue per caller and
 * slots go round-robin across callers, so a chatty service cannot starve a quiet one. The queue is bounded:
 * a request that would wait longer than its deadline, or find the queue full, is refused at once with the
 * time after which trying again makes sense.
 *
 * The budget itself is any core `Limiter`: in memory, or the one replicas share in Redis (`shared/SharedBudget.ts`).
 */
import type { RateLimit } from "@org/dixa-core"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Option from "effect/Option"
import * as Queue from "effect/Queue"
import type * as Scope from "effect/Scope"

/** The caller on whose behalf the current fiber spends budget. */
export const currentCaller: FiberRef.FiberRef<string> = FiberRef.unsafeMake("anonymous")

/** Why a request was not admitted. */
export interface Refusal {
  readonly reason: "QueueFull" | "DeadlineTooShort"
  /** When trying again is likely to be admitted. */
  readonly retryAfter: Duration.Duration
}

export interface FairBudget {
  /**
   * Checks that a request of `caller` can be served within `maxWait` given the queue ahead of it. It reserves
   * nothing: the wait happens in `limiter.take` when the request is sent.
   */
  readonly admit: (maxWait: Duration.Duration) => Effect.Effect<Option.Option<Refusal>>
  /** A limiter whose `take` queues fairly by {@link currentCaller}; give it to the upstream client. */
  readonly limiter: RateLimit.Limiter & { readonly tryTake: Effect.Effect<boolean> }
  /** How many requests are waiting for a slot. */
  readonly depth: Effect.Effect<number>
}

interface Waiter {
  readonly deferred: Deferred.Deferred<void>
}

export const make = (options: {
  readonly base: RateLimit.Limiter
  readonly budget: RateLimit.Budget
  readonly maxQueue: number
  /** Who is asking for a slot; default {@link currentCaller}. */
  readonly callerOf?: Effect.Effect<string>
}): Effect.Effect<FairBudget, never, Scope.Scope> =>
  Effect.gen(function*() {
    const interval = 1000 / options.budget.requestsPerSecond
    const callerOf = options.callerOf ?? FiberRef.get(currentCaller)
    const queues = new Map<string, Array<Waiter>>()
    // Callers with waiters, in the order they will be served next.
    const ring: Array<string> = []
    let waiting = 0
    const wakeups = yield* Queue.unbounded<void>()

    const nextWaiter = (): Waiter | undefined => {
      while (ring.length > 0) {
        const caller = ring.shift()!
        const queue = queues.get(caller)
        const waiter = queue?.shift()
        if (queue !== undefined && queue.length > 0) ring.push(caller)
        else queues.delete(caller)
        if (waiter !== undefined) return waiter
      }
      return undefined
    }

    // One dispatcher hands out slots: it waits for the base limiter, then wakes the next caller in turn. A base
    // that cannot give a slot (a shared store out of reach dies) hands its defect to that caller, and goes on.
    yield* Effect.forkScoped(Effect.forever(
      Effect.gen(function*() {
        yield* Queue.take(wakeups)
        if (waiting === 0) return
        const slot = yield* Effect.exit(options.base.take)
        const waiter = nextWaiter()
        if (waiter !== undefined) {
          waiting--
          yield* Deferred.done(waiter.deferred, slot)
        }
      })
    ))

    const remove = (caller: string, waiter: Waiter) =>
      Effect.sync(() => {
        const queue = queues.get(caller)
        const index = queue?.indexOf(waiter) ?? -1
        if (queue !== undefined && index >= 0) {
          queue.splice(index, 1)
          waiting--
        }
      })

    const take: Effect.Effect<void> = Effect.gen(function*() {
      // Nobody waiting and a slot free now: fairness has nothing to arbitrate, so skip the queue.
      if (waiting === 0) {
        const now = yield* options.base.reserve(Duration.zero)
        if (Option.isSome(now)) return
      }
      const caller = yield* callerOf
      const waiter: Waiter = { deferred: yield* Deferred.make<void>() }
      const queue = queues.get(caller)
      if (queue === undefined) {
        queues.set(caller, [waiter])
        ring.push(caller)
      } else {
        queue.push(waiter)
      }
      waiting++
      yield* Queue.offer(wakeups, undefined)
      yield* Deferred.await(waiter.deferred).pipe(Effect.onInterrupt(() => remove(caller, waiter)))
    })

    // A slot now, when nobody is waiting for one; otherwise nothing is taken (and the caller queues with `take`).
    const tryTake: Effect.Effect<boolean> = Effect.suspend(() =>
      waiting > 0
        ? Effect.succeed(false)
        : options.base.tryTake ?? Effect.map(options.base.reserve(Duration.zero), Option.isSome)
    )

    const admit = (maxWait: Duration.Duration) =>
      Effect.sync((): Option.Option<Refusal> => {
        if (waiting >= options.maxQueue) {
          return Option.some({ reason: "QueueFull", retryAfter: Duration.millis(waiting * interval) })
        }
        // Ahead of this request: everyone waiting, served at the budget's pace.
        const estimate = waiting * interval
        return estimate > Duration.toMillis(maxWait)
          ? Option.some({ reason: "DeadlineTooShort", retryAfter: Duration.millis(estimate) })
          : Option.none()
      })

    return {
      admit,
      limiter: { reserve: options.base.reserve, take, tryTake, pause: options.base.pause },
      depth: Effect.sync(() => waiting)
    }
  })
