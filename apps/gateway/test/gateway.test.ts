import { describe, expect, it } from "@effect/vitest"
import { Retry } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as NodeGateway from "../src/NodeGateway.js"
import { call, callers, dixaToken, keys, stack } from "./support.js"

const [billing, reports, support] = callers as [typeof callers[0], typeof callers[0], typeof callers[0]]

describe("gateway in front of the sandbox", () => {
  it.scoped("many concurrent callers all succeed and Dixa never has to say 429", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack({ gateway: { cacheTtl: 0 } })
      const before = yield* sandbox.stats
      const results = yield* Effect.forEach(
        Array.from({ length: 36 }, (_, i) => callers[i % callers.length]!),
        (caller) => call(`${gateway.url}/beta/tags`, { key: caller.key }),
        { concurrency: "unbounded" }
      )
      const after = yield* sandbox.stats
      expect(results.map((r) => r.status)).toEqual(results.map(() => 200))
      expect(after.rateLimited - before.rateLimited).toBe(0)
      expect(after.requests - before.requests).toBe(36)
    }), 60_000)

  it.scoped("401, 403 and 400 are answered at the door and nothing is sent upstream", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack()
      const before = (yield* sandbox.stats).requests
      const missing = yield* call(`${gateway.url}/beta/tags`)
      const unknown = yield* call(`${gateway.url}/beta/tags`, { key: "not-a-key-of-ours-at-all" })
      const upstreamToken = yield* call(`${gateway.url}/beta/tags`, { key: dixaToken })
      const readOnly = yield* call(`${gateway.url}/beta/tags`, {
        method: "POST",
        key: reports.key,
        body: { name: "x" }
      })
      const badUuid = yield* call(`${gateway.url}/beta/agents/not-a-uuid`, { key: billing.key })
      const badJson = yield* call(`${gateway.url}/beta/tags`, {
        method: "POST",
        key: billing.key,
        rawBody: "{\"name\": "
      })
      const missingField = yield* call(`${gateway.url}/beta/tags`, { method: "POST", key: billing.key, body: {} })
      const wrongType = yield* call(`${gateway.url}/beta/agents?pageLimit=ten`, { key: billing.key })
      const noBody = yield* call(`${gateway.url}/beta/agents`, { method: "POST", key: billing.key })
      expect((yield* sandbox.stats).requests).toBe(before)

      for (const r of [missing, unknown, upstreamToken]) {
        expect(r.status).toBe(401)
        expect(typeof r.json.message).toBe("string")
      }
      expect(readOnly.status).toBe(403)
      expect(readOnly.json.message).toContain("write")
      expect(badUuid.status).toBe(400)
      expect(badUuid.json.message).toContain("path.agentId")
      expect(badJson.status).toBe(400)
      expect(badJson.json.message).toContain("body")
      expect(missingField.status).toBe(400)
      expect(missingField.json.message).toContain("body.name")
      expect(wrongType.status).toBe(400)
      expect(wrongType.json.message).toContain("query.pageLimit")
      expect(noBody.status).toBe(400)
      expect(noBody.json.issues[0].path).toBe("body")
    }))

  it.scoped("caches GETs of slowly changing resources, coalesces identical ones and forgets on writes", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack()
      const tagsListed = () => Effect.map(sandbox.stats, (s) => s.byOperation["tags.list"] ?? 0)
      const first = yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
      const second = yield* call(`${gateway.url}/beta/tags`, { key: reports.key })
      expect(first.headers.get("x-cache")).toBe("miss")
      expect(second.headers.get("x-cache")).toBe("hit")
      expect(second.text).toBe(first.text)
      expect(yield* tagsListed()).toBe(1)

      const created = yield* call(`${gateway.url}/beta/tags`, {
        method: "POST",
        key: billing.key,
        body: { name: "gateway-made" }
      })
      expect(created.status).toBeLessThan(300)
      const third = yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
      expect(third.headers.get("x-cache")).toBe("miss")
      expect(third.text).toContain("gateway-made")
      expect(yield* tagsListed()).toBe(2)

      const organizationRead = () => Effect.map(sandbox.stats, (s) => s.byOperation["organization.get"] ?? 0)
      const before = yield* organizationRead()
      const together = yield* Effect.forEach(
        callers,
        (caller) => call(`${gateway.url}/beta/organization`, { key: caller.key }),
        { concurrency: "unbounded" }
      )
      expect(together.map((r) => r.status)).toEqual([200, 200, 200])
      expect((yield* organizationRead()) - before).toBe(1)

      // Conversations are not cached: each read goes upstream and says nothing about a cache.
      const conversation = yield* call(`${gateway.url}/beta/conversations/1`, { key: billing.key })
      expect(conversation.headers.get("x-cache")).toBeNull()
    }))

  it.scoped("a full queue is answered 429 with Retry-After by the gateway itself, never by Dixa", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack({
        gateway: { cacheTtl: 0, budget: { requestsPerSecond: 2, burst: 1 }, maxQueue: 2 }
      })
      const results = yield* Effect.forEach(
        Array.from({ length: 8 }, () => support),
        (caller) => call(`${gateway.url}/beta/organization`, { key: caller.key }),
        { concurrency: "unbounded" }
      )
      const refused = results.filter((r) => r.status === 429)
      expect(refused.length).toBeGreaterThan(0)
      for (const r of refused) {
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
        expect(r.json.message).toContain("queue")
      }
      expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0)
      expect((yield* sandbox.stats).rateLimited).toBe(0)
    }))

  it.scopedLive("a caller's short deadline is refused at once rather than kept waiting", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack({ gateway: { cacheTtl: 0, budget: { requestsPerSecond: 1, burst: 1 } } })
      const slow = Array.from({ length: 4 }, () => call(`${gateway.url}/beta/organization`, { key: billing.key }))
      const fibers = yield* Effect.forEach(slow, Effect.fork)
      // Wait until some of them queue for the budget (bounded: a broken queue fails the expectation below).
      for (let i = 0; i < 100; i++) {
        const metrics = yield* call(`${gateway.url}/metrics`)
        if (/dixa_gateway_queue_depth [1-9]/.test(metrics.text)) break
        yield* Effect.sleep("20 millis")
      }
      const hurried = yield* Effect.promise(() =>
        fetch(`${gateway.url}/beta/organization`, { headers: { authorization: support.key, "x-max-wait-ms": "10" } })
      )
      expect(hurried.status).toBe(429)
      expect(hurried.headers.get("retry-after")).not.toBeNull()
      for (const fiber of fibers) yield* fiber.await
    }), 30_000)

  it.scoped("ops endpoints: health, readiness, metrics, OpenAPI and docs; the token never shows", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack()
      yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
      yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
      const health = yield* call(`${gateway.url}/healthz`)
      const ready = yield* call(`${gateway.url}/readyz`)
      const metrics = yield* call(`${gateway.url}/metrics`)
      const openapi = yield* call(`${gateway.url}/openapi.json`)
      const docs = yield* call(`${gateway.url}/docs`)
      const asset = yield* call(`${gateway.url}/docs/swagger-ui-bundle.js`)
      expect(health.status).toBe(200)
      expect(ready.status).toBe(200)
      expect(metrics.status).toBe(200)
      expect(metrics.text).toContain(
        `dixa_gateway_requests_total{caller="billing",operation="tags.list",status="200"} 2`
      )
      expect(metrics.text).toContain(`dixa_gateway_cache_total{outcome="hit"} 1`)
      expect(metrics.text).toContain("dixa_gateway_queue_depth 0")
      expect(metrics.text).toContain("dixa_gateway_upstream_seconds_bucket")
      expect(metrics.text).toContain("dixa_gateway_limiter_wait_seconds_count")
      expect(openapi.json.paths["/beta/tags"]).toBeDefined()
      expect(docs.text).toContain("swagger-ui")
      expect(asset.status).toBe(200)
      for (const r of [health, ready, metrics, openapi, docs]) expect(r.text).not.toContain(dixaToken)
    }))

  it.scoped("readiness fails when Dixa refuses the gateway's token", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack({ sandbox: { apiKey: "some-other-token" } })
      const ready = yield* call(`${gateway.url}/readyz`)
      expect(ready.status).toBe(503)
      expect(ready.text).not.toContain(dixaToken)
    }))
})

