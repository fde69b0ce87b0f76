import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as DixaClient from "../src/DixaClient.js"
import * as DixaError from "../src/DixaError.js"
import * as Retry from "../src/Retry.js"
import { type Answer, scriptedHttp } from "./support/scriptedHttp.js"
import { ThingsApi } from "./support/thingsApi.js"

// These tests drive the client's timing under the TestClock. The transport is Effect's HttpClient built from a
// function that answers from a script, so that virtual time is the only time involved; the HTTP paths are covered
// against the real sandbox in @org/dixa-sandbox's tests.

const noJitter = Retry.policy({ jitter: false, baseDelay: "100 millis", maxDelay: "5 seconds", maxRetries: 4 })

const run = <A, E>(
  script: Array<Answer>,
  f: (things: DixaClient.GroupClient<typeof ThingsApi>) => Effect.Effect<A, E>,
  options: Partial<DixaClient.Options> = {}
) =>
  Effect.gen(function*() {
    const seen: Array<number> = []
    const client = yield* DixaClient.make({
      apiKey: Redacted.make("secret-key"),
      baseUrl: "http://dixa.test",
      rateLimit: false,
      retry: noJitter,
      clock: yield* Effect.clock,
      ...options
    }).pipe(Effect.provideService(HttpClient.HttpClient, scriptedHttp(script, seen)))
    const fiber = yield* Effect.fork(Effect.either(f(DixaClient.bindGroup(client, ThingsApi))))
    yield* TestClock.adjust("1 minute")
    return { result: yield* Fiber.join(fiber), seen }
  })

describe("retries", () => {
  it.effect("an idempotent GET retries 5xx with exponential backoff and then succeeds", () =>
    Effect.gen(function*() {
      const { result, seen } = yield* run([500, 502, 503], (things) => things.get())
      expect(result._tag).toBe("Right")
      expect(seen).toEqual([0, 100, 300, 700])
    }))

  it.effect("gives up after maxRetries with the typed error of the last answer", () =>
    Effect.gen(function*() {
      const { result, seen } = yield* run([500, 500, 500, 500, 500, 500], (things) => things.get())
      expect(seen).toHaveLength(5)
      expect(result._tag === "Left" && result.left._tag).toBe("ServerError")
    }))

  it.effect("honours Retry-After on a 429 and pauses the whole client", () =>
    Effect.gen(function*() {
      const { result, seen } = yield* run([{ status: 429, retryAfter: "2" }], (things) => things.get(), {
        rateLimit: { requestsPerSecond: 1000, burst: 10 }
      })
      expect(result._tag).toBe("Right")
      expect(seen).toEqual([0, 2000])
    }))

  it.effect("after a 429 every other call of the client waits too", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const client = yield* DixaClient.make({
        apiKey: Redacted.make("secret-key"),
        baseUrl: "http://dixa.test",
        rateLimit: { requestsPerSecond: 1000, burst: 10 },
        retry: noJitter,
        clock: yield* Effect.clock
      }).pipe(Effect.provideService(HttpClient.HttpClient, scriptedHttp([{ status: 429, retryAfter: "3" }], seen)))
      const things = DixaClient.bindGroup(client, ThingsApi)
      const first = yield* Effect.fork(things.get())
      yield* TestClock.adjust("10 millis")
      const second = yield* Effect.fork(things.get())
      yield* TestClock.adjust("1 minute")
      yield* Fiber.join(first)
      yield* Fiber.join(second)
      // The second call was asked for at 10 ms but went out only after the pause the 429 asked for.
      expect(seen[0]).toBe(0)
      expect(seen.slice(1).every((t) => t >= 3000)).toBe(true)
    }))

  it.effect("a POST is not retried after a 5xx: it may have been processed", () =>
    Effect.gen(function*() {
      const { result, seen } = yield* run([500], (things) => things.create({ body: { id: "a" } }))
      expect(seen).toEqual([0])
      expect(result._tag === "Left" && result.left._tag).toBe("ServerError")
    }))

  it.effect("a POST is retried after a 429 and after a refused connection: nothing was processed", () =>
    Effect.gen(function*() {
      const { result, seen } = yield* run(["refused", 429], (things) => things.create({ body: { id: "a" } }))
      expect(result._tag).toBe("Right")
      expect(seen).toEqual([0, 100, 300])
    }))

  it.effect("no wait is longer than maxDelay, whatever Retry-After says", () =>
    Effect.gen(function*() {
      const { seen } = yield* run([{ status: 503, retryAfter: "3600" }], (things) => things.get())
      expect(seen).toEqual([0, 5000])
    }))

  it.effect("invalid input is refused before anything is sent", () =>
    Effect.gen(function*() {
      const { result, seen } = yield* run([], (things) => things.create({ body: { id: 42 as unknown as string } }))
      expect(seen).toEqual([])
      expect(result._tag === "Left" && result.left._tag).toBe("InvalidInput")
    }))

  it("jittered delays stay within [half, full] of the exponential delay", () => {
    const policy = Retry.policy({ baseDelay: "100 millis", maxDelay: "1 minute" })
    for (const random of [0, 0.25, 0.999]) {
      const ms = Duration.toMillis(Retry.delay(policy, 3, random, undefined))
      expect(ms).toBeGreaterThanOrEqual(200)
      expect(ms).toBeLessThanOrEqual(400)
    }
  })

  it("parses Retry-After as seconds or as an HTTP date", () => {
    expect(Retry.parseRetryAfter("2", 0)).toBe(2000)
    expect(Retry.parseRetryAfter("Thu, 01 Jan 1970 00:00:05 GMT", 1000)).toBe(4000)
    expect(Retry.parseRetryAfter("soon", 0)).toBeUndefined()
  })

  it("errors never carry the API key", () => {
    const error = DixaError.fromStatus(
      { operation: "things.get", method: "GET", path: "/beta/things", attempts: 1 },
      401,
      "nope",
      undefined
    )
    expect(JSON.stringify(error)).not.toContain("secret-key")
    expect(DixaError.describe(error)).toBe("GET /beta/things answered 401 Unauthorized: nope")
  })
})
