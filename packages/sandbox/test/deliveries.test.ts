import { describe, expect, it } from "@effect/vitest"
import { Conversations, Tags } from "@org/dixa-core"
import * as Deliveries from "../src/internal/deliveries.js"
import * as Prng from "../src/internal/prng.js"
import * as State from "../src/internal/state.js"

const subscription = (overrides: Partial<State.WebhookSubscription>): State.WebhookSubscription => ({
  id: "sub",
  name: "test",
  events: ["ConversationClosed"],
  url: "http://127.0.0.1:1/hook",
  authorization: { _type: "NoAuth" },
  customHeaders: {},
  secretKey: "00ff",
  enabled: true,
  createdAt: "2024-01-01T00:00:00Z",
  createdBy: "x",
  updatedAt: "2024-01-01T00:00:00Z",
  updatedBy: "x",
  ...overrides
})

const closeOf = (state: State.State, csid: number) =>
  Deliveries.collect(
    Conversations.ConversationsApi.endpoints.close,
    { conversationId: csid },
    undefined,
    state,
    Date.parse("2024-02-01T00:00:00Z"),
    Prng.fromCell({ rng: 1 })
  )

describe("webhook deliveries", () => {
  it("go to enabled subscriptions of the event whose filters let the conversation through", () => {
    const state = State.seed(1, 0)
    const chat = state.conversations.find((c) => c.data["channel"] === "WidgetChat")!
    const csid = chat.data["id"] as number
    const conversationFilter = (_type: string, values: Array<string>, strategy = "All") => ({
      Conversation: { _type: "CombinedFilters", strategy, conditions: [{ _type, field: "InitialChannel", values }] }
    })
    state.webhooks!.subscriptions = [
      subscription({ id: "plain" }),
      subscription({ id: "disabled", enabled: false }),
      subscription({ id: "other-event", events: ["ConversationCreated"] }),
      subscription({ id: "chat-only", filters: conversationFilter("IsOneOf", ["widget_chat"]) }),
      subscription({ id: "email-only", filters: conversationFilter("IsOneOf", ["email"]) }),
      subscription({ id: "not-chat", filters: conversationFilter("IsNotOneOf", ["WIDGET_CHAT"]) }),
      subscription({ id: "basic", authorization: { _type: "BasicAuth", username: "u", password: "p" } })
    ]
    const pending = closeOf(state, csid)
    expect(pending.map((p) => p.subscriptionId)).toEqual(["plain", "chat-only", "basic"])
    expect(pending[2]!.headers).toEqual({ Authorization: `Basic ${Buffer.from("u:p").toString("base64")}` })
    const payload = JSON.parse(pending[0]!.payload)
    expect(payload.event_fqn).toBe("CONVERSATION_CLOSED")
    expect(payload.data.conversation.id).toBe(csid)
    expect(payload.organization.id).toBe(state.organization.id)
  })

  it("none for operations that raise no event, or for a conversation that does not exist", () => {
    const state = State.seed(1, 0)
    state.webhooks!.subscriptions = [subscription({ events: ["ConversationClosed", "ConversationCreated"] })]
    expect(closeOf(state, 999_999)).toEqual([])
    const none = Deliveries.collect(Tags.TagsApi.endpoints.create, {}, { id: "x" }, state, 0, Prng.fromCell({ rng: 1 }))
    expect(none).toEqual([])
  })

  it("the log keeps the newest attempts per subscription and event", () => {
    const state = State.seed(1, 0)
    const attempt = (n: number) => ({
      subscriptionId: "s",
      event: "ConversationClosed",
      deliveryTimestamp: new Date(n).toISOString(),
      success: true,
      responseCode: 200,
      responseText: String(n),
      payload: "{}"
    })
    for (let n = 0; n < Deliveries.logLimit + 5; n++) Deliveries.record(state, attempt(n))
    const kept = state.webhooks!.deliveries.filter((d) => d.subscriptionId === "s")
    expect(kept).toHaveLength(Deliveries.logLimit)
    expect(kept[0]!.responseText).toBe("5")
    // The seeded subscription's log is untouched.
    expect(state.webhooks!.deliveries.length).toBe(Deliveries.logLimit + 4)
  })
})
