/**
 * Webhook subscriptions and their delivery log.
 */
import type { Webhooks as Api } from "@org/dixa-core"

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
  /** Which events of each type are delivered, as the caller gave them. */
  filters?: typeof Api.MapWebhookEventTypeFilters.Encoded
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
