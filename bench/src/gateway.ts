/**
 * The gateway's two promises, measured against the sandbox:
 * - fan-in: 16 callers at once through one gateway spend Dixa's budget fully (upstream rate / 10 per second close
 *   to 1) and Dixa never answers 429;
 * - overhead: with no rate limit anywhere, a request through the gateway costs little more than one sent directly
 *   (p50 and p99 latency ratios, both paths measured alternately in the same run).
 */
import { RateLimit } from "@org/dixa-core"
import { CallerKeys, NodeGateway } from "@org/dixa-gateway"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as Logger from "effect/Logger"
import * as LogLevel from "effect/LogLevel"
import * as Redacted from "effect/Redacted"
import { percentile, type Result } from "./report.js"

const token = "bench-dixa-token"
const callers = Array.from({ length: 16 }, (_, i) => ({
  name: `service-${i}`,
  key: `bench-caller-key-${String(i).padStart(4, "0")}`,
  scopes: ["read" as const]
}))
const keys = CallerKeys.make(callers)

// The gateway's per-request log lines would flood the report; they are an operator's concern, not measured here.
const quiet = Logger.withMinimumLogLevel(LogLevel.Warning)

const get = (url: string, key: string) =>
  fetch(url, { headers: { authorization: key } }).then(async (r) => {
    await r.arrayBuffer()
    return r.status
  })

export const fanIn = (options: { readonly perCaller: number }): Effect.Effect<Result, unknown> =>
  Effect.scoped(Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ apiKey: token, rateLimit: RateLimit.dixaBudget, agents: 50 })
    const gateway = yield* quiet(
      NodeGateway.start({ dixaApiKey: Redacted.make(token), dixaBaseUrl: sandbox.url, keys, cacheTtl: 0 })
    )
    const before = yield* sandbox.stats
    const started = performance.now()
    const statuses = yield* Effect.promise(() =>
      Promise.all(callers.map(async (caller) => {
        const seen: Array<number> = []
        for (let i = 0; i < options.perCaller; i++) {
          seen.push(await get(`${gateway.url}/beta/agents?pageLimit=5`, caller.key))
        }
        return seen
      }))
    )
    const elapsed = (performance.now() - started) / 1000
    const after = yield* sandbox.stats
    const upstream = after.requests - before.requests
    const rejected = after.rateLimited - before.rateLimited
    const ok = statuses.flat().filter((s) => s === 200).length
    const ratio = upstream / elapsed / RateLimit.dixaBudget.requestsPerSecond
    return {
      name: "gateway fan-in (16 callers, Dixa limit on)",
      ratio,
      goal: ">= 0.95 and 0 upstream 429s",
      met: ratio >= 0.95 && rejected === 0,
      details: {
        requests: statuses.flat().length,
        ok,
        upstream,
        seconds: elapsed.toFixed(2),
        "upstream 429s": rejected
      }
    } satisfies Result
  }))

/**
 * `upstreamLatency` adds a fixed delay to every sandbox answer: 0 measures the gateway's own cost against a sandbox
 * that answers in well under a millisecond (the worst case for the ratio); a few tens of milliseconds is closer to
 * what a real Dixa round trip costs.
 */
export const overhead = (
  options: { readonly requests: number; readonly upstreamLatencyMillis: number }
): Effect.Effect<Result, unknown> =>
  Effect.scoped(Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({
      apiKey: token,
      rateLimit: false,
      ...(options.upstreamLatencyMillis > 0 ? { faults: { latency: `${options.upstreamLatencyMillis} millis` } } : {})
    })
    const gateway = yield* quiet(NodeGateway.start({
      dixaApiKey: Redacted.make(token),
      dixaBaseUrl: sandbox.url,
      keys,
      cacheTtl: 0,
      budget: { requestsPerSecond: 1_000_000, burst: 1_000_000 }
    }))
    const time = async (url: string, key: string) => {
      const started = performance.now()
      const status = await get(url, key)
      if (status !== 200) throw new Error(`${url} answered ${status}`)
      return performance.now() - started
    }
    const path = "/beta/agents?pageLimit=20"
    const direct: Array<number> = []
    const through: Array<number> = []
    yield* Effect.promise(async () => {
      // Warm both paths (connections, JIT) before measuring.
      for (let i = 0; i < 50; i++) {
        await time(sandbox.url + path, token)
        await time(gateway.url + path, callers[0]!.key)
      }
      for (let i = 0; i < options.requests; i++) {
        direct.push(await time(sandbox.url + path, token))
        through.push(await time(gateway.url + path, callers[0]!.key))
      }
    })
    const p50 = percentile(through, 50) / percentile(direct, 50)
    const p99 = percentile(through, 99) / percentile(direct, 99)
    return {
      name:
        `gateway overhead (p50 through gateway / direct, no limits, upstream latency ${options.upstreamLatencyMillis} ms)`,
      ratio: p50,
      goal: "p50 <= 1.2",
      met: p50 <= 1.2,
      details: {
        requests: options.requests,
        "added p50 ms": (percentile(through, 50) - percentile(direct, 50)).toFixed(2),
        "direct p50 ms": percentile(direct, 50).toFixed(2),
        "gateway p50 ms": percentile(through, 50).toFixed(2),
        "direct p99 ms": percentile(direct, 99).toFixed(2),
        "gateway p99 ms": percentile(through, 99).toFixed(2),
        "p99 ratio": p99.toFixed(3)
      }
    } satisfies Result
  }))
