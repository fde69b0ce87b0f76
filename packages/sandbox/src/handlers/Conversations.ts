/**
 * Conversations: reading, closing and asking for anonymization.
 */
import { Conversations } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, conflict, handle, iso, notFound } from "../internal/handler.js"
import type { Conversation, State } from "../internal/state.js"
import { requestFor, view } from "./Anonymization.js"

const api = Conversations.ConversationsApi.endpoints

const findOrFail = (state: State, id: number) => {
  const conversation = state.conversations.find((c) => c.data["id"] === id)
  return conversation === undefined
    ? Effect.fail(notFound(`conversation ${id} does not exist`))
    : Effect.succeed(conversation)
}

const isAnonymized = (conversation: Conversation) => conversation.data["_type"] === "AnonymizedConversation"

export const handlers = [
  handle(api.get, (input, ctx) => Effect.map(findOrFail(ctx.state, input.conversationId), (c) => c.data)),

  handle(api.close, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const userId = input.body?.userId
      if (userId !== undefined && !ctx.state.agents.some((agent) => agent.id === userId)) {
        return yield* badRequest(`body.userId: ${userId} is not an agent of this organization`)
      }
      // Closing a closed (or anonymized) conversation changes nothing, as a PUT should.
      if (conversation.data["state"] === "Closed" || isAnonymized(conversation)) return
      conversation.data["state"] = "Closed"
      conversation.data["stateUpdatedAt"] = iso(ctx.now)
    })),

  handle(api.anonymize, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const target = String(input.conversationId)
      const existing = ctx.state.anonymizationRequests.find((r) => r._type === "Conversation" && r.targetEntityId === target)
      if (existing !== undefined) return view(existing)
      if (isAnonymized(conversation)) return yield* conflict(`conversation ${target} is already anonymized`)
      if (conversation.data["state"] !== "Closed" && input.force !== true) {
        return yield* conflict(
          `conversation ${target} is ${String(conversation.data["state"]).toLowerCase()}: close it first, or pass force=true`
        )
      }
      return view(requestFor(ctx, "Conversation", target))
    })),

  handle(api.anonymizeMessage, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      if (!conversation.messages.some((m) => m.id === input.messageId)) {
        return yield* notFound(`message ${input.messageId} is not part of conversation ${input.conversationId}`)
      }
      const target = `${input.conversationId}_${input.messageId}`
      const existing = ctx.state.anonymizationRequests.find((r) => r._type === "Message" && r.targetEntityId === target)
      if (existing !== undefined) return view(existing)
      return view(requestFor(ctx, "Message", target))
    }))
]
