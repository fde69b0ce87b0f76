import { expect, it } from "@effect/vitest"
import { Agents, type Model, Teams } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { describeTargets, start } from "./support.js"

describeTargets("teams", (target) => {
  it.scopedLive("create a team, add and remove members, read its presence, delete it", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const teams = env.bind(Teams.TeamsApi)
      const agents = env.bind(Agents.AgentsApi)
      const [first, second] = (yield* agents.list({ pageLimit: 3 })).data.slice(1)
      const team = yield* teams.create({ body: { name: "Night shift" } })
      expect((yield* teams.get({ teamId: team.id })).name).toBe("Night shift")
      expect((yield* teams.list()).some((t) => t.id === team.id)).toBe(true)
      yield* teams.addMembers({ teamId: team.id, body: { agentIds: [first!.id, second!.id] } })
      expect((yield* teams.listMembers({ teamId: team.id })).map((m) => m.id).sort()).toEqual(
        [first!.id, second!.id].sort()
      )
      const presence = yield* teams.listPresence({ teamId: team.id })
      expect(presence.data.length).toBe(2)
      yield* teams.removeMembers({ teamId: team.id, body: { agentIds: [first!.id] } })
      expect((yield* teams.listMembers({ teamId: team.id })).map((m) => m.id)).toEqual([second!.id])
      // An id that is no agent is left out: a team lists agents only.
      yield* teams.addMembers({
        teamId: team.id,
        body: { agentIds: ["00000000-0000-4000-8000-000000000000" as Model.AgentId] }
      })
      expect((yield* teams.listMembers({ teamId: team.id })).map((m) => m.id)).toEqual([second!.id])
      yield* teams.delete({ teamId: team.id })
      expect((yield* Effect.flip(teams.get({ teamId: team.id })))._tag).toBe("NotFound")
    }))
})