describe("fidelity", () => {
  it.scoped("the upstream body reaches the caller unchanged, fields our models do not know included", () =>
    Effect.gen(function*() {
      const body = JSON.stringify({
        data: { id: "6c9a3f5e-5f3a-4c57-9d8e-0c8f9c1e2a11", name: "Acme", brandNewField: { nested: [1, 2, 3] } }
      })
      let seenAuthorization: string | undefined
      const upstream = createServer((req, res) => {
        seenAuthorization = req.headers.authorization
        if (req.url === "/beta/tags") {
          res.writeHead(429, { "content-type": "application/json", "retry-after": "7" })
          res.end(JSON.stringify({ message: "slow down" }))
          return
        }
        res.writeHead(200, { "content-type": "application/json; charset=utf-8", "x-internal": "secret-header" })
        res.end(body)
      })
      yield* Effect.acquireRelease(
        Effect.async<void>((resume) => {
          upstream.listen(0, "127.0.0.1", () => resume(Effect.void))
        }),
        () => Effect.sync(() => upstream.close())
      )
      const port = (upstream.address() as AddressInfo).port
      const gateway = yield* NodeGateway.start({
        dixaApiKey: Redacted.make(dixaToken),
        dixaBaseUrl: `http://127.0.0.1:${port}`,
        keys,
        retry: Retry.policy({ maxRetries: 0 })
      })
      const response = yield* call(`${gateway.url}/beta/organization`, { key: billing.key })
      expect(response.status).toBe(200)
      expect(response.text).toBe(body)
      expect(response.headers.get("content-type")).toBe("application/json; charset=utf-8")
      expect(response.headers.get("x-internal")).toBeNull()
      expect(seenAuthorization).toBe(dixaToken)

      const limited = yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
      expect(limited.status).toBe(429)
      expect(limited.headers.get("retry-after")).toBe("7")
      expect(limited.json).toEqual({ message: "slow down" })
    }))
})
