/**
 * Paging through 1,000 agents in the sandbox with Dixa's rate limit on: the client's limiter should use the
 * budget fully (achieved rate / 10 per second close to 1) without ever being answered 429.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Agents, DixaClient, RateLimit } from "@org/dixa-core"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type { Result } from "./report.js"

export const pagination = (
  options: { readonly agents: number; readonly pageLimit: number }
): Effect.Effect<Result, unknown> =>
  Effect.scoped(
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ agents: options.agents, rateLimit: RateLimit.dixaBudget })
      const client = yield* DixaClient.make({ apiKey: Redacted.make("bench-key"), baseUrl: sandbox.url })
      const agents = DixaClient.bindGroup(client, Agents.AgentsApi)
      const before = yield* sandbox.stats
      const started = performance.now()
      const count = yield* Stream.runCount(agents.listAll({ pageLimit: options.pageLimit }))
      const elapsed = (performance.now() - started) / 1000
      const after = yield* sandbox.stats
      const requests = after.requests - before.requests
      const rateLimited = after.rateLimited - before.rateLimited
      // The first `burst` requests go at once; the budget's ceiling over the run is what the bucket allows.
      const rate = requests / elapsed
      const ratio = rate / RateLimit.dixaBudget.requestsPerSecond
      return {
        name: "pagination (1,000 agents, Dixa limit on)",
        ratio,
        goal: ">= 0.97 and 0 429s",
        met: ratio >= 0.97 && rateLimited === 0,
        details: { items: count, requests, seconds: elapsed.toFixed(2), "req/s": rate.toFixed(2), "429s": rateLimited }
      } satisfies Result
    })
  ).pipe(Effect.provide(NodeHttpClient.layerUndici))
