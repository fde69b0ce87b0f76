import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Agents, Api, DixaClient, Tags } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Sandbox from "../src/index.js"

// What a user's own test looks like: `it.effect` (so the TestClock is installed), the sandbox in process, the
// default client with Dixa's budget and the group services. The client waits on the real clock, so paging through
// more requests than one burst finishes instead of waiting for virtual time that never moves.

const services = (sandbox: Sandbox.Running) =>
  Api.layer.pipe(
    Layer.provideMerge(DixaClient.layer({ apiKey: Redacted.make("user-test"), baseUrl: sandbox.url })),
    Layer.provide(NodeHttpClient.layerUndici)
  )

describe("a user's it.effect test against the in-process sandbox", () => {
  it.scoped("lists 20 agents page by page through the default client without hanging", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ agents: 20 })
      const program = Effect.gen(function*() {
        const agents = yield* Agents.Agents
        return yield* Stream.runCollect(agents.listAll({ pageLimit: 2 }))
      })
      const all = yield* program.pipe(Effect.provide(services(sandbox)))
      // The seed's agents and the 20 numbered ones: more pages (and requests) than the client's burst of 3.
      expect(Chunk.size(all)).toBeGreaterThanOrEqual(20)
      const stats = yield* sandbox.stats
      expect(stats.rateLimited).toBe(0)
    }), { timeout: 20_000 })

  it.scoped("tags through Tags.Tags, errors typed by operation", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start()
      const program = Effect.gen(function*() {
        const tags = yield* Tags.Tags
        const made = yield* tags.create({ body: { name: "from-a-user-test" } })
        const missing = yield* tags.get({ tagId: "00000000-0000-4000-8000-000000000000" as never }).pipe(
          Effect.as("found"),
          Effect.catchTag("NotFound", (e) => Effect.succeed(`${e.operation} ${e.status} after ${e.attempts}`))
        )
        return { made, missing }
      })
      const { made, missing } = yield* program.pipe(Effect.provide(services(sandbox)))
      expect(made.name).toBe("from-a-user-test")
      expect(missing).toBe("tags.get 404 after 1")
    }))
})
