/**
 * The server's own behaviour: auth, errors, routing, pagination, ids, stats, the layer form.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Agents, Api, DixaClient, Organization } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import { routes, settle } from "../src/handlers/index.js"
import * as Sandbox from "../src/index.js"
import { handle } from "../src/internal/handler.js"
import { listen } from "../src/internal/listen.js"
import * as Server from "../src/internal/server.js"
import { clientFor, raw } from "./support.js"

/** A GET with a chosen Host header (fetch does not let a caller set it). */
const getWithHost = (sandbox: Sandbox.Running, path: string, host: string) =>
  Effect.async<{ status: number; json: any }>((resume) => {
    const req = Http.request(
      { host: "127.0.0.1", port: sandbox.port, path, method: "GET", headers: { host, authorization: "k" } },
      (res) => {
        let text = ""
        res.on("data", (chunk) => (text += chunk))
        res.on("end", () => resume(Effect.succeed({ status: res.statusCode ?? 0, json: JSON.parse(text) })))
      }
    )
    req.on("error", (e) => resume(Effect.die(e)))
    req.end()
  })

layer(NodeHttpClient.layerUndici)("server", (it) => {
  it.scoped("serves organization.get through the real client and counts it", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      const client = yield* clientFor(sandbox)
      const org = yield* DixaClient.bindGroup(client, Organization.OrganizationApi).get()
      expect(org.name).toBe("Sandbox Organization")
      const stats = yield* sandbox.stats
      expect(stats.requests).toBe(1)
      expect(stats.byOperation["organization.get"]).toBe(1)
    }))

  it.scoped("answers 401 without an Authorization header, and with the wrong key when one is configured", () =>
    Effect.gen(function*() {
      const open = yield* Sandbox.start({ rateLimit: false })
      const missing = yield* raw(open, "GET", "/beta/organization", { headers: { authorization: "" } })
      expect(missing.status).toBe(401)
      expect(missing.json.message).toMatch(/Authorization/)
      const locked = yield* Sandbox.start({ rateLimit: false, apiKey: "the-only-key" })
      const wrong = yield* raw(locked, "GET", "/beta/organization")
      expect(wrong.status).toBe(401)
      const right = yield* raw(locked, "GET", "/beta/organization", { headers: { authorization: "the-only-key" } })
      expect(right.status).toBe(200)
      expect(wrong.text).not.toContain("the-only-key")
      // The control endpoints need no key.
      expect((yield* raw(locked, "GET", "/_sandbox/stats", { headers: { authorization: "" } })).status).toBe(200)
    }))

  it.scoped("answers 404 for unknown paths and 405 for known paths with the wrong method", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      expect((yield* raw(sandbox, "GET", "/beta/nothing-here")).status).toBe(404)
      const wrongMethod = yield* raw(sandbox, "DELETE", "/beta/organization")
      expect(wrongMethod.status).toBe(405)
      expect(wrongMethod.header("allow")).toBe("GET")
    }))

  it.scoped("answers 400 naming the fields of a bad request", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      const badId = yield* raw(sandbox, "GET", "/beta/agents/not-a-uuid")
      expect(badId.status).toBe(400)
      expect(badId.json.message).toMatch(/path\.agentId/)
      const badBody = yield* raw(sandbox, "POST", "/beta/agents", { body: { displayName: 1 } })
      expect(badBody.status).toBe(400)
      expect(badBody.json.message).toMatch(/body\.displayName/)
      expect(badBody.json.message).toMatch(/body\.email/)
      const notJson = yield* raw(sandbox, "POST", "/beta/tags", { body: "{nope" })
      expect(notJson.status).toBe(400)
      expect(notJson.json.message).toMatch(/body/)
      const noBody = yield* raw(sandbox, "POST", "/beta/tags")
      expect(noBody.status).toBe(400)
      const badLimit = yield* raw(sandbox, "GET", "/beta/agents?pageLimit=zero")
      expect(badLimit.status).toBe(400)
      expect(badLimit.json.message).toMatch(/query\.pageLimit/)
      const badKey = yield* raw(sandbox, "GET", "/beta/agents?pageKey=bm90IG91cnM")
      expect(badKey.status).toBe(400)
    }))

  it.scoped("answers 501 naming the operation for operations the sandbox does not implement", () =>
    Effect.gen(function*() {
      // The sandbox may implement every operation one day: a server without organization.get stands in.
      const server = yield* Server.make({
        host: "127.0.0.1",
        port: 0,
        seed: 1,
        agents: 0,
        rateLimit: false,
        faults: { errorRate: 0, rateLimitStorm: false, latencyMillis: 0, dropRate: 0 },
        apiKey: undefined,
        stateFile: undefined,
        anonymizationDelayMillis: 0,
        endpoints: Api.endpoints,
        routes: routes.filter((r) => r.endpoint.id !== "organization.get"),
        settle
      })
      const at = yield* listen(server, "127.0.0.1", 0)
      const answer = yield* raw({ ...server, ...at, setFaults: () => Effect.void }, "GET", "/beta/organization")
      expect(answer.status).toBe(501)
      expect(answer.json.message).toBe("not implemented by the sandbox: organization.get")
    }))

  it.scoped("answers 500 naming the fields when a handler's payload does not match the operation's schema", () =>
    Effect.gen(function*() {
      // A wrong answer no longer compiles; the server must still catch one at run time.
      // @ts-expect-error the answer does not match the operation's schema, on purpose
      const broken = handle(Organization.OrganizationApi.endpoints.get, () => Effect.succeed({ id: 42 }))
      const server = yield* Server.make({
        host: "127.0.0.1",
        port: 0,
        seed: 1,
        agents: 0,
        rateLimit: false,
        faults: { errorRate: 0, rateLimitStorm: false, latencyMillis: 0, dropRate: 0 },
        apiKey: undefined,
        stateFile: undefined,
        anonymizationDelayMillis: 0,
        endpoints: Api.endpoints,
        routes: [broken],
        settle
      })
      const at = yield* listen(server, "127.0.0.1", 0)
      const answer = yield* raw({ ...server, ...at, setFaults: () => Effect.void }, "GET", "/beta/organization")
      expect(answer.status).toBe(500)
      expect(answer.json.message).toMatch(/^sandbox bug: the answer of organization\.get/)
      expect(answer.json.message).toMatch(/body\.data\.id/)
      expect(answer.json.message).toMatch(/body\.data\.name/)
    }))

  it.scoped("binds every handler to an operation of the definition, once", () =>
    Effect.sync(() => {
      const ids = routes.map((r) => r.endpoint.id)
      expect(new Set(ids).size).toBe(ids.length)
      for (const id of ids) expect(Api.byId.get(id), id).toBeDefined()
      const slice = [
        "organization.get",
        ...["list", "get", "create", "createMany", "updateMany", "patchMany", "update", "patch", "delete"]
          .map((a) => `agents.${a}`),
        ...["listPresence", "getPresence", "listTeams", "setWorkingChannel"].map((a) => `agents.${a}`),
        ...["list", "create", "get", "delete", "activate", "deactivate"].map((a) => `tags.${a}`),
        ...["get", "close", "anonymize", "anonymizeMessage"].map((a) => `conversations.${a}`),
        "anonymization.getRequest"
      ]
      expect(slice).toHaveLength(25)
      for (const id of slice) expect(ids, id).toContain(id)
    }))

  it.scoped("paginates with pageLimit, an opaque pageKey and absolute next/previous links on the request's Host", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false, agents: 120 })
      const first = yield* raw(sandbox, "GET", "/beta/agents?pageLimit=50")
      expect(first.json.data).toHaveLength(50)
      expect(first.json.meta.previous).toBeUndefined()
      const next = new URL(first.json.meta.next)
      expect(next.origin).toBe(sandbox.url)
      expect(next.pathname).toBe("/beta/agents")
      expect(next.searchParams.get("pageLimit")).toBe("50")
      const second = yield* raw(sandbox, "GET", next.pathname + next.search)
      expect(second.json.data).toHaveLength(50)
      expect(second.json.meta.previous).toBeDefined()
      const thirdUrl = new URL(second.json.meta.next)
      const third = yield* raw(sandbox, "GET", thirdUrl.pathname + thirdUrl.search)
      expect(third.json.data).toHaveLength(127 - 100)
      expect(third.json.meta.next).toBeUndefined()
      const defaultLimit = yield* raw(sandbox, "GET", "/beta/agents")
      expect(defaultLimit.json.data).toHaveLength(50)

      const viaHost = yield* getWithHost(sandbox, "/beta/agents?pageLimit=10", "dixa.test:4321")
      expect(viaHost.json.meta.next).toMatch(/^http:\/\/dixa\.test:4321\/beta\/agents\?/)
    }))

  it.scoped("a page key keeps its place when earlier items are deleted between pages", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false, agents: 10 })
      const all = (yield* raw(sandbox, "GET", "/beta/agents?pageLimit=100")).json.data.map((a: any) => a.id)
      const first = yield* raw(sandbox, "GET", "/beta/agents?pageLimit=5")
      expect(first.json.data.map((a: any) => a.id)).toEqual(all.slice(0, 5))
      expect((yield* raw(sandbox, "DELETE", `/beta/agents/${all[1]}`)).status).toBe(204)
      const next = new URL(first.json.meta.next)
      const second = yield* raw(sandbox, "GET", next.pathname + next.search)
      expect(second.json.data.map((a: any) => a.id)).toEqual(all.slice(5, 10))
    }))

  it.scoped("listAll through the client returns every seeded agent exactly once across pages", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false, agents: 230 })
      const client = yield* clientFor(sandbox)
      const agents = DixaClient.bindGroup(client, Agents.AgentsApi)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(agents.listAll({ pageLimit: 25 })))
      expect(all).toHaveLength(237)
      expect(new Set(all.map((a) => a.id)).size).toBe(237)
      const stats = yield* sandbox.stats
      expect(stats.byOperation["agents.list"]).toBe(Math.ceil(237 / 25))
    }))

  it.scoped("gives the same ids for the same seed and different ones for another seed", () =>
    Effect.gen(function*() {
      const a = yield* Sandbox.start({ seed: 7, rateLimit: false })
      const b = yield* Sandbox.start({ seed: 7, rateLimit: false, agents: 3 })
      const c = yield* Sandbox.start({ seed: 8, rateLimit: false })
      const ids = (s: Sandbox.Running) =>
        Effect.map(raw(s, "GET", "/beta/tags?includeDeactivated=true"), (r) => r.json.data.map((t: any) => t.id))
      expect(yield* ids(a)).toEqual(yield* ids(b))
      expect(yield* ids(a)).not.toEqual(yield* ids(c))
      // Ids minted at run time follow the seed too.
      const created = (s: Sandbox.Running) =>
        Effect.map(raw(s, "POST", "/beta/tags", { body: { name: "fresh" } }), (r) => r.json.data.id)
      expect(yield* created(a)).toBe(yield* created(b))
    }))

  it.scoped("reports stats on /_sandbox/stats, not counting the control endpoints", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      yield* raw(sandbox, "GET", "/beta/organization")
      yield* raw(sandbox, "GET", "/beta/tags")
      yield* raw(sandbox, "GET", "/beta/tags")
      yield* raw(sandbox, "GET", "/_sandbox/faults")
      const stats = (yield* raw(sandbox, "GET", "/_sandbox/stats")).json
      expect(stats.requests).toBe(3)
      expect(stats.rateLimited).toBe(0)
      expect(stats.byOperation).toEqual({ "organization.get": 1, "tags.list": 2 })
      expect(yield* sandbox.stats).toEqual(stats)
    }))

  it.scoped("reset restores the seeded state, also over HTTP", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      const before = (yield* raw(sandbox, "GET", "/beta/tags")).json.data.length
      yield* raw(sandbox, "POST", "/beta/tags", { body: { name: "temporary" } })
      expect((yield* raw(sandbox, "GET", "/beta/tags")).json.data.length).toBe(before + 1)
      yield* sandbox.reset
      expect((yield* raw(sandbox, "GET", "/beta/tags")).json.data.length).toBe(before)
      yield* raw(sandbox, "POST", "/beta/tags", { body: { name: "temporary" } })
      expect((yield* raw(sandbox, "POST", "/_sandbox/reset", { headers: { authorization: "" } })).status).toBe(204)
      expect((yield* raw(sandbox, "GET", "/beta/tags")).json.data.length).toBe(before)
    }))

  it.scoped("fails to start with SandboxStartError when the port is taken", () =>
    Effect.gen(function*() {
      const first = yield* Sandbox.start({ rateLimit: false })
      const error = yield* Effect.flip(Sandbox.start({ port: first.port }))
      expect(error._tag).toBe("SandboxStartError")
      expect(error.message).toMatch(String(first.port))
    }))

  it.scoped("fails to start with SandboxStartError on options out of range", () =>
    Effect.gen(function*() {
      const attempts = [
        Sandbox.start({ agents: -1 }),
        Sandbox.start({ faults: { errorRate: 1.5 } }),
        Sandbox.start({ rateLimit: { requestsPerSecond: 0, burst: 4 } }),
        Sandbox.start({ anonymizationDelay: "soon" as never })
      ]
      for (const attempt of attempts) expect((yield* Effect.flip(attempt))._tag).toBe("SandboxStartError")
    }))

  it.scoped("offers a layer providing the running sandbox", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.Sandbox
      expect((yield* raw(sandbox, "GET", "/beta/organization")).status).toBe(200)
    }).pipe(Effect.provide(Sandbox.layer({ rateLimit: false }))))
})
