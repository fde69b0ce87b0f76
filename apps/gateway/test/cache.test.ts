/**
 * A GET answered from the cache never predates a write the gateway forwarded: a write empties the whole cache,
 * whichever group it belongs to, and a load that started before a write is neither stored nor joined.
 */
import * as Headers from "@effect/platform/Headers"
import { describe, expect, it } from "@effect/vitest"
import { Api, type DixaClient, type Endpoint } from "@org/dixa-core"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as ResponseCache from "../src/ResponseCache.js"
import { call, callers, stack } from "./support.js"

const billing = callers[0]!

describe("a write across groups leaves no stale read behind (over HTTP)", () => {
  it.scoped("tagging a conversation with a new name: the tag list shows it at once", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack()
      const tags = () => call(`${gateway.url}/beta/tags`, { key: billing.key })
      expect((yield* tags()).headers.get("x-cache")).toBe("miss")
      const cached = yield* tags()
      expect(cached.headers.get("x-cache")).toBe("hit")
      expect(cached.text).not.toContain("brand-new-from-a-conversation")

      const tagged = yield* call(`${gateway.url}/beta/conversations/1001/tags/bulk`, {
        method: "POST",
        key: billing.key,
        body: { data: [{ name: "brand-new-from-a-conversation" }] }
      })
      expect(tagged.status).toBe(202)
      const after = yield* tags()
      expect(after.status).toBe(200)
      expect(after.headers.get("x-cache")).toBe("miss")
      expect(after.json.data.map((t: { name: string }) => t.name)).toContain("brand-new-from-a-conversation")
    }))

  it.scoped("adding an agent to a team: the agent's teams show it at once", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack()
      const agentId: string = (yield* call(`${gateway.url}/beta/agents`, { key: billing.key })).json.data[0].id
      const created = yield* call(`${gateway.url}/beta/teams`, {
        method: "POST",
        key: billing.key,
        body: { name: "Night shift" }
      })
      expect(created.status).toBe(201)
      const teamId: string = created.json.data.id
      const teams = () => call(`${gateway.url}/beta/agents/${agentId}/teams`, { key: billing.key })
      yield* teams()
      const cached = yield* teams()
      expect(cached.headers.get("x-cache")).toBe("hit")
      expect(cached.json.data.map((t: { id: string }) => t.id)).not.toContain(teamId)

      const added = yield* call(`${gateway.url}/beta/teams/${teamId}/agents`, {
        method: "PATCH",
        key: billing.key,
        body: { agentIds: [agentId] }
      })
      expect(added.status).toBeLessThan(300)
      const after = yield* teams()
      expect(after.headers.get("x-cache")).toBe("miss")
      expect(after.json.data.map((t: { id: string }) => t.id)).toContain(teamId)
    }))
})

const endpoint = (id: string): Endpoint.Any => {
  const found = Api.byId.get(id)
  if (found === undefined) throw new Error(`no endpoint ${id}`)
  return found
}

const answer = (text: string): DixaClient.RawResponse => ({
  status: 200,
  headers: Headers.empty,
  body: new TextEncoder().encode(text),
  attempts: 1
})

const text = (response: DixaClient.RawResponse) => new TextDecoder().decode(response.body)

/** A load that says when it started and answers only when told to. */
const gatedLoad = Effect.gen(function*() {
  const started = yield* Deferred.make<void>()
  const release = yield* Deferred.make<DixaClient.RawResponse>()
  const load = Deferred.succeed(started, undefined).pipe(Effect.zipRight(Deferred.await(release)))
  return { started, release, load }
})

/** Waits until a forked `get` is parked (on its load or on the load it joined). */
const parked = (fiber: Fiber.RuntimeFiber<unknown, unknown>) =>
  Effect.gen(function*() {
    for (let i = 0; i < 1000; i++) {
      const status = yield* fiber.status
      if (status._tag === "Suspended") return
      yield* Effect.yieldNow()
    }
    return yield* Effect.dieMessage("the fiber never parked")
  })

