/**
 * Anonymization: requests to erase a conversation, a message or an end user, completed after a delay.
 * The conversation and end-user operations create them through the functions here.
 */
import { Anonymization } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import type { Context, HttpFailure } from "../internal/handler.js"
import { badRequest, conflict, type GroupHandlers, iso, notFound } from "../internal/handler.js"
import type { AnonymizationRequest, Conversation, State } from "../internal/state.js"

/** A request as Dixa sends it (without the sandbox's bookkeeping). */
export const view = ({ completesAt: _, ...request }: AnonymizationRequest) => request

const entityTypes: Record<AnonymizationRequest["_type"], string> = {
  Conversation: "ConversationAnonymizationType",
  Message: "MessageAnonymizationType",
  User: "UserAnonymizationType"
}

/** The request already made for this entity, or a new one due after the configured delay. */
const requestFor = (ctx: Context, type: AnonymizationRequest["_type"], targetEntityId: string) => {
  const existing = ctx.state.anonymizationRequests.find((r) => r._type === type && r.targetEntityId === targetEntityId)
  if (existing !== undefined) return existing
  const request: AnonymizationRequest = {
    id: ctx.rng.uuid(),
    _type: type,
    entityType: entityTypes[type],
    initiatedAt: iso(ctx.now),
    targetEntityId,
    requestedBy: ctx.state.apiUserId,
    completesAt: ctx.now + ctx.anonymizationDelayMillis
  }
  ctx.state.anonymizationRequests.push(request)
  return request
}

const isOver = (conversation: Conversation) =>
  conversation.data.state === "Closed" || conversation.data._type === "AnonymizedConversation"

const findConversation = (state: State, id: number) => {
  const conversation = state.conversations.find((c) => c.data.id === id)
  return conversation === undefined
    ? Effect.fail(notFound(`conversation ${id} does not exist`))
    : Effect.succeed(conversation)
}

/**
 * Asks to anonymize a conversation. One that is not closed needs `force` (409 otherwise); asking
 * again returns the request already made.
 */
export const conversation = (
  ctx: Context,
  conversationId: number,
  force: boolean
): Effect.Effect<AnonymizationRequest, HttpFailure> =>
  Effect.gen(function*() {
    const found = yield* findConversation(ctx.state, conversationId)
    const target = String(conversationId)
    const pending = ctx.state.anonymizationRequests.some((r) =>
      r._type === "Conversation" && r.targetEntityId === target
    )
    if (!pending && !isOver(found) && !force) {
      const state = String(found.data.state).toLowerCase()
      return yield* conflict(`conversation ${target} is ${state}: close it first, or pass force=true`)
    }
    return requestFor(ctx, "Conversation", target)
  })

/** Asks to anonymize one message of a conversation. */
export const message = (
  ctx: Context,
  conversationId: number,
  messageId: string
): Effect.Effect<AnonymizationRequest, HttpFailure> =>
  Effect.gen(function*() {
    const found = yield* findConversation(ctx.state, conversationId)
    if (!found.messages.some((m) => m.id === messageId)) {
      return yield* notFound(`message ${messageId} is not part of conversation ${conversationId}`)
    }
    return requestFor(ctx, "Message", `${conversationId}_${messageId}`)
  })

/** Asks to anonymize an end user. One with conversations that are not closed needs `force` (409 otherwise). */
export const user = (ctx: Context, userId: string, force: boolean): Effect.Effect<AnonymizationRequest, HttpFailure> =>
  Effect.gen(function*() {
    if (!ctx.state.endUsers.some((u) => u.id === userId)) return yield* notFound(`end user ${userId} does not exist`)
    const pending = ctx.state.anonymizationRequests.some((r) => r._type === "User" && r.targetEntityId === userId)
    const open = ctx.state.conversations.filter((c) => c.data.requesterId === userId && !isOver(c))
    if (!pending && open.length > 0 && !force) {
      const ids = open.map((c) => String(c.data.id)).join(", ")
      return yield* conflict(`end user ${userId} has conversations that are not closed (${ids}): pass force=true`)
    }
    return requestFor(ctx, "User", userId)
  })

