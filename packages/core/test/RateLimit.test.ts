import { describe, expect, it } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as RateLimit from "../src/RateLimit.js"

/** Runs `n` takes concurrently and returns the virtual time at which each one was let through. */
const arrivals = (limiter: RateLimit.Limiter, n: number, advance: Duration.DurationInput) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forEach(
      Array.from({ length: n }, (_, i) => i),
      () => Effect.zipRight(limiter.take, Clock.currentTimeMillis),
      { concurrency: "unbounded" }
    ).pipe(Effect.fork)
    yield* TestClock.adjust(advance)
    return yield* Fiber.join(fiber)
  })

describe("RateLimit", () => {
  it.effect("lets a burst of 4 through at once, then one every 100 ms (Dixa's 10/s, burst 4)", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make(RateLimit.dixaBudget)
      const times = yield* arrivals(limiter, 10, "2 seconds")
      expect([...times].sort((a, b) => a - b)).toEqual([0, 0, 0, 0, 100, 200, 300, 400, 500, 600])
    }))

  it.effect("never lets more than the budget through in any one-second window", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make(RateLimit.dixaBudget)
      const times = [...(yield* arrivals(limiter, 60, "10 seconds"))].sort((a, b) => a - b)
      for (const start of times) {
        const inWindow = times.filter((t) => t >= start && t < start + 1000).length
        // 4 at once plus one every 100 ms: at most 13 in any second, 10/s sustained.
        expect(inWindow).toBeLessThanOrEqual(13)
      }
      expect(times[times.length - 1]).toBe(5600)
    }))

  it.effect("refills while idle, up to the burst", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make(RateLimit.dixaBudget)
      yield* arrivals(limiter, 4, "0 millis")
      yield* TestClock.adjust("10 seconds")
      const times = yield* arrivals(limiter, 5, "1 second")
      expect([...times].sort((a, b) => a - b)).toEqual([10000, 10000, 10000, 10000, 10100])
    }))

  it.effect("reserve with a deadline refuses a slot that is too far away and does not spend it", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make({ requestsPerSecond: 10, burst: 1 })
      expect(yield* limiter.reserve("0 millis")).toEqual(Option.some(Duration.zero))
      expect(yield* limiter.reserve("50 millis")).toEqual(Option.none())
      const next = yield* limiter.reserve("100 millis")
      expect(Option.map(next, Duration.toMillis)).toEqual(Option.some(100))
    }))

  it.effect("tryTake takes a free slot at once, and takes nothing when the slot is ahead or someone waits", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make({ requestsPerSecond: 10, burst: 1 })
      expect(yield* limiter.tryTake!).toBe(true)
      expect(yield* limiter.tryTake!).toBe(false)
      const waiter = yield* Effect.fork(Effect.zipRight(limiter.take, Clock.currentTimeMillis))
      yield* TestClock.adjust("100 millis")
      expect(yield* Fiber.join(waiter)).toBe(100)
      // A waiter in line: a free slot later goes to it, not to a caller trying its luck.
      const second = yield* Effect.fork(Effect.zipRight(limiter.take, Clock.currentTimeMillis))
      yield* Effect.yieldNow()
      yield* TestClock.adjust("100 millis")
      expect(yield* Fiber.join(second)).toBe(200)
      expect(yield* limiter.tryTake!).toBe(false)
    }))

  it.effect("pause holds every caller back", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make(RateLimit.dixaBudget)
      yield* limiter.pause("3 seconds")
      const times = yield* arrivals(limiter, 2, "5 seconds")
      expect(times.every((t) => t >= 3000)).toBe(true)
    }))

  it.effect("rejects a budget that cannot be met", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(RateLimit.make({ requestsPerSecond: 0, burst: 4 }))
      expect(exit._tag).toBe("Failure")
    }))
})
