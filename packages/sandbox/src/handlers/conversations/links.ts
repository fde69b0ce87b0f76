/**
 * Links between conversations: a side conversation or a related one hangs under its parent. As the spec limits
 * them: one parent per child, a child has no children of its own, at most 100 children per parent.
 */
import * as Effect from "effect/Effect"
import { badRequest } from "../../internal/handler.js"
import type { Conversation, State } from "../../internal/state.js"
import { findOrFail, type Handlers, log } from "./common.js"

/** The link types the spec lists for linking. */
const linkTypes = ["Related", "SideConversation"]

const maxChildren = 100

const parentOf = (conversation: Conversation) => {
  const parentId = conversation.data.link?.["parentId"]
  return typeof parentId === "number" ? parentId : undefined
}

const childrenOf = (state: State, id: number) => state.conversations.filter((c) => parentOf(c) === id)

/** Why `child` cannot hang under `parent`, if it cannot. */
const linkProblem = (state: State, child: Conversation, parent: Conversation): string | undefined => {
  const [childId, parentId] = [child.data.id, parent.data.id]
  const current = parentOf(child)
  if (childId === parentId) return "body.parentId: a conversation cannot be its own parent"
  if (current !== undefined && current !== parentId) return `conversation ${childId} has a parent already: ${current}`
  if (parentOf(parent) !== undefined) return `body.parentId: ${parentId} is a child, and a child has no children`
  if (childrenOf(state, childId).length > 0) return `conversation ${childId} has children, so it cannot be a child`
  const siblings = childrenOf(state, parentId).filter((c) => c !== child)
  return siblings.length >= maxChildren ? `body.parentId: ${parentId} has ${maxChildren} children already` : undefined
}

export const handlers: Handlers<"link" | "listLinked"> = {
  link: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { linkType, parentId } = input.body
      if (!linkTypes.includes(linkType)) {
        return yield* badRequest(`body.linkType: expected one of ${linkTypes.join(", ")}`)
      }
      const parent = yield* findOrFail(ctx.state, parentId)
      const problem = linkProblem(ctx.state, conversation, parent)
      if (problem !== undefined) return yield* badRequest(problem)
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
      () => childrenOf(ctx.state, input.conversationId).map((c) => c.data)
    )
}
