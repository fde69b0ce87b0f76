/**
 * A conversation's custom attribute values: patched with the same checks as an end user's, and kept on
 * the conversation rendered, as Dixa sends them.
 */
import * as Effect from "effect/Effect"
import * as Attributes from "../CustomAttributes.js"
import { findOrFail, type Handlers, log } from "./common.js"

export const handlers: Handlers<"patchCustomAttributes"> = {
  patchCustomAttributes: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const entries = Object.entries(input.body)
      const current: Attributes.Values = Object.fromEntries(
        (conversation.data.customAttributes ?? []).map((
          a
        ) => [a.id, typeof a.value === "string" ? a.value : [...a.value]])
      )
      const values = yield* Attributes.applyPatch(ctx.state, "Conversation", current, input.body)
      const next = Attributes.render(ctx.state, values)
      if (next.length > 0) conversation.data.customAttributes = next
      else delete conversation.data.customAttributes
      if (entries.length === 0) return next
      log(ctx, conversation, "ConversationCustomAttributesUpdated", ctx.state.apiUserId, {
        updatedAttributeIds: entries.map(([id]) => id),
        updatedAttributeValues: Object.fromEntries(entries)
      })
      return next
    })
}
