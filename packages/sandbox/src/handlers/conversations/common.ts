/**
 * What the conversation handlers share: finding a conversation, checking agents, writing the activity
 * log, and the type of a file's handlers.
 */
import { Conversations } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { badRequest, type Context, type GroupHandlers, iso, notFound } from "../../internal/handler.js"
import type { Conversation, State } from "../../internal/state.js"
import { logActivity } from "../../internal/state/activity.js"
import { queuesOf } from "../../internal/state/queues.js"

/** The conversation operations. */
export const api = Conversations.ConversationsApi.endpoints

/** The handlers of some of the conversation operations, by name. */
export type Handlers<K extends keyof typeof api> = Pick<GroupHandlers<typeof Conversations.ConversationsApi>, K>

export const findOrFail = (state: State, id: number) => {
  const conversation = state.conversations.find((c) => c.data.id === id)
  return conversation === undefined
    ? Effect.fail(notFound(`conversation ${id} does not exist`))
    : Effect.succeed(conversation)
}

export const isAnonymized = (conversation: Conversation) => conversation.data._type === "AnonymizedConversation"

/** Whether nothing more can happen to a conversation: closed, or anonymized. */
export const isOver = (conversation: Conversation) => isAnonymized(conversation) || conversation.data.state === "Closed"

export const isAgent = (state: State, id: string) => state.agents.some((a) => a.id === id)

/** Fails with 400 when `userId` is given and is not an agent. */
export const checkAgent = (state: State, field: string, userId: string | undefined) =>
  userId !== undefined && !isAgent(state, userId)
    ? Effect.fail(badRequest(`${field}: ${userId} is not an agent of this organization`))
    : Effect.void

/** Writes a step of a conversation's history, at the time of the request. */
export const log = (
  ctx: Context,
  conversation: Conversation,
  type: string,
  authorId?: string,
  attributes?: Record<string, unknown>
) =>
  logActivity(ctx.state, ctx.rng, {
    conversationId: conversation.data.id,
    at: iso(ctx.now),
    type,
    authorId,
    ...(attributes === undefined ? {} : { attributes })
  })

export const millis = (dt: DateTime.Utc) => DateTime.toEpochMillis(dt)

/** Where new and reopened conversations wait: the default queue, else the first. */
export const defaultQueue = (state: State) => queuesOf(state).find((q) => q.isDefault) ?? queuesOf(state)[0]
