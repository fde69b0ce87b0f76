import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { DixaClient, Organization } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Sandbox from "../src/index.js"
import { clientFor, raw } from "./support.js"

layer(NodeHttpClient.layerUndici)("server", (it) => {
  it.scoped("serves organization.get through the real client", () =>
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
    }))

  it.scoped("answers 404 for unknown paths and 405 for known paths with the wrong method", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      expect((yield* raw(sandbox, "GET", "/beta/nothing-here")).status).toBe(404)
      const wrongMethod = yield* raw(sandbox, "DELETE", "/beta/organization")
      expect(wrongMethod.status).toBe(405)
      expect(wrongMethod.header("allow")).toBe("GET")
    }))

  it.scoped("gives the same ids for the same seed and different ones for another seed", () =>
    Effect.gen(function*() {
      const a = yield* Sandbox.start({ seed: 7, rateLimit: false })
      const b = yield* Sandbox.start({ seed: 7, rateLimit: false })
      const c = yield* Sandbox.start({ seed: 8, rateLimit: false })
      const idOf = (s: Sandbox.Running) => Effect.map(raw(s, "GET", "/beta/organization"), (r) => r.json.data.id)
      expect(yield* idOf(a)).toBe(yield* idOf(b))
      expect(yield* idOf(a)).not.toBe(yield* idOf(c))
    }))
})
