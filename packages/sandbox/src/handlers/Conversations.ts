/**
 * Conversations: reading, closing and asking for anonymization.
 */
import { Conversations } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, handle, iso, notFound } from "../internal/handler.js"
import type { Conversation, State } from "../internal/state.js"
import * as Anonymize from "./Anonymization.js"

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

  handle(api.reopen, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const userId = input.body?.userId
      if (userId !== undefined && !ctx.state.agents.some((agent) => agent.id === userId)) {
        return yield* badRequest(`body.userId: ${userId} is not an agent of this organization`)
      }
      if (isAnonymized(conversation)) {
        return yield* badRequest(`conversation ${input.conversationId} is anonymized and cannot be reopened`)
      }
      if (conversation.data["state"] === "Open") return
      conversation.data["state"] = "Open"
      conversation.data["stateUpdatedAt"] = iso(ctx.now)
    })),

  handle(api.listTags, (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.conversationId), (conversation) =>
      (conversation.tagIds ?? []).flatMap((id) => ctx.state.tags.filter((tag) => tag.id === id)))),

  handle(api.addTag, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tag = ctx.state.tags.find((t) => t.id === input.tagId)
      if (tag === undefined) return yield* notFound(`tag ${input.tagId} does not exist`)
      if (tag.state !== "Active") return yield* badRequest(`tag ${tag.name} is inactive; only active tags can be added`)
      const tagIds = conversation.tagIds ?? (conversation.tagIds = [])
      if (!tagIds.includes(tag.id)) tagIds.push(tag.id)
    })),

  handle(api.removeTag, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      if (!ctx.state.tags.some((t) => t.id === input.tagId)) return yield* notFound(`tag ${input.tagId} does not exist`)
      conversation.tagIds = (conversation.tagIds ?? []).filter((id) => id !== input.tagId)
    })),

  handle(api.addTags, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tagIds = conversation.tagIds ?? (conversation.tagIds = [])
      for (const { name } of input.body.data ?? []) {
        const trimmed = name.trim()
        if (trimmed === "") continue
        // Tags named here that do not exist yet are created.
        let tag = ctx.state.tags.find((t) => t.name.toLowerCase() === trimmed.toLowerCase())
        if (tag === undefined) {
          tag = { id: ctx.rng.uuid(), name: trimmed, state: "Active" }
          ctx.state.tags.push(tag)
        }
        if (tag.state === "Active" && !tagIds.includes(tag.id)) tagIds.push(tag.id)
      }
    })),

  handle(api.anonymize, (input, ctx) =>
    Effect.map(Anonymize.conversation(ctx, input.conversationId, input.force === true), Anonymize.view)),

  handle(api.anonymizeMessage, (input, ctx) =>
    Effect.map(Anonymize.message(ctx, input.conversationId, input.messageId), Anonymize.view))
]
