/**
 * Webhook deliveries: after an operation changes a conversation, every enabled subscription to the
 * matching event gets a signed POST, and the outcome goes into the subscription's delivery log.
 *
 * Events are derived from the operation that succeeded (closing a conversation is
 * `ConversationClosed`, ...), so conversation handlers need to know nothing about webhooks.
 */
import type { Endpoint } from "@org/dixa-core"
import { WebhookSignature } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import type * as Prng from "./prng.js"
import { seedWebhooks } from "./seed/webhooks.js"
import type { State, WebhookDelivery, Webhooks, WebhookSubscription } from "./state.js"

/** The event an operation raises, by operation id. */
const eventByOperation: Readonly<Record<string, string>> = {
  "conversations.create": "ConversationCreated",
  "conversations.import": "ConversationCreated",
  "conversations.close": "ConversationClosed",
  "conversations.reopen": "ConversationOpen",
  "conversations.claim": "ConversationAssigned",
  "conversations.followUp": "ConversationPending",
  "conversations.transferToQueue": "ConversationTransferred",
  "conversations.addMessage": "ConversationMessageAdded",
  "conversations.addNote": "ConversationNoteAdded",
  "conversations.addNotes": "ConversationNoteAdded",
  "conversations.addTag": "ConversationTagAdded",
  "conversations.addTags": "ConversationTagAdded",
  "conversations.removeTag": "ConversationTagRemoved",
  "conversations.submitRating": "ConversationRated",
  "conversations.patchCustomAttributes": "ConversationCustomAttributeUpdated"
}

/** How many attempts are kept per subscription and event. */
export const logLimit = 50

/** How long a receiver has to answer a delivery. */
const deliveryTimeoutMillis = 5_000

/** The webhook state; a state file written before it existed gets the seeded one. */
export const webhooksOf = (state: State): Webhooks => state.webhooks ??= seedWebhooks(state.seed, state.apiUserId)

/** The headers a delivery carries besides the signature: the custom ones and the authorization. */
export const deliveryHeaders = (subscription: WebhookSubscription): Record<string, string> => {
  const headers: Record<string, string> = { ...subscription.customHeaders }
  const auth = subscription.authorization
  if (auth._type === "BasicAuth") {
    headers["Authorization"] = `Basic ${Buffer.from(`${auth.username}:${auth.password}`, "utf8").toString("base64")}`
  } else if (auth._type === "TokenAuth") {
    headers["Authorization"] = auth.value
  }
  return headers
}

/** Adds an attempt to the log, keeping the newest {@link logLimit} per subscription and event. */
export const record = (state: State, delivery: WebhookDelivery): void => {
  const webhooks = webhooksOf(state)
  webhooks.deliveries.push(delivery)
  const same = webhooks.deliveries.filter((d) =>
    d.subscriptionId === delivery.subscriptionId && d.event === delivery.event
  )
  if (same.length > logLimit) {
    const dropped = new Set(same.slice(0, same.length - logLimit))
    webhooks.deliveries = webhooks.deliveries.filter((d) => !dropped.has(d))
  }
}

/** A delivery decided under the state lock, to be sent after it. */
export interface Pending {
  readonly subscriptionId: string
  readonly url: string
  readonly headers: Record<string, string>
  readonly secretKey: string
  readonly event: string
  readonly payload: string
}

const snake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase()

/** The value a filter condition compares, for a conversation. */
const fieldValue = (field: string, conversation: Record<string, unknown>, origin: string): string | undefined => {
  switch (field) {
    case "InitialChannel":
      return typeof conversation["channel"] === "string" ? snake(conversation["channel"]) : undefined
    case "QueueId":
      return (conversation["queue"] as { id?: string } | undefined)?.id
    case "OperationOrigin":
      return origin
    default:
      return undefined
  }
}

/** Whether a subscription's filters let a conversation event through; unknown fields do not filter. */
const passes = (subscription: WebhookSubscription, conversation: Record<string, unknown>, origin: string) => {
  const filter = subscription.filters?.["Conversation"] as
    | { strategy?: string; conditions?: ReadonlyArray<{ _type?: string; field?: string; values?: Array<string> }> }
    | undefined
  const conditions = filter?.conditions ?? []
  if (conditions.length === 0) return true
  const results = conditions.map((c) => {
    const value = fieldValue(c.field ?? "", conversation, origin)
    if (value === undefined) return true
    const listed = (c.values ?? []).some((v) => v.toLowerCase() === value.toLowerCase())
    return c._type === "IsNotOneOf" ? !listed : listed
  })
  return filter?.strategy === "Any" ? results.some(Boolean) : results.every(Boolean)
}

/**
 * The deliveries an operation that just succeeded calls for (none for most operations). Runs under
 * the state lock, so the payload is the conversation as the operation left it.
 */
export const collect = (
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  result: unknown,
  state: State,
  now: number,
  rng: Prng.Rng
): ReadonlyArray<Pending> => {
  const event = eventByOperation[endpoint.id]
  if (event === undefined) return []
  const subscriptions = (state.webhooks?.subscriptions ?? []).filter((s) => s.enabled && s.events.includes(event))
  if (subscriptions.length === 0) return []
  const csid = input["conversationId"] ?? (result as { id?: unknown } | undefined)?.id
  const conversation = state.conversations.find((c) => String(c.data["id"]) === String(csid))?.data
  if (conversation === undefined) return []
  const origin = endpoint.id === "conversations.import" ? "ApiImport" : "Api"
  return subscriptions.filter((s) => passes(s, conversation, origin)).map((subscription) => ({
    subscriptionId: subscription.id,
    url: subscription.url,
    headers: deliveryHeaders(subscription),
    secretKey: subscription.secretKey,
    event,
    payload: JSON.stringify({
      event_id: rng.uuid(),
      event_fqn: snake(event).toUpperCase(),
      event_version: "1",
      event_timestamp: new Date(now).toISOString(),
      organization: { id: state.organization.id, name: state.organization.name },
      data: { conversation }
    })
  }))
}

/** Sends one delivery, signed at the current time, and says how it went. Never fails. */
export const send = (pending: Pending): Effect.Effect<Omit<WebhookDelivery, "deliveryTimestamp">> =>
  Effect.gen(function*() {
    const signature = yield* WebhookSignature.sign(pending.secretKey, pending.payload)
    const outcome = yield* Effect.promise(async () => {
      try {
        const response = await fetch(pending.url, {
          method: "POST",
          headers: {
            ...pending.headers,
            "content-type": "application/json",
            [WebhookSignature.signatureHeader]: signature,
            [WebhookSignature.subscriptionHeader]: pending.subscriptionId
          },
          body: pending.payload,
          redirect: "manual",
          signal: AbortSignal.timeout(deliveryTimeoutMillis)
        })
        const text = (await response.text()).slice(0, 200)
        return {
          success: response.status >= 200 && response.status < 300,
          responseCode: response.status,
          responseText: text !== "" ? text : response.statusText
        }
      } catch (error) {
        const cause = (error as { cause?: { code?: unknown } }).cause
        const detail = typeof cause?.code === "string" ? cause.code : (error as Error).message
        return { success: false, responseCode: 0, responseText: `no answer: ${detail}` }
      }
    })
    return { subscriptionId: pending.subscriptionId, event: pending.event, payload: pending.payload, ...outcome }
  }).pipe(
    Effect.catchAll((error) =>
      Effect.succeed({
        subscriptionId: pending.subscriptionId,
        event: pending.event,
        payload: pending.payload,
        success: false,
        responseCode: 0,
        responseText: `not sent: ${error.message}`
      })
    )
  )
