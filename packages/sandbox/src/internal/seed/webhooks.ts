/**
 * The demo webhook subscription and its delivery log. Ids come from a stream of their own.
 */
import * as Prng from "../prng.js"
import type { WebhookDelivery, Webhooks, WebhookSubscription } from "../state.js"
import { at } from "./time.js"

/**
 * One subscription with a delivery history (disabled, so that nothing is sent to its made-up URL).
 */
export const seedWebhooks = (seedValue: number, authorId: string): Webhooks => {
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 31) })
  let secretKey = ""
  for (let i = 0; i < 32; i++) secretKey += rng.int(256).toString(16).padStart(2, "0")
  const subscription: WebhookSubscription = {
    id: rng.uuid(),
    name: "Dashboard Integration",
    events: ["ConversationCreated", "ConversationClosed"],
    url: "https://hooks.sandbox.example/dashboard",
    authorization: { _type: "TokenAuth", value: "Bearer sandbox-dashboard-token" },
    customHeaders: { "X-Source": "dixa-sandbox" },
    secretKey,
    enabled: false,
    createdAt: at(5),
    createdBy: authorId,
    updatedAt: at(5),
    updatedBy: authorId
  }
  const delivery = (event: string, minutes: number, conversationId: number, code: number): WebhookDelivery => ({
    subscriptionId: subscription.id,
    event,
    deliveryTimestamp: at(minutes),
    success: code < 300,
    responseCode: code,
    responseText: code < 300 ? "OK" : "Service Unavailable",
    payload: JSON.stringify({
      event_fqn: event.replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase(),
      event_version: "1",
      event_timestamp: at(minutes),
      data: { conversation: { id: conversationId } }
    })
  })
  return {
    subscriptions: [subscription],
    deliveries: [
      delivery("ConversationCreated", 60, 1001, 200),
      delivery("ConversationCreated", 120, 1002, 503),
      delivery("ConversationCreated", 121, 1002, 200),
      delivery("ConversationClosed", 300, 1002, 200)
    ]
  }
}
