import { describe, expect, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import * as TestClock from "effect/TestClock"
import type * as ClientEvent from "../src/ClientEvent.js"
import * as Retry from "../src/Retry.js"
import { thingsClient } from "./support/thingsClient.js"

// What an observer is told (for --debug and progress lines), and a stream's deadline counted across its pages.
// On the TestClock with a scripted transport.

const client = thingsClient

describe("observing a client", () => {
  it.effect("each request, answer, slot wait and retry is told, the key never", () =>
    Effect.gen(function*() {
      const events: Array<ClientEvent.ClientEvent> = []
      const things = yield* client([{ status: 429, retryAfter: "2" }, 200], [], { observe: (e) => events.push(e) })
      const fiber = yield* Effect.fork(things.create({ body: { id: "a" } }))
      yield* TestClock.adjust("10 seconds")
      yield* Fiber.join(fiber)
      // The pause of the Retry-After refilled the budget: the retry did not wait for a slot.
      expect(events.map((e) => e._tag)).toEqual(["Sent", "Answered", "Retrying", "Sent", "Answered"])
      const [sent, first, retrying] = events
      expect(sent).toMatchObject({
        operation: "things.create",
        attempt: 1,
        method: "POST",
        url: "http://dixa.test/beta/things",
        body: "{\"id\":\"a\"}"
      })
      expect(first).toMatchObject({ _tag: "Answered", status: 429, attempt: 1 })
      expect(retrying).toMatchObject({ attempt: 2, reason: "429 RateLimited" })
      expect(retrying?._tag === "Retrying" && Duration.toMillis(retrying.wait)).toBe(2000)
      expect(events[3]).toMatchObject({ attempt: 2 })
      expect(JSON.stringify(events)).not.toContain("secret-key")
    }))

  it.effect("a wait for a rate-limit slot is told with its length", () =>
    Effect.gen(function*() {
      const events: Array<ClientEvent.ClientEvent> = []
      const things = yield* client([], [], { observe: (e) => events.push(e) })
      const fiber = yield* Effect.fork(Effect.all([things.get(), things.get()]))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(events.filter((e) => e._tag === "Throttled")).toEqual([
        { _tag: "Throttled", operation: "things.get", attempt: 1, millis: 1000 }
      ])
    }))

  it.effect("an exchange that brings no answer is told with its reason", () =>
    Effect.gen(function*() {
      const events: Array<ClientEvent.ClientEvent> = []
      const things = yield* client(["hang"], [], {
        observe: (e) => events.push(e),
        retry: Retry.policy({ maxRetries: 0 }),
        timeout: "1 second"
      })
      const fiber = yield* Effect.fork(Effect.flip(things.get()))
      yield* TestClock.adjust("5 seconds")
      yield* Fiber.join(fiber)
      expect(events.map((e) => e._tag)).toEqual(["Sent", "NoAnswer"])
      expect(events[1]).toMatchObject({ reason: "Timeout" })
    }))
})

describe("a stream's deadline", () => {
  it.effect("bounds the whole stream, not each page", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const things = yield* client(["page", "page", "page", "page", "page", "page"], seen)
      const collected: Array<unknown> = []
      const fiber = yield* Effect.fork(
        things.listAll({}, { deadline: "2500 millis" }).pipe(
          Stream.runForEach((item) => Effect.sync(() => collected.push(item))),
          Effect.flip
        )
      )
      yield* TestClock.adjust("10 seconds")
      const error = yield* Fiber.join(fiber)
      // One page a second: pages at 0, 1 s and 2 s; the fourth could only go at 3 s, past the deadline.
      expect(seen).toEqual([0, 1000, 2000])
      expect(collected).toHaveLength(3)
      expect(error._tag === "TransportError" && error.reason).toBe("Deadline")
    }))
})
