import { expect, it } from "@effect/vitest"
import { Conversations, Model, Search, Tags } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describeTargets, start } from "./support.js"

/** The sandbox's rate limit is off: this suite is about what the operations do (see conversations.test.ts). */
const options = { rateLimit: false } as const

describeTargets("search", (target) => {
  it.scopedLive("by text, by filters, both, paginated, and the deprecated text search", () =>
    Effect.gen(function*() {
      const env = yield* start(target, options)
      const search = env.bind(Search.SearchApi)

      // Every word somewhere in the conversation, highlighted where it is.
      const invoice = yield* search.conversations({ body: { query: { value: "invoice wrong" } } })
      expect(invoice.data.map((h) => h.id)).toEqual([1001])
      expect(invoice.data[0]!.highlights["text"]).toEqual([
        "Hi, my <em class=\"highlight\">invoice</em> looks <em class=\"highlight\">wrong</em>."
      ])
      // An exact phrase must appear as written.
      const exact = yield* search.conversations({ body: { query: { value: "wrong invoice", exactMatch: true } } })
      expect(exact.data).toEqual([])
      const subject = yield* search.conversations({ body: { query: { value: "password" } } })
      expect(subject.data.map((h) => h.id)).toEqual([1002])
      expect(subject.data[0]!.highlights["subject"]).toEqual(["<em class=\"highlight\">Password</em> reset"])

      // Filters: closed conversations, or open ones carrying the billing tag.
      const closed = yield* search.conversations({
        body: {
          filters: {
            strategy: "All",
            conditions: [{ field: { _type: "Status", operator: { _type: "IsOneOf", values: ["Closed"] } } }]
          }
        }
      })
      expect(closed.data.map((h) => h.id)).toEqual([1004, 1002])
      const billing = (yield* env.bind(Tags.TagsApi).list()).find((t) => t.name === "billing")!
      const tagged = yield* search.conversations({
        body: {
          filters: {
            strategy: "All",
            conditions: [
              { field: { _type: "TagId", operator: { _type: "IncludesOne", values: [billing.id] } } },
              { field: { _type: "Channel", operator: { _type: "IsOneOf", values: ["WidgetChat"] } } }
            ]
          }
        }
      })
      expect(tagged.data.map((h) => h.id)).toEqual([1001])
      const either = yield* search.conversations({
        body: {
          filters: {
            strategy: "Any",
            conditions: [
              { field: { _type: "TagId", operator: { _type: "IncludesOne", values: [billing.id] } } },
              { field: { _type: "Channel", operator: { _type: "IsOneOf", values: ["Email"] } } }
            ]
          }
        }
      })
      expect(either.data.map((h) => h.id)).toEqual([1003, 1002, 1001])
      const since = yield* search.conversations({
        body: {
          query: { value: "order" },
          filters: {
            strategy: "All",
            conditions: [{
              field: {
                _type: "CreationDate",
                operator: { _type: "Since", timestamp: DateTime.unsafeMake("2024-01-15T15:00:00Z") }
              }
            }]
          }
        }
      })
      expect(since.data.map((h) => h.id)).toEqual([1003])

      // A new conversation is found at once; pages of one walk every hit.
      const conversations = env.bind(Conversations.ConversationsApi)
      yield* conversations.addMessage({
        conversationId: 1004 as Model.ConversationId,
        body: { _type: "Inbound", content: { _type: "Text", value: "Actually my order is late again" } }
      })
      const pages = yield* Stream.runCollect(
        search.conversationsAll({ pageLimit: 1, body: { query: { value: "order" } } })
      )
      expect(Array.from(pages).map((h) => h.id)).toEqual([1004, 1003])
      const all = yield* search.conversations({})
      expect(all.data.map((h) => h.id)).toEqual([1004, 1003, 1002, 1001])

      const legacy = yield* search.conversationsByText({ query: "order" })
      expect(legacy.data.map((h) => h.id)).toEqual([1004, 1003])
      expect(legacy.data[0]!.innerHits?.map((h) => h.highlight["text"])).toEqual([
        "Actually my <em class=\"highlight\">order</em> is late again"
      ])

      const badStrategy = yield* Effect.flip(search.conversations({ body: { filters: { strategy: "Most" } } }))
      expect(badStrategy._tag).toBe("BadRequest")
      // A query of blanks looks for nothing in particular.
      const blank = yield* search.conversations({ body: { query: { value: "  " } } })
      expect(blank.data.map((h) => h.id)).toEqual([1004, 1003, 1002, 1001])
    }))
})
