import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { callers, stack } from "./support.js"

// Writes are sent at most once and every wait is bounded: a caller that leaves stops its request, a repeat with the
// same Idempotency-Key is answered from the first, and the caller's deadline bounds its whole stay.

const billing = callers[0]!.key

interface Sent {
  readonly status: number | "aborted"
  readonly headers: Headers | undefined
  readonly json: any
  readonly millis: number
}

/** A call as any HTTP client makes it, with extra headers and a time after which the caller gives up. */
const send = (
  url: string,
  init: {
    readonly method?: string
    readonly body?: unknown
    readonly headers?: Record<string, string>
    readonly giveUpAfter?: number
  } = {}
): Effect.Effect<Sent> =>
  Effect.promise(async () => {
    try {
      const response = await fetch(url, {
        method: init.method ?? "GET",
        headers: { authorization: billing, "content-type": "application/json", ...init.headers },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
        ...(init.giveUpAfter !== undefined ? { signal: AbortSignal.timeout(init.giveUpAfter) } : {})
      })
      const text = await response.text()
      return { status: response.status, headers: response.headers, json: JSON.parse(text || "null"), millis: 0 }
    } catch {
      return { status: "aborted", headers: undefined, json: undefined, millis: 0 }
    }
  })

const timed = (effect: Effect.Effect<Sent>) =>
  Effect.gen(function*() {
    const started = performance.now()
    const sent = yield* effect
    return { ...sent, millis: performance.now() - started }
  })

const creates = (stats: { readonly byOperation: Record<string, number> }) => stats.byOperation["end-users.create"] ?? 0

const endUsersWithEmail = (url: string, email: string) =>
  Effect.map(send(`${url}/beta/endusers?email=${encodeURIComponent(email)}`), (r) => (r.json?.data ?? []).length)

describe("bounded waits", () => {
  it.scopedLive("in a 429 storm, x-max-wait-ms: 1000 is answered within 1.5 s and nothing more is sent after", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack()
      yield* sandbox.setFaults({ rateLimitStorm: true })
      const answer = yield* timed(send(`${gateway.url}/beta/agents`, { headers: { "x-max-wait-ms": "1000" } }))
      expect(answer.status).toBe(429)
      expect(answer.headers?.get("retry-after")).not.toBeNull()
      expect(answer.millis).toBeLessThan(1500)
      const after = (yield* sandbox.stats).requests
      yield* Effect.sleep("1500 millis")
      expect((yield* sandbox.stats).requests).toBe(after)
    }))

  it.scopedLive("GATEWAY_MAX_WAIT bounds the whole stay, retries and pauses included", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack({ gateway: { maxWait: "2 seconds" } })
      yield* sandbox.setFaults({ errorRate: 1 })
      const answer = yield* timed(send(`${gateway.url}/beta/agents`))
      expect(answer.status).toBeGreaterThanOrEqual(500)
      expect(answer.millis).toBeLessThan(2500)
    }))
})

describe("at most once", () => {
  it.scopedLive("a write whose caller left is not sent again, and nothing was created", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack()
      yield* sandbox.setFaults({ rateLimitStorm: true })
      const answers = yield* Effect.all(
        Array.from({ length: 5 }, (_, i) =>
          send(`${gateway.url}/beta/endusers`, {
            method: "POST",
            body: { displayName: `Left ${i}`, email: `left-${i}@callers.example` },
            giveUpAfter: 1000
          })),
        { concurrency: "unbounded" }
      )
      expect(answers.map((a) => a.status)).toEqual(Array(5).fill("aborted"))
      yield* Effect.sleep("200 millis")
      const whenLeft = creates(yield* sandbox.stats)
      yield* sandbox.setFaults({})
      yield* Effect.sleep("3 seconds")
      expect(creates(yield* sandbox.stats)).toBe(whenLeft)
      for (let i = 0; i < 5; i++) expect(yield* endUsersWithEmail(gateway.url, `left-${i}@callers.example`)).toBe(0)
    }))

  it.scopedLive("a repeat with the same Idempotency-Key gets the first answer without a second call", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack()
      const body = { displayName: "Once", email: "once@callers.example" }
      const headers = { "idempotency-key": "k-once" }
      const first = yield* send(`${gateway.url}/beta/endusers`, { method: "POST", body, headers })
      const again = yield* send(`${gateway.url}/beta/endusers`, { method: "POST", body, headers })
      expect(first.status).toBe(201)
      expect(again.status).toBe(201)
      expect(again.json.data.id).toBe(first.json.data.id)
      expect(first.headers?.get("idempotent-replayed")).toBeNull()
      expect(again.headers?.get("idempotent-replayed")).toBe("true")
      expect(creates(yield* sandbox.stats)).toBe(1)
      const other = yield* send(`${gateway.url}/beta/endusers`, {
        method: "POST",
        body: { ...body, displayName: "Other" },
        headers
      })
      expect(other.status).toBe(422)
      expect(creates(yield* sandbox.stats)).toBe(1)
      // The key belongs to its caller: another caller's same key is its own.
      const support = yield* send(`${gateway.url}/beta/endusers`, {
        method: "POST",
        body: { displayName: "Support's", email: "support@callers.example" },
        headers: { ...headers, authorization: callers[2]!.key }
      })
      expect(support.status).toBe(201)
      expect(creates(yield* sandbox.stats)).toBe(2)
    }))

  it.scopedLive("concurrent repeats wait for the first and share its answer", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack({ sandbox: { faults: { latency: "300 millis" } } })
      const body = { displayName: "Together", email: "together@callers.example" }
      const answers = yield* Effect.all(
        Array.from(
          { length: 4 },
          () => send(`${gateway.url}/beta/endusers`, { method: "POST", body, headers: { "idempotency-key": "k-t" } })
        ),
        { concurrency: "unbounded" }
      )
      expect(new Set(answers.map((a) => a.json.data.id)).size).toBe(1)
      expect(creates(yield* sandbox.stats)).toBe(1)
    }))

  it.scopedLive("abandoned in a storm, then retried with the same key: one end user", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack()
      const body = { displayName: "Storm", email: "storm@callers.example" }
      const headers = { "idempotency-key": "k-storm" }
      yield* sandbox.setFaults({ rateLimitStorm: true })
      const left = yield* send(`${gateway.url}/beta/endusers`, { method: "POST", body, headers, giveUpAfter: 1000 })
      expect(left.status).toBe("aborted")
      yield* sandbox.setFaults({})
      yield* Effect.sleep("1 second")
      const retried = yield* send(`${gateway.url}/beta/endusers`, { method: "POST", body, headers })
      const again = yield* send(`${gateway.url}/beta/endusers`, { method: "POST", body, headers })
      expect(retried.status).toBe(201)
      expect(again.headers?.get("idempotent-replayed")).toBe("true")
      expect(yield* endUsersWithEmail(gateway.url, "storm@callers.example")).toBe(1)
    }))
})
