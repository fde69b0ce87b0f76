/**
 * Links between conversations: a follow-up, a forwarded email or a side conversation hangs under its
 * parent, and never (directly or not) under itself.
 */
import * as Effect from "effect/Effect"
import { badRequest } from "../../internal/handler.js"
import type { Conversation, State } from "../../internal/state.js"
import { findOrFail, type Handlers, log } from "./common.js"

const linkTypes = ["EmailForward", "FollowUp", "SideConversation"]

const parentOf = (conversation: Conversation) => {
  const parentId = conversation.data.link?.["parentId"]
  return typeof parentId === "number" ? parentId : undefined
}

/** Whether `conversation` hangs, directly or not, under the conversation `ancestorId`. */
const isUnder = (state: State, conversation: Conversation | undefined, ancestorId: number): boolean => {
  let up = conversation
  while (up !== undefined) {
    const parentId = parentOf(up)
    if (parentId === ancestorId) return true
    up = parentId === undefined ? undefined : state.conversations.find((c) => c.data.id === parentId)
  }
  return false
}

export const handlers: Handlers<"link" | "listLinked"> = {
  link: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { linkType, parentId } = input.body
      if (!linkTypes.includes(linkType)) {
        return yield* badRequest(`body.linkType: expected one of ${linkTypes.join(", ")}`)
      }
      if (parentId === input.conversationId) {
        return yield* badRequest("body.parentId: a conversation cannot be its own parent")
      }
      const parent = yield* findOrFail(ctx.state, parentId)
      if (isUnder(ctx.state, parent, input.conversationId)) {
        return yield* badRequest(`body.parentId: ${parentId} is linked under ${input.conversationId} already`)
      }
      conversation.data.link = { _type: linkType, parentId }
      log(ctx, conversation, "ConversationLinked", ctx.state.apiUserId, {
        child: input.conversationId,
        parent: parentId,
        linkType
      })
    }),

  listLinked: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.conversationId),
      () => ctx.state.conversations.filter((c) => parentOf(c) === input.conversationId).map((c) => c.data)
    )
}
