/**
 * Agents and admins: the directory, bulk changes, presence and teams.
 */
import { Agents } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, type GroupHandlers, iso, notFound } from "../internal/handler.js"
import type { Agent, State } from "../internal/state.js"

/** The fields an agent's details consist of, apart from id, email, creation time and roles. */
const detailFields = [
  "displayName",
  "phoneNumber",
  "additionalEmails",
  "additionalPhoneNumbers",
  "firstName",
  "lastName",
  "middleNames",
  "avatarUrl"
] as const

/** The detail fields that are lists: cleared to `[]` rather than removed. */
const listFields: ReadonlySet<string> = new Set(["additionalEmails", "additionalPhoneNumbers", "middleNames"])

type Details = { readonly [K in (typeof detailFields)[number]]?: string | ReadonlyArray<string> | undefined }

const sameEmail = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase()

const emailTaken = (state: State, email: string) =>
  state.agents.some((agent) => sameEmail(agent.email, email) || agent.additionalEmails.some((e) => sameEmail(e, email)))

const find = (state: State, id: string) => state.agents.find((agent) => agent.id === id)

const missing = (id: string) => notFound(`agent ${id} does not exist`)

const findOrFail = (state: State, id: string) => {
  const agent = find(state, id)
  return agent === undefined ? Effect.fail(missing(id)) : Effect.succeed(agent)
}

/** Sets the given detail fields; with `replace`, the ones not given are cleared. */
const apply = (agent: Agent, details: Details, replace: boolean) => {
  const target = agent as unknown as Record<string, unknown>
  for (const field of detailFields) {
    const value = details[field]
    if (value !== undefined) target[field] = Array.isArray(value) ? [...value] : value
    else if (replace) {
      if (listFields.has(field)) target[field] = []
      else delete target[field]
    }
  }
}

const hasAnyDetail = (details: Details) => detailFields.some((field) => details[field] !== undefined)

type CreateInput = Agents.CreateAgentInput

/** The channels an agent can work on, as the spec lists them. */
const workingChannels = ["Email", "InteractiveChat", "Messaging", "Speak"]

/** Creates an agent, or says why not: its email is taken (the spec's "Duplicate email address"). */
const create = (ctx: Context, input: CreateInput): Agent | string => {
  if (emailTaken(ctx.state, input.email)) return `an agent with email ${input.email} already exists`
  const agent: Agent = {
    id: ctx.rng.uuid(),
    createdAt: iso(ctx.now),
    displayName: input.displayName,
    email: input.email,
    additionalEmails: [],
    additionalPhoneNumbers: [],
    middleNames: [],
    roles: ["Agent"]
  }
  apply(agent, input, false)
  ctx.state.agents.push(agent)
  ctx.state.presence[agent.id] = {
    userId: agent.id,
    presenceStatus: "Away",
    connectionStatus: "Offline",
    activeChannels: []
  }
  return agent
}

const success = (agent: Agent) => ({ _type: "BulkActionSuccess", data: agent })
const failure = (error: Record<string, unknown>) => ({ _type: "BulkActionFailure", error })

/** Presence as Dixa sends it: local date-times without a zone. */
export const presenceOf = (ctx: Context, agentId: string) => {
  const stored = ctx.state.presence[agentId] ?? {
    userId: agentId,
    connectionStatus: "Offline",
    activeChannels: []
  }
  return { ...stored, requestTime: iso(ctx.now).replace(/Z$/, "") }
}

