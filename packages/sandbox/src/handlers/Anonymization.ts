/**
 * Anonymization requests: created by the conversation operations, completed after a delay.
 */
import type { State } from "../internal/state.js"

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
        state: d["state"],
        ...(d["stateUpdatedAt"] === undefined ? {} : { stateUpdatedAt: d["stateUpdatedAt"] }),
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
