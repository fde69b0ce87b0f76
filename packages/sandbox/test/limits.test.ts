/**
 * Rate limiting and fault injection, over real time (these tests use the live clock).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { DixaClient, Organization, RateLimit, Retry, Tags } from "@org/dixa-core"
import type * as Console from "effect/Console"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Fiber from "effect/Fiber"
import * as Schedule from "effect/Schedule"
import * as Sandbox from "../src/index.js"
import { clientFor, raw } from "./support.js"

const quickRetries = (maxRetries: number) => Retry.policy({ maxRetries, baseDelay: "5 millis", maxDelay: "20 millis" })

// Live services: the rate limiter, the latency fault and the client's backoff all need real time.
layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("rate limit and faults", (it) => {
  it.scoped("a burst beyond 4 from a client without its own limiter gets 429s, counted in stats", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start()
      const client = yield* clientFor(sandbox, { rateLimit: false })
      const organization = DixaClient.bindGroup(client, Organization.OrganizationApi)
      const results = yield* Effect.all(Array.from({ length: 12 }, () => Effect.either(organization.get())), {
        concurrency: "unbounded"
      })
      const limited = results.filter((r) => Either.isLeft(r) && r.left._tag === "RateLimited")
      const ok = results.filter(Either.isRight)
      expect(ok.length).toBeGreaterThanOrEqual(4)
      expect(limited.length).toBeGreaterThan(0)
      expect(ok.length + limited.length).toBe(12)
      const stats = yield* sandbox.stats
      expect(stats.rateLimited).toBe(limited.length)
      expect(stats.requests).toBe(12)
    }))

  it.scoped("a 429 carries Retry-After, and each token has its own bucket", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start()
      const burst = yield* Effect.all(
        Array.from({ length: 8 }, () => raw(sandbox, "GET", "/beta/organization", { headers: { authorization: "a" } })),
        { concurrency: "unbounded" }
      )
      const limited = burst.filter((r) => r.status === 429)
      expect(limited.length).toBeGreaterThan(0)
      expect(limited[0]!.header("retry-after")).toMatch(/^\d+$/)
      expect(limited[0]!.json.message).toBeTypeOf("string")
      const other = yield* raw(sandbox, "GET", "/beta/organization", { headers: { authorization: "b" } })
      expect(other.status).toBe(200)
    }))

  it.scoped("a client keeping to its default budget with its own limiter gets no 429", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start()
      const client = yield* clientFor(sandbox, { rateLimit: RateLimit.clientBudget })
      const tags = DixaClient.bindGroup(client, Tags.TagsApi)
      // One call first, so that the burst below does not start with a cold connection and code path.
      yield* tags.list()
      yield* Effect.sleep("500 millis")
      yield* Effect.all(Array.from({ length: 12 }, () => tags.list()), { concurrency: "unbounded" })
      const stats = yield* sandbox.stats
      expect(stats.requests).toBe(13)
      expect(stats.rateLimited).toBe(0)
    }))

  it.scoped("with the limit off, a burst is served in full", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      const burst = yield* Effect.all(Array.from({ length: 20 }, () => raw(sandbox, "GET", "/beta/tags")), {
        concurrency: "unbounded"
      })
      expect(burst.every((r) => r.status === 200)).toBe(true)
    }))

  it.scoped("errorRate 1 makes an idempotent GET fail with ServerError after the client's retries", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false, faults: { errorRate: 1 } })
      const client = yield* clientFor(sandbox, { retry: quickRetries(2) })
      const error = yield* Effect.flip(DixaClient.bindGroup(client, Organization.OrganizationApi).get())
      expect(error._tag).toBe("ServerError")
      const stats = yield* sandbox.stats
      expect(stats.requests).toBe(3)
      expect(stats.injectedErrors).toBe(3)
    }))

  it.scoped("the client's retries recover from a partial error rate", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false, seed: 3, faults: { errorRate: 0.4 } })
      const client = yield* clientFor(sandbox, { retry: quickRetries(10) })
      const organization = DixaClient.bindGroup(client, Organization.OrganizationApi)
      for (let i = 0; i < 20; i++) yield* organization.get()
      const stats = yield* sandbox.stats
      expect(stats.injectedErrors).toBeGreaterThan(0)
      expect(stats.requests).toBe(20 + stats.injectedErrors)
    }))

  it.scoped("the same seed injects the same faults into the same sequence of requests", () =>
    Effect.gen(function*() {
      const statuses = (seed: number) =>
        Effect.gen(function*() {
          const sandbox = yield* Sandbox.start({ rateLimit: false, seed, faults: { errorRate: 0.5 } })
          const out: Array<number> = []
          for (let i = 0; i < 16; i++) out.push((yield* raw(sandbox, "GET", "/beta/organization")).status)
          return out
        })
      const first = yield* statuses(11)
      expect(yield* statuses(11)).toEqual(first)
      expect(first).toContain(200)
      expect(first.some((s) => s >= 500)).toBe(true)
    }))

  it.scoped("dropped connections surface as TransportError and are retried for idempotent calls", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      yield* sandbox.setFaults({ dropRate: 1 })
      const client = yield* clientFor(sandbox)
      const organization = DixaClient.bindGroup(client, Organization.OrganizationApi)
      const error = yield* Effect.flip(organization.get())
      expect(error._tag).toBe("TransportError")
      expect((yield* sandbox.stats).dropped).toBe(1)
      yield* sandbox.setFaults({ dropRate: 0.5 })
      const retrying = yield* clientFor(sandbox, { retry: quickRetries(12) })
      for (let i = 0; i < 5; i++) yield* DixaClient.bindGroup(retrying, Organization.OrganizationApi).get()
      yield* sandbox.setFaults({})
      expect((yield* raw(sandbox, "GET", "/beta/organization")).status).toBe(200)
    }))

  it.scoped("faults can be set over HTTP: a 429 storm, then latency beyond the client's timeout", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      const set = yield* raw(sandbox, "POST", "/_sandbox/faults", { body: { rateLimitStorm: true } })
      expect(set.status).toBe(200)
      expect(set.json).toEqual({ errorRate: 0, rateLimitStorm: true, latency: 0, dropRate: 0 })
      expect((yield* raw(sandbox, "GET", "/_sandbox/faults")).json.rateLimitStorm).toBe(true)
      const stormed = yield* raw(sandbox, "GET", "/beta/tags")
      expect(stormed.status).toBe(429)
      expect((yield* sandbox.stats).rateLimited).toBe(1)

      expect((yield* raw(sandbox, "POST", "/_sandbox/faults", { body: { errorRate: 2 } })).status).toBe(400)
      expect((yield* raw(sandbox, "POST", "/_sandbox/faults", { body: { latency: "soon" } })).status).toBe(400)

      yield* raw(sandbox, "POST", "/_sandbox/faults", { body: { latency: "2 seconds" } })
      const client = yield* clientFor(sandbox, { timeout: "100 millis" })
      const error = yield* Effect.flip(DixaClient.bindGroup(client, Tags.TagsApi).list())
      expect(error._tag).toBe("TransportError")
      expect(error._tag === "TransportError" && error.reason).toBe("Timeout")
    }))

  it.scoped("serveMain prints its URL and serves until interrupted", () =>
    Effect.gen(function*() {
      const port = yield* Effect.scoped(Effect.map(Sandbox.start({ rateLimit: false }), (s) => s.port))
      const lines: Array<string> = []
      const current = yield* Effect.console
      const capture: Console.Console = {
        ...current,
        log: (...args: ReadonlyArray<unknown>) => Effect.sync(() => void lines.push(args.join(" ")))
      }
      const fiber = yield* Effect.fork(Effect.withConsole(Sandbox.serveMain({ port, rateLimit: false }), capture))
      const url = `http://127.0.0.1:${port}`
      const ready = Effect.tryPromise(() => fetch(`${url}/_sandbox/stats`)).pipe(
        Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.compose(Schedule.recurs(100))))
      )
      expect((yield* ready).status).toBe(200)
      expect(lines).toEqual([`Dixa sandbox listening on ${url}`])
      yield* Fiber.interrupt(fiber)
      const after = yield* Effect.either(Effect.tryPromise(() => fetch(`${url}/_sandbox/stats`)))
      expect(Either.isLeft(after)).toBe(true)
    }))
})
