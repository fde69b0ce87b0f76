import { expect, it } from "@effect/vitest"
import { Conversations, Model, Webhooks, WebhookSignature } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Queue from "effect/Queue"
import * as Schedule from "effect/Schedule"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import { describeTargets, start } from "./support.js"

/** A request as the receiver got it: headers and the raw body text. */
interface Received {
  readonly path: string
  readonly headers: Http.IncomingHttpHeaders
  readonly body: string
}

/**
 * A webhook receiver on a random port: it answers 200 on `/ok` and 500 on `/fail`, and queues every
 * request it got.
 */
const receiver = Effect.gen(function*() {
  const received = yield* Queue.unbounded<Received>()
  const server = Http.createServer((req, res) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      const ok = req.url === "/ok"
      res.writeHead(ok ? 200 : 500, { "content-type": "text/plain" })
      res.end(ok ? "thanks" : "receiver broke")
      Queue.unsafeOffer(received, {
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8")
      })
    })
  })
  const port = yield* Effect.acquireRelease(
    Effect.async<number>((resume) => {
      server.listen(0, "127.0.0.1", () => resume(Effect.succeed((server.address() as AddressInfo).port)))
    }),
    () => Effect.async<void>((resume) => (server.close(() => resume(Effect.void)), server.closeAllConnections()))
  )
  return { url: `http://127.0.0.1:${port}`, received }
})

