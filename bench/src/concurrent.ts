/**
 * Many callers at once through one client, with Dixa's limit on in the sandbox: 500 end-user creates, then 500
 * agent reads. Every call should succeed, each sent exactly once (the sandbox counts the requests), none answered
 * 429, and the client should keep the budget busy: requests per second over the run ÷ Dixa's 10/s close to 1.
 * No call may fail for waiting its turn: the per-attempt timeout covers the HTTP exchange, not the queue.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Agents, DixaClient, EndUsers, RateLimit } from "@org/dixa-core"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type { Result } from "./report.js"

type Kind = "creates" | "reads"

const calls = (kind: Kind, n: number) =>
  Effect.gen(function*() {
    if (kind === "creates") {
      const endUsers = yield* EndUsers.EndUsers
      // One create first, so the run does not time the in-process sandbox loading its handlers.
      yield* endUsers.create({ body: { displayName: "Bench warm-up" } })
      return Array.from({ length: n }, (_, i) =>
        endUsers.create({ body: { displayName: `Bench ${i}`, email: `bench-${i}@example.test` } }))
    }
    const agents = yield* Agents.Agents
    const { data } = yield* agents.list({ pageLimit: 10 })
    return Array.from({ length: n }, (_, i) =>
      agents.get({ agentId: data[i % data.length]!.id }))
  })

export const concurrent = (options: { readonly kind: Kind; readonly calls: number }): Effect.Effect<Result, unknown> =>
  Effect.scoped(
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ agents: 20, rateLimit: RateLimit.dixaBudget })
      const services = Layer.merge(Agents.layer, EndUsers.layer).pipe(
        Layer.provide(DixaClient.layer({ apiKey: Redacted.make("bench-key"), baseUrl: sandbox.url })),
        Layer.provide(NodeHttpClient.layerUndici)
      )
      return yield* Effect.gen(function*() {
        const work = yield* calls(options.kind, options.calls)
        // Let the bucket refill after the setup request, so the run starts with the full burst as the ratio assumes.
        yield* Effect.sleep("1 second")
        const before = yield* sandbox.stats
        const started = performance.now()
        const results = yield* Effect.all(work, { concurrency: "unbounded", mode: "either" })
        const elapsed = (performance.now() - started) / 1000
        const after = yield* sandbox.stats
        const ok = results.filter((r) => r._tag === "Right").length
        const failures = new Map<string, number>()
        for (const r of results) {
          if (r._tag === "Left") failures.set(r.left._tag, (failures.get(r.left._tag) ?? 0) + 1)
        }
        const requests = after.requests - before.requests
        const rateLimited = after.rateLimited - before.rateLimited
        const ratio = requests / elapsed / RateLimit.dixaBudget.requestsPerSecond
        return {
          name: `${options.calls} concurrent ${options.kind} through one client (Dixa limit on) / 10 req/s`,
          ratio,
          goal: `>= 0.95, ${options.calls}/${options.calls} ok, ${options.calls} requests, 0 429s`,
          met: ratio >= 0.95 && ok === options.calls && requests === options.calls && rateLimited === 0,
          details: {
            ok,
            failed: [...failures].map(([tag, n]) => `${tag}:${n}`).join(",") || 0,
            requests,
            "429s": rateLimited,
            seconds: elapsed.toFixed(2),
            "req/s": (requests / elapsed).toFixed(2)
          }
        } satisfies Result
      }).pipe(Effect.provide(services))
    })
  )
