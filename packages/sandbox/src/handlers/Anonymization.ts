/**
 * Anonymization requests: created by the conversation operations, completed after a delay.
 */
import { Anonymization } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import type { Context } from "../internal/handler.js"
import { handle, iso, notFound } from "../internal/handler.js"
import type { AnonymizationRequest, State } from "../internal/state.js"

const api = Anonymization.AnonymizationApi.endpoints

/** A request as Dixa sends it (without the sandbox's bookkeeping). */
export const view = ({ completesAt: _, ...request }: AnonymizationRequest) => request

/** Records a new request, due after the configured delay. */
export const requestFor = (ctx: Context, type: AnonymizationRequest["_type"], targetEntityId: string) => {
  const request: AnonymizationRequest = {
    id: ctx.rng.uuid(),
    _type: type,
    entityType: type === "Conversation" ? "ConversationAnonymizationType" : "MessageAnonymizationType",
    initiatedAt: iso(ctx.now),
    targetEntityId,
    requestedBy: ctx.state.apiUserId,
    completesAt: ctx.now + ctx.anonymizationDelayMillis
  }
  ctx.state.anonymizationRequests.push(request)
  return request
}

export const handlers = [
  handle(api.getRequest, (input, ctx) => {
    const request = ctx.state.anonymizationRequests.find((r) => r.id === input.requestId)
    return request === undefined
      ? Effect.fail(notFound(`anonymization request ${input.requestId} does not exist`))
      : Effect.succeed(view(request))
  })
]

/**
 * Completes every anonymization request that is due at `now`: the request gets its `processedAt`
 * and its conversation or message is anonymized. Returns whether anything changed.
 */
export const settle = (state: State, now: number): boolean => {
  let changed = false
  for (const request of state.anonymizationRequests) {
    if (request.processedAt !== undefined || request.completesAt > now) continue
    changed = true
    const processedAt = new Date(request.completesAt).toISOString()
    request.processedAt = processedAt
    const [conversationId, messageId] = request.targetEntityId.split("_")
    const conversation = state.conversations.find((c) => String(c.data["id"]) === conversationId)
    if (conversation === undefined) continue
    if (request._type === "Message") {
      const message = conversation.messages.find((m) => m.id === messageId)
      if (message !== undefined) {
        message.text = ""
        message.anonymizedAt = processedAt
      }
    } else {
      const d = conversation.data
      conversation.data = {
        _type: "AnonymizedConversation",
        id: d["id"],
        requesterId: d["requesterId"],
        channel: d["channel"],
        createdAt: d["createdAt"],
        ...(d["direction"] === undefined ? {} : { direction: d["direction"] }),
        // An anonymized conversation is over, whatever it was before (anonymizing an open one needs force).
        state: "Closed",
        stateUpdatedAt: processedAt,
        anonymizedAt: processedAt
      }
      for (const message of conversation.messages) {
        message.text = ""
        message.anonymizedAt = processedAt
      }
    }
  }
  return changed
}
