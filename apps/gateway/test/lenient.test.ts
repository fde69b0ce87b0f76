/**
 * The gateway reads requests as leniently as Dixa does, no more and no less: what Dixa accepts reaches it, and
 * what Dixa would refuse is refused at the door.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { call, callers, stack } from "./support.js"

const billing = callers[0]!

describe("as lenient as Dixa", () => {
  it.scoped("a boolean in any case is accepted, as Python's requests sends True", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack({ gateway: { cacheTtl: 0 } })
      for (const value of ["True", "TRUE", "true", "False", "false"]) {
        const answer = yield* call(`${gateway.url}/beta/tags?includeDeactivated=${value}`, { key: billing.key })
        expect(answer.status, value).toBe(200)
        expect(Array.isArray(answer.json.data)).toBe(true)
      }
    }))

  it.scoped("an id in capitals names the same agent; Dixa reads UUIDs in either case", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack({ gateway: { cacheTtl: 0 } })
      const agent = (yield* call(`${gateway.url}/beta/agents`, { key: billing.key })).json.data[0]
      const upper = yield* call(`${gateway.url}/beta/agents/${String(agent.id).toUpperCase()}`, { key: billing.key })
      expect(upper.status).toBe(200)
      expect(upper.json.data.id).toBe(agent.id)
    }))

  it.scoped("what Dixa refuses is refused at the door: a number with spaces, a boolean of 1, a repeated parameter", () =>
    Effect.gen(function*() {
      const { gateway, sandbox } = yield* stack({ gateway: { cacheTtl: 0 } })
      const before = (yield* sandbox.stats).requests
      const spaced = yield* call(`${gateway.url}/beta/agents?pageLimit=%205`, { key: billing.key })
      const one = yield* call(`${gateway.url}/beta/tags?includeDeactivated=1`, { key: billing.key })
      const twice = yield* call(`${gateway.url}/beta/agents?pageLimit=1&pageLimit=2`, { key: billing.key })
      expect((yield* sandbox.stats).requests).toBe(before)
      expect([spaced.status, one.status, twice.status]).toEqual([400, 400, 400])
      expect(spaced.json.message).toContain("query.pageLimit")
      expect(one.json.message).toContain("query.includeDeactivated")
      expect(twice.json.message).toContain("query.pageLimit")

      const signed = yield* call(`${gateway.url}/beta/agents?pageLimit=%2B1`, { key: billing.key })
      expect(signed.status).toBe(200)
      expect(signed.json.data.length).toBe(1)
    }))
})
