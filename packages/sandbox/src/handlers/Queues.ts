/**
 * Queues: where conversations wait for an agent, who takes work from them, and whether a queue can
 * take more (for chat bots handing over).
 */
import { Queues } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, type GroupHandlers, notFound } from "../internal/handler.js"
import type { Conversation, Queue, State } from "../internal/state.js"
import { assignmentOf, queueOf } from "../internal/state/conversations.js"
import { queuesOf } from "../internal/state/queues.js"

/** At most this many agents per request to remove members (the spec's limit). */
const maxMembersPerRequest = 10

/** The generic (chat bot) channels whose availability the sandbox reports. */
const genericChannels = ["adachat", "genericapimessaging"]

const findOrFail = (state: State, id: string) => {
  const queue = queuesOf(state).find((q) => q.id === id)
  return queue === undefined ? Effect.fail(notFound(`queue ${id} does not exist`)) : Effect.succeed(queue)
}

/** A queue as Dixa sends it. */
const view = ({ callFunctionality: _, members: __, ...queue }: Queue) => queue

/** Conversations waiting in a queue for an agent (open, nobody assigned), first come first served. */
const waitingIn = (state: State, queueId: string): Array<Conversation> =>
  state.conversations
    .filter((c) => {
      return queueOf(c.data)?.id === queueId && c.data.state === "Open" && assignmentOf(c.data) === undefined
    })
    .sort((a, b) => queuedAt(a).localeCompare(queuedAt(b)) || a.data.id - b.data.id)

const queuedAt = (c: Conversation) => queueOf(c.data)?.queuedAt ?? c.data.createdAt

const checkCount = (ids: ReadonlyArray<string>) =>
  ids.length > maxMembersPerRequest
    ? Effect.fail(badRequest(`body.agentIds: at most ${maxMembersPerRequest} agents per request`))
    : Effect.void

type QueueRequest = Queues.CreateQueueInput["request"]

const optional = <K extends string, V>(key: K, value: V | undefined) =>
  value === undefined ? {} : ({ [key]: value } as { [P in K]: V })

/** A new queue from a request, with no members yet. */
const newQueue = (ctx: Context, name: string, request: QueueRequest): Queue => ({
  id: ctx.rng.uuid(),
  name,
  isDefault: request.isDefault,
  organizationId: ctx.state.organization.id,
  queueThresholds: { ...request.queueThresholds },
  slaCalculationMethod: "AbandonedIgnored",
  ...optional("offerTimeout", request.offerTimeout),
  ...optional("offeringAlgorithm", request.offerAlgorithm),
  memberListType: "SkillBased",
  ...optional("wrapupTimeout", request.wrapupTimeout),
  ...optional("priority", request.priority),
  ...optional("offerAbandonedConversations", request.offerAbandonedConversations),
  doNotOfferTimeouts: { ...request.doNotOfferTimeouts },
  isDoNotOfferEnabled: request.isDoNotOfferEnabled,
  ...optional("isPreferredAgentEnabled", request.isPreferredAgentEnabled),
  ...optional("preferredAgentTimeouts", request.preferredAgentTimeouts && { ...request.preferredAgentTimeouts }),
  ...optional("preferredAgentOfflineTimeout", request.preferredAgentOfflineTimeout),
  ...optional("personalAgentOfflineTimeout", request.personalAgentOfflineTimeout),
  ...optional("isRestricted", request.isRestricted),
  callFunctionality: request.callFunctionality,
  members: []
})

export const handlers: GroupHandlers<typeof Queues.QueuesApi> = {
  list: (_, ctx) => Effect.sync(() => queuesOf(ctx.state).map(view)),

  create: (input, ctx) =>
    Effect.sync(() => {
      const request = input.body.request
      const queues = queuesOf(ctx.state)
      const queue = newQueue(ctx, request.name.trim(), request)
      // There is one default queue: a new default takes over.
      if (queue.isDefault) { for (const q of queues) q.isDefault = false }
      queues.push(queue)
      return view(queue)
    }),

  get: (input, ctx) => Effect.map(findOrFail(ctx.state, input.queueId), view),

  listMembers: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.queueId),
      (queue) => queue.members.filter((m) => ctx.state.agents.some((a) => a.id === m.agentId))
    ),

  addMembers: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.queueId), (queue) =>
      // Each agent succeeds or fails on its own; adding a member again changes nothing.
      (input.body.agentIds ?? []).map((agentId) => {
        if (!ctx.state.agents.some((a) => a.id === agentId)) {
          return {
            _type: "BulkActionFailure",
            error: { _type: "NotFound", id: agentId, message: "no agent or admin with this id" }
          }
        }
        if (!queue.members.some((m) => m.agentId === agentId)) {
          const lowest = Math.max(0, ...queue.members.map((m) => m.priority ?? 0))
          queue.members.push({ agentId, priority: lowest + 1 })
        }
        return { _type: "BulkActionSuccess", data: agentId }
      })),

  removeMembers: (input, ctx) =>
    Effect.gen(function*() {
      const queue = yield* findOrFail(ctx.state, input.queueId)
      const ids = input.body.agentIds ?? []
      yield* checkCount(ids)
      const gone = new Set<string>(ids)
      queue.members = queue.members.filter((m) => !gone.has(m.agentId))
    }),

  getAvailability: (input, ctx) =>
    Effect.gen(function*() {
      // The spec answers 400 (not 404) for a queue that does not exist.
      const queue = queuesOf(ctx.state).find((q) => q.id === input.queueId)
      if (queue === undefined) return yield* badRequest(`queue ${input.queueId} does not exist`)
      // Available while a member is online and working.
      const staffed = queue.members.some((m) => {
        const presence = ctx.state.presence[m.agentId]
        return presence?.connectionStatus === "Online" && presence.presenceStatus === "Working"
      })
      const queueSize = waitingIn(ctx.state, queue.id).length
      return genericChannels.map((genericChannelName) => ({
        _type: "Success",
        channelAvailability: {
          _type: "GenericChannel",
          genericChannelName,
          availability: staffed ? "Available" : "NotAvailable",
          queueSize
        }
      }))
    }),

  getConversationPosition: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = ctx.state.conversations.find((c) => c.data.id === input.csid)
      if (conversation === undefined) return yield* notFound(`conversation ${input.csid} does not exist`)
      const queueId = queueOf(conversation.data)?.id
      const waiting = queueId === undefined ? [] : waitingIn(ctx.state, queueId)
      const at = waiting.indexOf(conversation)
      if (at < 0) return yield* notFound(`conversation ${input.csid} is not waiting in a queue`)
      return { position: at + 1, queuedAt: queuedAt(conversation) }
    })
}
