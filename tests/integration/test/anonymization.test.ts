import { expect, it } from "@effect/vitest"
import { Anonymization, Conversations, EndUsers, type Model } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { describeTargets, start } from "./support.js"

describeTargets("anonymization", (target) => {
  it.scopedLive("a conversation's erasure request is readable and completes; the deprecated generic request works", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const anonymization = env.bind(Anonymization.AnonymizationApi)
      const conversations = env.bind(Conversations.ConversationsApi)
      const request = yield* conversations.anonymize({ conversationId: 1001 as Model.ConversationId, force: true })
      const done = yield* anonymization.getRequest({ requestId: request.id }).pipe(
        Effect.filterOrFail((r) => r.processedAt !== undefined, () => "pending" as const),
        Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 50, while: (e) => e === "pending" })
      )
      expect(done.processedAt).toBeDefined()
      expect((yield* conversations.get({ conversationId: 1001 as Model.ConversationId }))._type).toBe(
        "AnonymizedConversation"
      )

      const endUser = (yield* env.bind(EndUsers.EndUsersApi).list()).data[0]!
      const generic = yield* anonymization.request({
        body: { entityId: endUser.id, _type: "User", forceAnonymization: true }
      })
      expect(generic.targetEntityId).toBe(endUser.id)
      const missing = yield* Effect.flip(
        anonymization.getRequest({ requestId: "00000000-0000-4000-8000-000000000000" as Model.AnonymizationRequestId })
      )
      expect(missing._tag).toBe("NotFound")
    }))
})
