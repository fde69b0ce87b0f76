/**
 * The tags on a conversation: listing them, adding or removing one, and adding several by name (tags
 * named that do not exist yet are created).
 */
import * as Effect from "effect/Effect"
import { badRequest, type Context, notFound } from "../../internal/handler.js"
import type { Conversation } from "../../internal/state.js"
import { findOrFail, type Handlers, log } from "./common.js"

const tagIdsOf = (conversation: Conversation) => conversation.tagIds ?? (conversation.tagIds = [])

/** The tag with this name (in any case), created when there is none. */
const tagNamed = (ctx: Context, name: string) => {
  const found = ctx.state.tags.find((t) => t.name.toLowerCase() === name.toLowerCase())
  if (found !== undefined) return found
  const tag = { id: ctx.rng.uuid(), name, state: "Active" as const }
  ctx.state.tags.push(tag)
  return tag
}

export const handlers: Handlers<"listTags" | "addTag" | "removeTag" | "addTags"> = {
  listTags: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.conversationId),
      (conversation) => (conversation.tagIds ?? []).flatMap((id) => ctx.state.tags.filter((tag) => tag.id === id))
    ),

  addTag: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tag = ctx.state.tags.find((t) => t.id === input.tagId)
      if (tag === undefined) return yield* notFound(`tag ${input.tagId} does not exist`)
      if (tag.state !== "Active") return yield* badRequest(`tag ${tag.name} is inactive; only active tags can be added`)
      const tagIds = tagIdsOf(conversation)
      if (tagIds.includes(tag.id)) return
      tagIds.push(tag.id)
      log(ctx, conversation, "TagAdded", ctx.state.apiUserId, { tag: tag.name })
    }),

  removeTag: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tag = ctx.state.tags.find((t) => t.id === input.tagId)
      if (tag === undefined) return yield* notFound(`tag ${input.tagId} does not exist`)
      if (!(conversation.tagIds ?? []).includes(tag.id)) return
      conversation.tagIds = (conversation.tagIds ?? []).filter((id) => id !== input.tagId)
      log(ctx, conversation, "TagRemoved", ctx.state.apiUserId, { tag: tag.name })
    }),

  addTags: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.conversationId), (conversation) => {
      const tagIds = tagIdsOf(conversation)
      for (const { name } of input.body.data ?? []) {
        const trimmed = name.trim()
        if (trimmed === "") continue
        const tag = tagNamed(ctx, trimmed)
        if (tag.state === "Active" && !tagIds.includes(tag.id)) {
          tagIds.push(tag.id)
          log(ctx, conversation, "TagAdded", ctx.state.apiUserId, { tag: tag.name })
        }
      }
    })
}