export const handlers: GroupHandlers<typeof Agents.AgentsApi> = {
  list: (input, ctx) =>
    Effect.gen(function*() {
      if (input.email !== undefined && input.phone !== undefined) {
        return yield* badRequest("filter by email or by phone, not both")
      }
      let agents: ReadonlyArray<Agent> = ctx.state.agents
      if (input.email !== undefined) {
        const email = input.email
        agents = agents.filter((a) => sameEmail(a.email, email) || a.additionalEmails.some((e) => sameEmail(e, email)))
      } else if (input.phone !== undefined) {
        const phone = input.phone.replace(/\s+/g, "")
        agents = agents.filter((a) => a.phoneNumber === phone || a.additionalPhoneNumbers.includes(phone))
      }
      // Dixa answers a filter that matches nobody with 404 (the spec lists it for this operation).
      if (agents.length === 0 && (input.email !== undefined || input.phone !== undefined)) {
        return yield* notFound("no agent matches the filter")
      }
      return agents
    }),

  get: (input, ctx) => findOrFail(ctx.state, input.agentId),

  create: (input, ctx) =>
    Effect.gen(function*() {
      const result = create(ctx, input.body)
      return typeof result === "string" ? yield* badRequest(`body.email: ${result}`) : result
    }),

  createMany: (input, ctx) =>
    Effect.sync(() =>
      (input.body.data ?? []).map((item) => {
        const result = create(ctx, item)
        return typeof result === "string"
          ? failure({ _type: "Validation", id: ctx.rng.uuid(), message: `cannot create ${item.email}: ${result}` })
          : success(result)
      })
    ),

  updateMany: (input, ctx) =>
    Effect.sync(() =>
      (input.body ?? []).map((item) => {
        const agent = find(ctx.state, item.id)
        if (agent === undefined) return failure({ _type: "NotFound", id: item.id, message: "Agent not found" })
        apply(agent, item, true)
        return success(agent)
      })
    ),

  patchMany: (input, ctx) =>
    Effect.sync(() =>
      (input.body ?? []).map((item) => {
        const agent = find(ctx.state, item.id)
        if (agent === undefined) return failure({ _type: "NotFound", id: item.id, message: "Agent not found" })
        if (!hasAnyDetail(item)) return failure({ _type: "EmptyPatchSet", id: item.id, message: "nothing to change" })
        apply(agent, item, false)
        return success(agent)
      })
    ),

  update: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.agentId), (agent) => {
      apply(agent, input.body, true)
      return agent
    }),

  patch: (input, ctx) =>
    Effect.gen(function*() {
      const agent = yield* findOrFail(ctx.state, input.agentId)
      if (!hasAnyDetail(input.body)) return yield* badRequest("the patch changes nothing")
      apply(agent, input.body, false)
      return agent
    }),

  delete: (input, ctx) =>
    Effect.gen(function*() {
      const index = ctx.state.agents.findIndex((agent) => agent.id === input.agentId)
      if (index < 0) return yield* missing(input.agentId)
      // Dixa turns the agent into an end user; here it leaves the directory, its teams and presence.
      const [agent] = ctx.state.agents.splice(index, 1)
      delete ctx.state.presence[input.agentId]
      for (const team of ctx.state.teams) team.agentIds = team.agentIds.filter((id) => id !== input.agentId)
      ctx.state.endUsers.push({
        id: agent!.id,
        displayName: agent!.displayName,
        email: agent!.email,
        createdAt: agent!.createdAt
      })
    }),

  listPresence: (_, ctx) => Effect.sync(() => ctx.state.agents.map((agent) => presenceOf(ctx, agent.id))),

  getPresence: (input, ctx) => Effect.map(findOrFail(ctx.state, input.agentId), (agent) => presenceOf(ctx, agent.id)),

  listTeams: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.agentId),
      (agent) => ctx.state.teams.filter((team) => team.agentIds.includes(agent.id)).map((team) => ({ id: team.id }))
    ),

  setWorkingChannel: (input, ctx) =>
    Effect.gen(function*() {
      const agent = yield* findOrFail(ctx.state, input.agentId)
      const channel = input.body.channel
      if (!workingChannels.includes(channel)) {
        return yield* badRequest(`body.channel: expected one of ${workingChannels.join(", ")}`)
      }
      const presence = ctx.state.presence[agent.id] ??
        (ctx.state.presence[agent.id] = { userId: agent.id, connectionStatus: "Online", activeChannels: [] })
      const others = presence.activeChannels.filter((c) => c !== channel)
      presence.activeChannels = input.body.working ? [...others, channel] : others
      presence.lastSeen = iso(ctx.now).replace(/Z$/, "")
    })
}
