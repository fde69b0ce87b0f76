/**
 * Replicas sharing one real Redis (`GATEWAY_REDIS_URL`), each a built `dixa-gateway` process, in front of one sandbox
 * with Dixa's rate limit on: one budget for all of them, idempotency records and cache freshness across replicas,
 * and failing closed while Redis is gone.
 */
import { describe, expect, it } from "@effect/vitest"
import { RateLimit } from "@org/dixa-core"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import { freePort, keysFile, run, type Spawned, waitFor } from "./binary.js"
import { type RedisServer, startRedis } from "./redis.js"
import { type Answer, call, callers, dixaToken } from "./support.js"

/** A call through a replica as `caller` (default the first test caller). */
const send = (
  url: string,
  init: {
    readonly method?: string
    readonly body?: unknown
    readonly headers?: Record<string, string>
    readonly key?: string
  } = {}
): Effect.Effect<Answer> => call(url, { ...init, key: init.key ?? callers[0]!.key })

/** `n` gateway processes sharing `redis`, in front of one sandbox with Dixa's limit on; killed with the scope. */
const replicas = (n: number, redis: RedisServer, env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ apiKey: dixaToken, rateLimit: RateLimit.dixaBudget })
    const keys = keysFile()
    const started: Array<{ readonly url: string; readonly process: Spawned }> = []
    for (let i = 0; i < n; i++) {
      const port = yield* freePort()
      const process = run({
        DIXA_API_KEY: dixaToken,
        DIXA_BASE_URL: sandbox.url,
        GATEWAY_PORT: String(port),
        GATEWAY_KEYS_FILE: keys,
        GATEWAY_REDIS_URL: redis.url,
        ...env
      })
      yield* Effect.addFinalizer(() => Effect.sync(() => process.child.kill("SIGKILL")))
      started.push({ url: `http://127.0.0.1:${port}`, process })
    }
    yield* Effect.forEach(started, (replica) => waitFor(replica.process, "listening"), { concurrency: "unbounded" })
    return { sandbox, urls: started.map((r) => r.url), processes: started.map((r) => r.process) }
  })

