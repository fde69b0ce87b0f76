import { expect, it } from "@effect/vitest"
import { Agents, type Model } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describeTargets, start } from "./support.js"

const missing = "00000000-0000-4000-8000-000000000000" as Model.AgentId

describeTargets("agents", (target) => {
  it.scopedLive("create, get, list by email, update, patch and delete one agent", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const agents = env.bind(Agents.AgentsApi)
      const created = yield* agents.create({ body: { displayName: "Integration Agent", email: "int@agents.example" } })
      expect(yield* agents.get({ agentId: created.id })).toEqual(created)
      const byEmail = yield* agents.list({ email: "int@agents.example" })
      expect(byEmail.data.map((a) => a.id)).toEqual([created.id])
      const duplicate = yield* Effect.flip(
        agents.create({ body: { displayName: "Again", email: "int@agents.example" } })
      )
      // agents.create declares only a 400; the spec names "Duplicate email address" among its reasons.
      expect([duplicate._tag, duplicate._tag === "BadRequest" && duplicate.status]).toEqual(["BadRequest", 400])

      const updated = yield* agents.update({ agentId: created.id, body: { displayName: "Renamed", firstName: "Re" } })
      expect(updated.displayName).toBe("Renamed")
      const patched = yield* agents.patch({ agentId: created.id, body: { lastName: "Named" } })
      expect(patched.displayName).toBe("Renamed")
      expect(patched.lastName).toBe("Named")

      yield* agents.delete({ agentId: created.id })
      expect((yield* Effect.flip(agents.get({ agentId: created.id })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(agents.delete({ agentId: created.id })))._tag).toBe("NotFound")
    }))

  it.scopedLive("bulk create, update and patch report an outcome per item", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const agents = env.bind(Agents.AgentsApi)
      const created = yield* agents.createMany({
        body: {
          data: [
            { displayName: "Bulk One", email: "one@bulk.example" },
            { displayName: "Bulk Dup", email: "one@bulk.example" }
          ]
        }
      })
      expect(created.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionFailure"])
      const one = (created[0] as Agents.AgentBulkSuccess).data as Agents.Agent
      const updated = yield* agents.updateMany({
        body: [{ id: one.id, displayName: "Bulk Uno" }, { id: missing, displayName: "x" }]
      })
      expect(updated.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionFailure"])
      const patched = yield* agents.patchMany({ body: [{ id: one.id, lastName: "Patched" }] })
      expect(patched.map((o) => o._type)).toEqual(["BulkActionSuccess"])
      const read = yield* agents.get({ agentId: one.id })
      expect([read.displayName, read.lastName]).toEqual(["Bulk Uno", "Patched"])
    }))

  it.scopedLive("presence, working channel and teams of an agent; every agent across pages", () =>
    Effect.gen(function*() {
      const env = yield* start(target, { agents: 30 })
      const agents = env.bind(Agents.AgentsApi)
      const everyone = Chunk.toReadonlyArray(yield* Stream.runCollect(agents.listAll({ pageLimit: 7 })))
      expect(everyone.length).toBeGreaterThanOrEqual(37)
      expect(new Set(everyone.map((a) => a.id)).size).toBe(everyone.length)
      const ada = everyone.find((a) => a.displayName === "Ada Lovelace")!
      const presence = yield* agents.listPresence()
      expect(presence.some((p) => p.userId === ada.id)).toBe(true)
      yield* agents.setWorkingChannel({ agentId: ada.id, body: { channel: "Speak", working: true } })
      expect((yield* agents.getPresence({ agentId: ada.id })).activeChannels).toContain("Speak")
      const teams = yield* agents.listTeams({ agentId: ada.id })
      expect(teams.length).toBeGreaterThan(0)
      expect((yield* Effect.flip(agents.getPresence({ agentId: missing })))._tag).toBe("NotFound")
    }))
})