describeTargets("webhooks", (target) => {
  it.scopedLive("create, read, patch only the given fields, list and delete subscriptions", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const webhooks = env.bind(Webhooks.WebhooksApi)
      const seeded = yield* webhooks.list()
      expect(seeded.map((s) => s.name)).toEqual(["Dashboard Integration"])

      const created = yield* webhooks.create({
        body: {
          name: "CRM sync",
          events: ["ConversationCreated", "ConversationClosed"],
          url: "https://crm.example/hooks/dixa",
          authorization: { _type: "BasicAuth", username: "dixa", password: "s3cret" },
          customHeaders: { "X-Team": "crm" }
        }
      })
      expect(created.enabled).toBe(true)
      expect(created.secretKey).toMatch(/^[0-9a-f]{64}$/)
      expect(created.headers).toEqual({
        "X-Team": "crm",
        Authorization: `Basic ${Buffer.from("dixa:s3cret").toString("base64")}`
      })
      const id = created.id
      expect(yield* webhooks.get({ webhookSubscriptionId: id })).toEqual(created)

      const patched = yield* webhooks.patch({
        webhookSubscriptionId: id,
        body: { name: "CRM sync (paused)", enabled: false, authorization: { _type: "NoAuth" } }
      })
      expect(patched.name).toBe("CRM sync (paused)")
      expect(patched.enabled).toBe(false)
      expect(patched.headers).toEqual({ "X-Team": "crm" })
      expect(patched.url).toBe(created.url)
      expect(patched.subscribedEvents).toEqual(created.subscribedEvents)
      expect(patched.secretKey).toBe(created.secretKey)
      expect((yield* webhooks.list()).map((s) => s.id)).toContain(created.id)

      yield* webhooks.delete({ webhookSubscriptionId: id })
      expect((yield* Effect.flip(webhooks.get({ webhookSubscriptionId: id })))._tag).toBe("NotFound")
      expect((yield* webhooks.list()).map((s) => s.id)).not.toContain(created.id)
    }))

  it.scopedLive("delivery status and logs of the seeded subscription; errors are 400 and 404", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const webhooks = env.bind(Webhooks.WebhooksApi)
      const [seeded] = yield* webhooks.list()
      const id = seeded!.id
      const status = yield* webhooks.getDeliveryStatus({ webhookSubscriptionId: id })
      expect(status.map((s) => [s.event, s.deliveryStatus._type])).toEqual([
        ["ConversationCreated", "DeliveryDetail"],
        ["ConversationClosed", "DeliveryDetail"]
      ])
      const logs = yield* webhooks.listDeliveryLogs({ webhookSubscriptionId: id, event: "ConversationCreated" })
      expect(logs.map((l) => [l.deliveryDetail.responseCode, l.deliveryDetail.success])).toEqual([
        [200, true],
        [503, false],
        [200, true]
      ])
      expect(JSON.parse(logs[0]!.payload).event_fqn).toBe("CONVERSATION_CREATED")

      const unknown = Model.WebhookSubscriptionId.make("00000000-0000-4000-8000-000000000000")
      expect((yield* Effect.flip(webhooks.getDeliveryStatus({ webhookSubscriptionId: unknown })))._tag).toBe("NotFound")
      const badEvent = yield* Effect.flip(webhooks.listDeliveryLogs({ webhookSubscriptionId: id, event: "Nope" }))
      expect(badEvent._tag).toBe("BadRequest")
      const badCreate = yield* Effect.flip(webhooks.create({
        body: {
          name: "x",
          url: "https://x.example",
          events: ["Nope"],
          authorization: { _type: "NoAuth" },
          customHeaders: {}
        }
      }))
      expect(badCreate._tag).toBe("BadRequest")
      expect(badCreate.message).toContain("body.events")
      const badEvents = yield* Effect.flip(webhooks.patch({ webhookSubscriptionId: id, body: { events: ["Nope"] } }))
      expect(badEvents._tag).toBe("BadRequest")
      // A refused patch changes nothing.
      expect((yield* webhooks.get({ webhookSubscriptionId: id })).subscribedEvents).toEqual(seeded!.subscribedEvents)
    }))

  it.scopedLive("a conversation change is delivered signed to each subscriber, and the outcome is logged", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const hooks = yield* receiver
      const webhooks = env.bind(Webhooks.WebhooksApi)
      const conversations = env.bind(Conversations.ConversationsApi)
      const good = yield* webhooks.create({
        body: {
          name: "good receiver",
          events: ["ConversationClosed"],
          url: `${hooks.url}/ok`,
          authorization: { _type: "TokenAuth", value: "Bearer hook-token" },
          customHeaders: { "X-Extra": "1" }
        }
      })
      const broken = yield* webhooks.create({
        body: {
          name: "broken receiver",
          events: ["ConversationClosed"],
          url: `${hooks.url}/fail`,
          authorization: { _type: "NoAuth" },
          customHeaders: {}
        }
      })

      yield* conversations.close({ conversationId: Model.ConversationId.make(1001) })
      const first = yield* Queue.take(hooks.received)
      const second = yield* Queue.take(hooks.received)
      const delivery = first.path === "/ok" ? first : second
      expect([first.path, second.path].sort()).toEqual(["/fail", "/ok"])

      expect(delivery.headers["x-dixa-subscription-id"]).toBe(good.id)
      expect(delivery.headers["authorization"]).toBe("Bearer hook-token")
      expect(delivery.headers["x-extra"]).toBe("1")
      const signature = yield* WebhookSignature.verify({
        secretKey: good.secretKey,
        header: delivery.headers["x-dixa-signature"] as string,
        body: delivery.body
      })
      expect(signature.signatures).toHaveLength(1)
      // Signed with the other subscription's secret, it would not verify.
      const wrong = yield* Effect.flip(WebhookSignature.verify({
        secretKey: broken.secretKey,
        header: delivery.headers["x-dixa-signature"] as string,
        body: delivery.body
      }))
      expect(wrong.reason).toBe("Mismatch")
      const payload = JSON.parse(delivery.body)
      expect(payload.event_fqn).toBe("CONVERSATION_CLOSED")
      expect(payload.data.conversation.id).toBe(1001)
      expect(payload.data.conversation.state).toBe("Closed")

      // The log is written once the receiver has answered.
      const logged = (id: Model.WebhookSubscriptionId) =>
        webhooks.listDeliveryLogs({ webhookSubscriptionId: id, event: "ConversationClosed" }).pipe(
          Effect.filterOrFail((logs) => logs.length > 0, () => "not yet"),
          Effect.retry(Schedule.spaced("20 millis").pipe(Schedule.intersect(Schedule.recurs(100))))
        )
      const goodLog = yield* logged(good.id)
      expect(goodLog.map((l) => [l.deliveryDetail.success, l.deliveryDetail.responseCode])).toEqual([[true, 200]])
      expect(goodLog[0]!.payload).toBe(delivery.body)
      const brokenLog = yield* logged(broken.id)
      expect(brokenLog[0]!.deliveryDetail)
        .toMatchObject({ success: false, responseCode: 500, responseText: "receiver broke" })
      const status = yield* webhooks.getDeliveryStatus({ webhookSubscriptionId: good.id })
      expect(status).toEqual([{ event: "ConversationClosed", deliveryStatus: goodLog[0]!.deliveryDetail }])
    }))
})