const makeCache = ResponseCache.make({ ttl: Duration.seconds(5), groups: ["organization", "agents", "tags"] })

describe("the cache's generations", () => {
  it.effect("a load that started before a write is not stored, and a later read loads again", () =>
    Effect.gen(function*() {
      const cache = yield* makeCache
      const tags = endpoint("tags.list")
      const gate = yield* gatedLoad
      const early = yield* Effect.fork(cache.get(tags, "/beta/tags", gate.load))
      yield* Deferred.await(gate.started)
      yield* cache.written
      yield* Deferred.succeed(gate.release, answer("before the write"))
      const [response, outcome] = yield* Fiber.join(early)
      expect([text(response), outcome]).toEqual(["before the write", "miss"])

      const [fresh, freshOutcome] = yield* cache.get(tags, "/beta/tags", Effect.succeed(answer("after the write")))
      expect([text(fresh), freshOutcome]).toEqual(["after the write", "miss"])
      const [again, againOutcome] = yield* cache.get(tags, "/beta/tags", Effect.die("not loaded again"))
      expect([text(again), againOutcome]).toEqual(["after the write", "hit"])
    }))

  it.effect("a read that came before a write joins the load in flight; one that came after loads anew", () =>
    Effect.gen(function*() {
      const cache = yield* makeCache
      const organization = endpoint("organization.get")
      const gate = yield* gatedLoad
      const leader = yield* Effect.fork(cache.get(organization, "/beta/organization", gate.load))
      yield* Deferred.await(gate.started)
      const joiner = yield* Effect.fork(cache.get(organization, "/beta/organization", Effect.die("joined, not led")))
      yield* parked(joiner)
      yield* cache.written

      const [late, lateOutcome] = yield* cache.get(
        organization,
        "/beta/organization",
        Effect.succeed(answer("after the write"))
      )
      expect([text(late), lateOutcome]).toEqual(["after the write", "miss"])

      yield* Deferred.succeed(gate.release, answer("before the write"))
      const [led, ledOutcome] = yield* Fiber.join(leader)
      const [joined, joinedOutcome] = yield* Fiber.join(joiner)
      expect([text(led), ledOutcome]).toEqual(["before the write", "miss"])
      expect([text(joined), joinedOutcome]).toEqual(["before the write", "coalesced"])

      // The early load finished last, yet what is cached is the answer that came after the write.
      const [cached, cachedOutcome] = yield* cache.get(organization, "/beta/organization", Effect.die("loaded"))
      expect([text(cached), cachedOutcome]).toEqual(["after the write", "hit"])
    }))

  it.effect("a write empties every group, whatever the write's own group, and invalidate does the same", () =>
    Effect.gen(function*() {
      const cache = yield* makeCache
      const reads = [
        [endpoint("tags.list"), "/beta/tags"],
        [endpoint("agents.listTeams"), "/beta/agents/a0d559bf-cdf8-4088-841d-f3807b93272e/teams"],
        [endpoint("organization.get"), "/beta/organization"]
      ] as const
      const outcomes = (load: Effect.Effect<DixaClient.RawResponse>) =>
        Effect.forEach(reads, ([e, key]) => Effect.map(cache.get(e, key, load), ([, outcome]) => outcome))

      expect(yield* outcomes(Effect.succeed(answer("first")))).toEqual(["miss", "miss", "miss"])
      expect(yield* outcomes(Effect.die("cached"))).toEqual(["hit", "hit", "hit"])
      yield* cache.written
      expect(yield* outcomes(Effect.succeed(answer("second")))).toEqual(["miss", "miss", "miss"])
      yield* cache.invalidate(endpoint("conversations.addTags"))
      expect(yield* outcomes(Effect.succeed(answer("third")))).toEqual(["miss", "miss", "miss"])
    }))
})
