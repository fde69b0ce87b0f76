/**
 * Webhook subscriptions: which events go to which URL, how they are authorised, and the log of past
 * deliveries. Each subscription gets its own secret key for signing deliveries.
 */
import { Webhooks as Api } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { deliveryHeaders, webhooksOf } from "../internal/deliveries.js"
import { badRequest, type Context, type GroupHandlers, iso, notFound } from "../internal/handler.js"
import type { State, WebhookAuthorization, WebhookDelivery, WebhookSubscription } from "../internal/state.js"

/** The events a subscription can ask for. */
export const events: ReadonlyArray<string> = [
  "AgentBannedEnduser",
  "AgentBannedIp",
  "AgentUnbannedEnduser",
  "AgentUnbannedIp",
  "ConversationAbandoned",
  "ConversationAssigned",
  "ConversationClosed",
  "ConversationCreated",
  "ConversationCustomAttributeUpdated",
  "ConversationEndUserReplaced",
  "ConversationEnqueued",
  "ConversationMessageAdded",
  "ConversationMessageDeliveryDelivered",
  "ConversationMessageDeliveryFailed",
  "ConversationMessageDeliveryInfo",
  "ConversationMessageDeliverySeen",
  "ConversationMessageDeliverySent",
  "ConversationMessageDeliverySpamComplaint",
  "ConversationNoteAdded",
  "ConversationOpen",
  "ConversationPending",
  "ConversationPendingExpired",
  "ConversationRated",
  "ConversationTagAdded",
  "ConversationTagRemoved",
  "ConversationTransferred",
  "ConversationUnassigned",
  "SLAEvaluationAchieved",
  "SLAEvaluationBreached",
  "SLAEvaluationPending",
  "SLAEvaluationVoided",
  "TypingStarted"
]

const findOrFail = (state: State, id: string) => {
  const found = webhooksOf(state).subscriptions.find((s) => s.id === id)
  return found === undefined
    ? Effect.fail(notFound(`webhook subscription ${id} does not exist`))
    : Effect.succeed(found)
}

const view = (subscription: WebhookSubscription) => ({
  id: subscription.id,
  name: subscription.name,
  subscribedEvents: subscription.events,
  url: subscription.url,
  headers: deliveryHeaders(subscription),
  secretKey: subscription.secretKey,
  enabled: subscription.enabled,
  createdAt: subscription.createdAt,
  createdBy: subscription.createdBy,
  updatedAt: subscription.updatedAt,
  updatedBy: subscription.updatedBy,
  ...(subscription.filters === undefined ? {} : { filters: subscription.filters })
})

const checkEvents = (given: ReadonlyArray<string>) => {
  const unknown = given.filter((e) => !events.includes(e))
  return unknown.length > 0
    ? Effect.fail(badRequest(`body.events: unknown events: ${unknown.join(", ")}`))
    : Effect.succeed([...new Set(given)])
}

const checkAuthorization = (auth: { readonly _type: string }) =>
  auth._type === "NoAuth" || auth._type === "BasicAuth" || auth._type === "TokenAuth"
    ? Effect.succeed(structuredClone(auth) as WebhookAuthorization)
    : Effect.fail(badRequest(`body.authorization: unknown authorization type ${auth._type}`))

/** A fresh secret: 32 random bytes as hex. */
const secret = (ctx: Context) => {
  let key = ""
  for (let i = 0; i < 32; i++) key += ctx.rng.int(256).toString(16).padStart(2, "0")
  return key
}

const detail = (delivery: WebhookDelivery) => ({
  _type: "DeliveryDetail" as const,
  deliveryTimestamp: delivery.deliveryTimestamp,
  success: delivery.success,
  responseCode: delivery.responseCode,
  responseText: delivery.responseText
})

export const handlers: GroupHandlers<typeof Api.WebhooksApi> = {
  list: (_, ctx) => Effect.sync(() => webhooksOf(ctx.state).subscriptions.map(view)),

  create: (input, ctx) =>
    Effect.gen(function*() {
      const body = input.body
      const subscription: WebhookSubscription = {
        id: ctx.rng.uuid(),
        name: body.name.trim(),
        events: yield* checkEvents(body.events ?? []),
        url: body.url,
        authorization: yield* checkAuthorization(body.authorization),
        customHeaders: { ...body.customHeaders },
        secretKey: secret(ctx),
        enabled: body.enabled ?? true,
        createdAt: iso(ctx.now),
        createdBy: ctx.state.apiUserId,
        updatedAt: iso(ctx.now),
        updatedBy: ctx.state.apiUserId,
        ...(body.filters === undefined ? {} : { filters: structuredClone(body.filters) })
      }
      webhooksOf(ctx.state).subscriptions.push(subscription)
      return view(subscription)
    }),

  get: (input, ctx) => Effect.map(findOrFail(ctx.state, input.webhookSubscriptionId), view),

  patch: (input, ctx) =>
    Effect.gen(function*() {
      const subscription = yield* findOrFail(ctx.state, input.webhookSubscriptionId)
      const body = input.body
      // Everything is checked before anything changes.
      const chosen = body.events === undefined ? undefined : yield* checkEvents(body.events)
      const authorization = body.authorization === undefined ? undefined : yield* checkAuthorization(body.authorization)
      if (body.name !== undefined) subscription.name = body.name.trim()
      if (body.url !== undefined) subscription.url = body.url
      if (chosen !== undefined) subscription.events = chosen
      if (authorization !== undefined) subscription.authorization = authorization
      if (body.customHeaders !== undefined) subscription.customHeaders = { ...body.customHeaders }
      if (body.enabled !== undefined) subscription.enabled = body.enabled
      if (body.filters !== undefined) subscription.filters = structuredClone(body.filters)
      subscription.updatedAt = iso(ctx.now)
      subscription.updatedBy = ctx.state.apiUserId
      return view(subscription)
    }),

  delete: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.webhookSubscriptionId), (subscription) => {
      const webhooks = webhooksOf(ctx.state)
      webhooks.subscriptions = webhooks.subscriptions.filter((s) => s !== subscription)
      webhooks.deliveries = webhooks.deliveries.filter((d) => d.subscriptionId !== subscription.id)
    }),

  getDeliveryStatus: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.webhookSubscriptionId), (subscription) => {
      const deliveries = webhooksOf(ctx.state).deliveries.filter((d) => d.subscriptionId === subscription.id)
      return subscription.events.map((event) => {
        const last = deliveries.filter((d) => d.event === event).at(-1)
        return { event, deliveryStatus: last === undefined ? { _type: "NoRecentDelivery" } : detail(last) }
      })
    }),

  listDeliveryLogs: (input, ctx) =>
    Effect.gen(function*() {
      const subscription = yield* findOrFail(ctx.state, input.webhookSubscriptionId)
      if (!events.includes(input.event)) return yield* badRequest(`path.event: unknown event ${input.event}`)
      return webhooksOf(ctx.state).deliveries
        .filter((d) => d.subscriptionId === subscription.id && d.event === input.event)
        .reverse()
        .map((d) => ({ deliveryDetail: detail(d), payload: d.payload }))
    })
}