/** A request by the older generic form: the kind comes from `_type` or the (deprecated) `entityType`. */
const legacyRequest = (body: Anonymization.AnonymizeEntityInput, ctx: Context) =>
  Effect.gen(function*() {
    const kind = body._type ?? body.entityType?.replace(/AnonymizationType$/, "")
    const force = body.forceAnonymization === true
    switch (kind) {
      case "Conversation": {
        const id = Number(body.entityId)
        if (!Number.isSafeInteger(id)) return yield* badRequest("body.entityId: expected a conversation id")
        return view(yield* conversation(ctx, id, force))
      }
      case "Message": {
        const [conversationId, messageId] = body.entityId.split("_")
        const id = Number(conversationId)
        if (!Number.isSafeInteger(id) || messageId === undefined) {
          return yield* badRequest("body.entityId: expected <conversationId>_<messageId>")
        }
        return view(yield* message(ctx, id, messageId))
      }
      case "User":
        return view(yield* user(ctx, body.entityId, force))
      default:
        return yield* badRequest("body._type: expected Conversation, Message or User")
    }
  })

export const handlers: GroupHandlers<typeof Anonymization.AnonymizationApi> = {
  getRequest: (input, ctx) => {
    const request = ctx.state.anonymizationRequests.find((r) => r.id === input.requestId)
    return request === undefined
      ? Effect.fail(notFound(`anonymization request ${input.requestId} does not exist`))
      : Effect.succeed(view(request))
  },

  // The spec gives this older operation only a 400, for unknown entities and open conversations too.
  request: (input, ctx) =>
    Effect.mapError(legacyRequest(input.body, ctx), (e) => e.status === 400 ? e : badRequest(e.message))
}

const anonymizeConversation = (conversation: Conversation, at: string) => {
  const d = conversation.data
  conversation.data = {
    _type: "AnonymizedConversation",
    id: d.id,
    requesterId: d.requesterId,
    channel: d.channel,
    createdAt: d.createdAt,
    ...(d.direction === undefined ? {} : { direction: d.direction }),
    // An anonymized conversation is over, whatever it was before (anonymizing an open one needs force).
    state: "Closed",
    stateUpdatedAt: at,
    anonymizedAt: at
  }
  for (const m of conversation.messages) {
    m.text = ""
    m.anonymizedAt = at
  }
}

/**
 * Completes every anonymization request that is due at `now`: the request gets its `processedAt` and
 * its entity is anonymized. Returns whether anything changed.
 */
export const settle = (state: State, now: number): boolean => {
  let changed = false
  for (const request of state.anonymizationRequests) {
    if (request.processedAt !== undefined || request.completesAt > now) continue
    changed = true
    const at = new Date(request.completesAt).toISOString()
    request.processedAt = at
    if (request._type === "User") {
      const endUser = state.endUsers.find((u) => u.id === request.targetEntityId)
      if (endUser !== undefined) {
        // Only the id and the creation time are left.
        for (const key of Object.keys(endUser)) if (key !== "id" && key !== "createdAt") delete endUser[key as "email"]
        endUser.displayName = "Anonymized user"
      }
      for (const c of state.conversations) {
        if (c.data.requesterId === request.targetEntityId) anonymizeConversation(c, at)
      }
      continue
    }
    const [conversationId, messageId] = request.targetEntityId.split("_")
    const found = state.conversations.find((c) => String(c.data.id) === conversationId)
    if (found === undefined) continue
    if (request._type === "Conversation") {
      if (found.data._type !== "AnonymizedConversation") anonymizeConversation(found, at)
      continue
    }
    const m = found.messages.find((x) => x.id === messageId)
    if (m !== undefined) {
      m.text = ""
      m.anonymizedAt = at
    }
  }
  return changed
}
