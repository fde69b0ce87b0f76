import { describe, expect, it } from "@effect/vitest"
import { RateLimit } from "@org/dixa-core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Option from "effect/Option"
import * as TestClock from "effect/TestClock"
import * as FairBudget from "../src/FairBudget.js"

const budget = { requestsPerSecond: 10, burst: 1 }

/** Lets forked fibers run until `n` requests are waiting (bounded, so a bug fails instead of hanging). */
const awaitDepth = (fair: FairBudget.FairBudget, n: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 100 && (yield* fair.depth) !== n; i++) yield* Effect.yieldNow()
    expect(yield* fair.depth).toBe(n)
  })

const setup = (maxQueue = 100) =>
  Effect.gen(function*() {
    const base = yield* RateLimit.make(budget)
    return yield* FairBudget.make({ base, budget, maxQueue })
  })

describe("FairBudget", () => {
  it.scoped("serves callers in turn: a quiet caller is not stuck behind a chatty one", () =>
    Effect.gen(function*() {
      const fair = yield* setup()
      const order: Array<string> = []
      const request = (caller: string) =>
        fair.limiter.take.pipe(
          Effect.tap(() => Effect.sync(() => order.push(caller))),
          Effect.locally(FairBudget.currentCaller, caller)
        )
      const chatty = yield* Effect.fork(
        Effect.all(Array.from({ length: 10 }, () => request("chatty")), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("1 millis")
      const quiet = yield* Effect.fork(request("quiet"))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(chatty)
      yield* Fiber.join(quiet)
      // The quiet caller asked after ten chatty requests were queued, yet is served within the next two slots.
      expect(order.indexOf("quiet")).toBeLessThanOrEqual(2)
      expect(order).toHaveLength(11)
    }))

  it.scoped("spends the budget at its pace whoever asks", () =>
    Effect.gen(function*() {
      const fair = yield* setup()
      const times: Array<number> = []
      const fiber = yield* Effect.fork(Effect.all(
        Array.from({ length: 5 }, (_, i) =>
          fair.limiter.take.pipe(
            Effect.zipRight(TestClock.currentTimeMillis),
            Effect.tap((t) => Effect.sync(() => times.push(t))),
            Effect.locally(FairBudget.currentCaller, `caller-${i % 2}`)
          )),
        { concurrency: "unbounded" }
      ))
      yield* TestClock.adjust("2 seconds")
      yield* Fiber.join(fiber)
      expect(times.sort((a, b) => a - b)).toEqual([0, 100, 200, 300, 400])
    }))

  it.scoped("refuses when the queue is full or the wait would pass the deadline, and reserves nothing doing so", () =>
    Effect.gen(function*() {
      const fair = yield* setup(3)
      expect(yield* fair.admit(Duration.seconds(1))).toEqual(Option.none())
      // The first is let through at once; three wait: the queue is full.
      const waiting = yield* Effect.fork(
        Effect.all(Array.from({ length: 4 }, () => fair.limiter.take), { concurrency: "unbounded" })
      )
      yield* awaitDepth(fair, 3)
      const full = yield* fair.admit(Duration.seconds(10))
      expect(Option.map(full, (r) => r.reason)).toEqual(Option.some("QueueFull"))
      yield* TestClock.adjust("100 millis")
      yield* awaitDepth(fair, 2)
      const short = yield* fair.admit(Duration.millis(50))
      expect(Option.map(short, (r) => r.reason)).toEqual(Option.some("DeadlineTooShort"))
      expect(Option.map(short, (r) => Duration.toMillis(r.retryAfter) > 0)).toEqual(Option.some(true))
      yield* TestClock.adjust("1 second")
      yield* Fiber.join(waiting)
      expect(yield* fair.depth).toBe(0)
    }))

  it.scoped("a request that gives up while waiting leaves the queue", () =>
    Effect.gen(function*() {
      const fair = yield* setup()
      yield* fair.limiter.take
      const waiter = yield* Effect.fork(fair.limiter.take)
      yield* awaitDepth(fair, 1)
      yield* Fiber.interrupt(waiter)
      expect(yield* fair.depth).toBe(0)
    }))
})
