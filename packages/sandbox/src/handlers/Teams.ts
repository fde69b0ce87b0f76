/**
 * Teams: named sets of agents.
 */
import { Teams } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { type GroupHandlers, notFound } from "../internal/handler.js"
import type { State, Team } from "../internal/state.js"
import { presenceOf } from "./Agents.js"

const findOrFail = (state: State, id: string) => {
  const team = state.teams.find((t) => t.id === id)
  return team === undefined ? Effect.fail(notFound(`team ${id} does not exist`)) : Effect.succeed(team)
}

const view = (team: Team) => ({ id: team.id, name: team.name })

export const handlers: GroupHandlers<typeof Teams.TeamsApi> = {
  list: (_, ctx) => Effect.sync(() => ctx.state.teams.map(view)),

  create: (input, ctx) =>
    Effect.sync(() => {
      const team: Team = { id: ctx.rng.uuid(), name: input.body.name.trim(), agentIds: [] }
      ctx.state.teams.push(team)
      return view(team)
    }),

  get: (input, ctx) => Effect.map(findOrFail(ctx.state, input.teamId), view),

  delete: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.teamId), (team) => {
      ctx.state.teams = ctx.state.teams.filter((t) => t !== team)
    }),

  listMembers: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.teamId), (team) =>
      team.agentIds.flatMap((id) => {
        const agent = ctx.state.agents.find((a) => a.id === id)
        if (agent === undefined) return []
        const phone = agent.phoneNumber === undefined ? {} : { phoneNumber: agent.phoneNumber }
        return [{ id: agent.id, name: agent.displayName, email: agent.email, ...phone }]
      })),

  addMembers: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.teamId), (team) => {
      // Ids that are not agents are left out: a team lists agents only.
      const ids = (input.body.agentIds ?? []).filter((id) => ctx.state.agents.some((a) => a.id === id))
      for (const id of ids) if (!team.agentIds.includes(id)) team.agentIds.push(id)
    }),

  removeMembers: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.teamId), (team) => {
      const ids = new Set<string>(input.body.agentIds ?? [])
      team.agentIds = team.agentIds.filter((id) => !ids.has(id))
    }),

  listPresence: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.teamId),
      (team) => team.agentIds.filter((id) => ctx.state.agents.some((a) => a.id === id)).map((id) => presenceOf(ctx, id))
    )
}
