import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import * as DixaClient from "../src/DixaClient.js"
import * as Retry from "../src/Retry.js"
import { ThingsApi } from "./support/thingsApi.js"
import { thingsClient } from "./support/thingsClient.js"

// What a caller waits for, and what it is told: timeouts cover the HTTP exchange only, deadlines the whole call,
// and a request that was never sent is never reported as a timeout. All on the TestClock with a scripted transport.

const client = thingsClient

describe("honest waits", () => {
  it.effect("the attempt timeout covers the exchange only, never the wait for a slot", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client([], seen, { timeout: "500 millis" })
      const fiber = yield* Effect.fork(
        Effect.all([things.get(), things.get(), things.get()], { concurrency: "unbounded", mode: "either" })
      )
      yield* TestClock.adjust("5 seconds")
      const results = yield* Fiber.join(fiber)
      expect(results.map((r) => r._tag)).toEqual(["Right", "Right", "Right"])
      expect(seen).toEqual([0, 1000, 2000])
    }))

  it.effect("a sent request that gets no answer is a timeout, with its attempts", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client(["hang", "hang"], seen, { timeout: "1 second", rateLimit: false })
      const fiber = yield* Effect.fork(Effect.flip(things.get({}, { deadline: "1500 millis" })))
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "TransportError" && [error.reason, error.attempts]).toEqual(["Timeout", 2])
      // The second attempt was cut short by the deadline, not by the attempt timeout.
      expect(error.message).toContain("deadline")
      expect(seen).toEqual([0, 1100])
    }))

  it.effect("a deadline that passes while waiting for a slot: reason Deadline, nothing sent", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client([], seen)
      yield* things.get()
      const fiber = yield* Effect.fork(Effect.flip(things.create({ body: { id: "a" } }, { deadline: "500 millis" })))
      yield* TestClock.adjust("5 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "TransportError" && [error.reason, error.attempts]).toEqual(["Deadline", 0])
      expect(error.message).toContain("not sent")
      expect(seen).toEqual([0])
    }))

  it.effect("a waiter that leaves gives its slot to the next in line", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client([], seen)
      yield* things.get()
      const leaving = yield* Effect.fork(things.get())
      const staying = yield* Effect.fork(things.get())
      yield* TestClock.adjust("100 millis")
      yield* Fiber.interrupt(leaving)
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(staying)
      // Without the give-back the second caller would have waited for the slot at 2000.
      expect(seen).toEqual([0, 1000])
    }))

  it.effect("a retry that could only start after the deadline is not made; the caller gets the failure", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client([{ status: 503, retryAfter: "2" }], seen, { rateLimit: false })
      const fiber = yield* Effect.fork(Effect.flip(things.get({}, { deadline: "1 second" })))
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "ServerError" && [error.status, error.attempts]).toEqual([503, 1])
      expect(seen).toEqual([0])
    }))

  it.effect("every error says how many times the request was sent", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client([500, 500, 500], seen, { rateLimit: false, retry: Retry.policy({ maxRetries: 2 }) })
      const fiber = yield* Effect.fork(Effect.flip(things.get()))
      yield* TestClock.adjust("1 minute")
      const error = yield* Fiber.join(fiber)
      expect(error._tag === "ServerError" && error.attempts).toBe(3)
    }))
})

describe("the HTTP client underneath", () => {
  const recording = (headers: Array<Record<string, string>>) =>
    HttpClient.make((request) =>
      Effect.sync(() => {
        headers.push({ ...request.headers })
        return HttpClientResponse.fromWeb(request, new Response(JSON.stringify({ data: { id: "x" } }), { status: 200 }))
      })
    )

  it.effect("per-call headers are sent, and cannot replace the key", () =>
    Effect.gen(function*() {
      const headers: Array<Record<string, string>> = []
      const made = yield* DixaClient.make({ apiKey: Redacted.make("secret-key"), rateLimit: false }).pipe(
        Effect.provideService(HttpClient.HttpClient, recording(headers))
      )
      const things = DixaClient.bindGroup(made, ThingsApi)
      yield* things.get({}, { headers: { "x-request-id": "r-1", authorization: "stolen" } })
      expect(headers[0]?.["x-request-id"]).toBe("r-1")
      expect(headers[0]?.["authorization"]).toBe("secret-key")
    }))

  it.effect("transformClient wraps every request", () =>
    Effect.gen(function*() {
      const headers: Array<Record<string, string>> = []
      const made = yield* DixaClient.make({
        apiKey: Redacted.make("secret-key"),
        rateLimit: false,
        transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-wrapped", "yes"))
      }).pipe(Effect.provideService(HttpClient.HttpClient, recording(headers)))
      yield* DixaClient.bindGroup(made, ThingsApi).get()
      expect(headers[0]?.["x-wrapped"]).toBe("yes")
    }))
})
