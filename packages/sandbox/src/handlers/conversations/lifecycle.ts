/**
 * A conversation's life: reading it, closing and reopening it, an agent claiming it, snoozing it until
 * a follow-up time (and waking it then), moving it to another queue, and anonymizing it or one message.
 */
import * as Effect from "effect/Effect"
import { badRequest, conflict, iso } from "../../internal/handler.js"
import * as Prng from "../../internal/prng.js"
import type { State } from "../../internal/state.js"
import { activityUser, logActivity } from "../../internal/state/activity.js"
import { extrasOf } from "../../internal/state/conversations.js"
import { queuesOf } from "../../internal/state/queues.js"
import * as Anonymize from "../Anonymization.js"
import { checkAgent, defaultQueue, findOrFail, type Handlers, isAnonymized, isOver, log, millis } from "./common.js"

/**
 * Wakes the conversations whose follow-up time has come: they are open again, as of that time. Runs
 * before every request; returns whether anything changed.
 */
export const settle = (state: State, now: number): boolean => {
  let changed = false
  for (const conversation of state.conversations) {
    const until = conversation.extras?.followUpAt
    if (until === undefined || Date.parse(until) > now) continue
    changed = true
    delete conversation.extras!.followUpAt
    if (conversation.data.state !== "Pending") continue
    conversation.data.state = "Open"
    conversation.data.stateUpdatedAt = until
    logActivity(state, Prng.fromCell(state), {
      conversationId: conversation.data.id,
      at: until,
      type: "FollowupExpired"
    })
  }
  return changed
}

export const handlers: Handlers<
  "get" | "close" | "reopen" | "claim" | "followUp" | "transferToQueue" | "anonymize" | "anonymizeMessage"
> = {
  get: (input, ctx) => Effect.map(findOrFail(ctx.state, input.conversationId), (c) => c.data),

  close: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const userId = input.body?.userId
      yield* checkAgent(ctx.state, "body.userId", userId)
      // Closing a closed (or anonymized) conversation changes nothing, as a PUT should.
      if (isOver(conversation)) return
      conversation.data.state = "Closed"
      conversation.data.stateUpdatedAt = iso(ctx.now)
      delete extrasOf(conversation).followUpAt
      log(ctx, conversation, "ConversationClosed", userId ?? ctx.state.apiUserId)
    }),

  reopen: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const userId = input.body?.userId
      yield* checkAgent(ctx.state, "body.userId", userId)
      const data = conversation.data
      // An anonymized conversation stays as it is: nothing of it is left to reopen.
      if (data._type === "AnonymizedConversation" || data.state === "Open") return
      data.state = "Open"
      data.stateUpdatedAt = iso(ctx.now)
      // Offered again in its queue, or the default queue when it had none.
      const queue = data.queue === undefined ? defaultQueue(ctx.state) : undefined
      if (queue !== undefined) data.queue = { id: queue.id, queuedAt: iso(ctx.now) }
      log(ctx, conversation, "ConversationReopened", userId ?? ctx.state.apiUserId)
    }),

  claim: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { agentId, force } = input.body
      yield* checkAgent(ctx.state, "body.agentId", agentId)
      const data = conversation.data
      if (data._type === "AnonymizedConversation") return
      const current = data.assignment
      if (current?.agentId === agentId) return
      // The spec: `force: false` keeps an assigned conversation from being taken over; by default it is.
      if (current !== undefined && force === false) {
        return yield* conflict(`conversation ${input.conversationId} is assigned to ${current.agentId}`)
      }
      data.assignment = { agentId, assignedAt: iso(ctx.now) }
      const claimedFrom = current === undefined ? {} : {
        claimedFromLabel: activityUser(ctx.state, current.agentId).name ?? current.agentId,
        claimedFromType: "Agent"
      }
      log(ctx, conversation, "ConversationClaimed", agentId, claimedFrom)
    }),

  followUp: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { timestamp, userId } = input.body
      yield* checkAgent(ctx.state, "body.userId", userId)
      if (isAnonymized(conversation)) return
      // A time already past wakes the conversation on the next request, as of then.
      const until = Math.max(millis(timestamp), ctx.now)
      conversation.data.state = "Pending"
      conversation.data.stateUpdatedAt = iso(ctx.now)
      extrasOf(conversation).followUpAt = iso(until)
      log(ctx, conversation, "FollowupAdded", userId ?? ctx.state.apiUserId)
    }),

  transferToQueue: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { queueId, userId } = input.body
      yield* checkAgent(ctx.state, "body.userId", userId)
      const queue = queuesOf(ctx.state).find((q) => q.id === queueId)
      // The spec's 400 "Queue does not exist".
      if (queue === undefined) return yield* badRequest(`body.queueId: queue ${queueId} does not exist`)
      const data = conversation.data
      if (data._type === "AnonymizedConversation") return
      // The conversation waits in its new queue, offered to nobody yet.
      data.queue = { id: queue.id, queuedAt: iso(ctx.now) }
      delete data.assignment
      log(ctx, conversation, "TransferSuccessful", userId ?? ctx.state.apiUserId, {
        transferType: "Queue",
        destinationType: "Queue",
        destinationId: queue.id,
        destinationLabel: queue.name
      })
    }),

  anonymize: (input, ctx) =>
    Effect.map(Anonymize.conversation(ctx, input.conversationId, input.force === true), Anonymize.view),

  anonymizeMessage: (input, ctx) =>
    Effect.map(Anonymize.message(ctx, input.conversationId, input.messageId), Anonymize.view)
}
