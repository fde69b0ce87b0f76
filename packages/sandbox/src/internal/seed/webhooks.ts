/**
 * Webhook subscriptions and their delivery log, and their seed. Ids come from a stream of their own.
 */
import * as Prng from "../prng.js"

export type WebhookAuthorization =
  | { _type: "NoAuth" }
  | { _type: "BasicAuth"; username: string; password: string }
  | { _type: "TokenAuth"; value: string }

export interface WebhookSubscription {
  id: string
  name: string
  events: Array<string>
  url: string
  authorization: WebhookAuthorization
  customHeaders: Record<string, string>
  /** 64 hex digits; deliveries are signed with its bytes. */
  secretKey: string
  enabled: boolean
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
  filters?: Record<string, unknown>
}

/** One delivery attempt of one event to one subscription. */
export interface WebhookDelivery {
  subscriptionId: string
  event: string
  deliveryTimestamp: string
  success: boolean
  responseCode: number
  responseText: string
  /** The JSON body that was sent. */
  payload: string
}

export interface Webhooks {
  subscriptions: Array<WebhookSubscription>
  deliveries: Array<WebhookDelivery>
}

const base = Date.parse("2024-01-15T09:00:00Z")
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString()

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