describe("replicas sharing Redis", () => {
  it.scoped(
    "three replicas with callers spread across them spend one budget: no 429 from Dixa",
    () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        // Three of Dixa's 4 burst tokens held back: this test's processes (the sandbox's among them) share a small
        // machine with the rest of the suite, and a stall in one bunches its requests. Rates are `pnpm bench`'s.
        const { sandbox, urls } = yield* replicas(3, redis, { GATEWAY_RATE_BURST: "1" })
        // Every caller on every replica, six requests each in a row: 54 requests, three times what one replica
        // alone may send at once, so separate budgets would draw 429s.
        const answers = yield* Effect.forEach(
          urls.flatMap((url) => callers.map((caller) => ({ url, key: caller.key }))),
          ({ key, url }) => Effect.forEach(Array.from({ length: 6 }), () => send(`${url}/beta/endusers`, { key })),
          { concurrency: "unbounded" }
        )
        expect(answers.flat().map((a) => a.status)).toEqual(Array.from({ length: 54 }, () => 200))
        const stats = yield* sandbox.stats
        expect(stats.rateLimited).toBe(0)
        expect(stats.byOperation["end-users.list"]).toBe(54)
      }),
    { timeout: 60_000 }
  )

  it.scoped(
    "an idempotent write repeated through another replica is answered from the record",
    () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        const { sandbox, urls } = yield* replicas(2, redis)
        const [a, b] = urls as [string, string]
        const creates = () => Effect.map(sandbox.stats, (s) => s.byOperation["end-users.create"] ?? 0)
        const write = (url: string, key: string, email: string) =>
          send(`${url}/beta/endusers`, { method: "POST", body: { email }, headers: { "idempotency-key": key } })

        const first = yield* write(a, "k-across", "across@example.com")
        const again = yield* write(b, "k-across", "across@example.com")
        expect(first.status).toBe(201)
        expect(again.status).toBe(201)
        expect(again.headers.get("idempotent-replayed")).toBe("true")
        expect(again.json).toEqual(first.json)
        expect(yield* creates()).toBe(1)

        // Sent at the same time through both: one goes upstream, the other waits for its answer.
        const [x, y] = yield* Effect.all([
          write(a, "k-together", "together@example.com"),
          write(b, "k-together", "together@example.com")
        ], { concurrency: 2 })
        expect([x.status, y.status]).toEqual([201, 201])
        expect(x.json).toEqual(y.json)
        expect(yield* creates()).toBe(2)

        const other = yield* write(b, "k-across", "someone-else@example.com")
        expect(other.status).toBe(422)
        expect(yield* creates()).toBe(2)
      }),
    { timeout: 60_000 }
  )

  it.scoped(
    "a write through replica A is never followed by a stale read through replica B",
    () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        const { urls } = yield* replicas(2, redis, { GATEWAY_CACHE_TTL: "1 minute" })
        const [a, b] = urls as [string, string]
        const tags = () => send(`${b}/beta/tags`)
        expect((yield* tags()).headers.get("x-cache")).toBe("miss")
        const cached = yield* tags()
        expect(cached.headers.get("x-cache")).toBe("hit")
        expect(JSON.stringify(cached.json)).not.toContain("new-through-a")

        const tagged = yield* send(`${a}/beta/conversations/1001/tags/bulk`, {
          method: "POST",
          body: { data: [{ name: "new-through-a" }] }
        })
        expect(tagged.status).toBe(202)
        const after = yield* tags()
        expect(after.headers.get("x-cache")).toBe("miss")
        expect(after.json.data.map((t: { name: string }) => t.name)).toContain("new-through-a")
      }),
    { timeout: 60_000 }
  )

  it.scopedLive("a 429 answered to one replica holds the other back for its Retry-After", () =>
    Effect.gen(function*() {
      const redis = yield* startRedis
      const { sandbox, urls } = yield* replicas(2, redis)
      const [a, b] = urls as [string, string]
      yield* sandbox.setFaults({ rateLimitStorm: true })
      // Through A: Dixa's 429 asks for a second, which A waits out (pausing the shared budget) before its retry.
      const first = yield* Effect.fork(send(`${a}/beta/endusers`, { headers: { "x-max-wait-ms": "1500" } }))
      yield* Effect.map(sandbox.stats, (s) => s.rateLimited).pipe(
        Effect.zipLeft(Effect.sleep("100 millis")),
        Effect.repeat({ until: (n) => n >= 1 })
      )
      // Through B, within that second and with no time to wait it out: not sent at all.
      const held = yield* send(`${b}/beta/teams`, { headers: { "x-max-wait-ms": "300" } })
      expect(held.status).toBe(429)
      expect(held.json.message).toMatch(/^not sent/)
      expect((yield* Fiber.join(first)).status).toBe(429)
    }), { timeout: 60_000 })

  it.scopedLive(
    "Redis gone mid-run: 503 with Retry-After and nothing sent, /readyz says why; back when Redis is",
    () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        const { sandbox, urls } = yield* replicas(2, redis)
        const [a, b] = urls as [string, string]
        expect((yield* send(`${a}/beta/endusers`)).status).toBe(200)
        expect((yield* send(`${b}/beta/tags`)).status).toBe(200)
        const before = (yield* sandbox.stats).requests

        yield* redis.stop
        const refused = yield* Effect.all([
          send(`${a}/beta/endusers`),
          send(`${b}/beta/tags`),
          send(`${a}/beta/endusers`, { method: "POST", body: { email: "x@example.com" } }),
          send(`${b}/beta/endusers`, {
            method: "POST",
            body: { email: "y@example.com" },
            headers: { "idempotency-key": "k" }
          })
        ])
        expect(refused.map((r) => r.status)).toEqual([503, 503, 503, 503])
        expect(refused.map((r) => r.headers.get("retry-after"))).toEqual(["1", "1", "1", "1"])
        const ready = yield* send(`${a}/readyz`)
        expect(ready.status).toBe(503)
        expect(ready.json.message).toContain("GATEWAY_REDIS_URL")
        expect((yield* send(`${a}/healthz`)).status).toBe(200)
        expect((yield* sandbox.stats).requests).toBe(before)

        yield* redis.start
        // The replicas reconnect by themselves (at most a second apart); wait for it without a fixed sleep.
        const resumed = yield* Effect.forEach(urls, (url) =>
          send(`${url}/beta/endusers`).pipe(
            Effect.zipLeft(Effect.sleep("100 millis")),
            Effect.repeat({ until: (r) => r.status !== 503, times: 100 })
          ))
        expect(resumed.map((r) => r.status)).toEqual([200, 200])
        expect((yield* send(`${b}/readyz`)).status).toBe(200)
      }),
    { timeout: 60_000 }
  )

  it.scopedLive(
    "a replica killed with -9 while it sends a write: a repeat through another gets 409, never a second write",
    () =>
      Effect.gen(function*() {
        const redis = yield* startRedis
        // A lease of 2 + 3 seconds: how long a write may stay upstream, and the margin to record its answer.
        const { processes, sandbox, urls } = yield* replicas(2, redis, { GATEWAY_MAX_WAIT: "2 seconds" })
        const [a, b] = urls as [string, string]
        const creates = () => Effect.map(sandbox.stats, (s) => s.byOperation["end-users.create"] ?? 0)
        const write = (url: string) =>
          send(`${url}/beta/endusers`, {
            method: "POST",
            body: { email: "killed@example.com" },
            headers: { "idempotency-key": "k-killed" }
          })
        yield* sandbox.setFaults({ latency: 1500 })
        yield* Effect.forkScoped(Effect.exit(write(a)))
        // Killed once Dixa has the write, before it answers.
        yield* creates().pipe(Effect.zipLeft(Effect.sleep("20 millis")), Effect.repeat({ until: (n) => n === 1 }))
        processes[0]!.child.kill("SIGKILL")
        yield* sandbox.setFaults({})
        const again = yield* write(b)
        expect(again.status).toBe(409)
        expect(again.json.message).toContain("may have reached Dixa")
        expect(yield* creates()).toBe(1)
      }),
    { timeout: 60_000 }
  )

  it.effect(
    "Redis unreachable at start, or not a Redis URL: the gateway does not start; one line, naming the setting",
    () =>
      Effect.gen(function*() {
        const port = yield* freePort()
        const start = (url: string) =>
          run({
            DIXA_API_KEY: dixaToken,
            GATEWAY_PORT: String(port),
            GATEWAY_KEYS_FILE: keysFile(),
            GATEWAY_REDIS_URL: url
          })
        const unreachable = start(`redis://someone:secret-redis-password@127.0.0.1:${yield* freePort()}`)
        const notRedis = start("http://someone:secret-redis-password@127.0.0.1:6379")
        for (const gateway of [unreachable, notRedis]) {
          expect(yield* Effect.promise(() => gateway.exit)).toBe(1)
          const lines = gateway.output().trim().split("\n")
          expect(lines).toHaveLength(1)
          expect(lines[0]).toContain("GATEWAY_REDIS_URL")
          expect(gateway.output()).not.toContain("secret-redis-password")
        }
        expect(unreachable.output()).toContain("cannot reach Redis")
      }),
    { timeout: 30_000 }
  )
})
