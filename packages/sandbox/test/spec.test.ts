/**
 * The sandbox keeps to the spec: what it accepts reads back, bodies hold only the variants the spec lists, and it
 * refuses only what the spec (or Dixa's notes) says is refused, with a status the operation declares.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Sandbox from "../src/index.js"
import { raw } from "./support.js"

const setup = Effect.gen(function*() {
  const sandbox = yield* Sandbox.start({ rateLimit: false, anonymizationDelay: 0 })
  const users = (yield* raw(sandbox, "GET", "/beta/endusers")).json.data
  const agents = (yield* raw(sandbox, "GET", "/beta/agents")).json.data
  // Agent 1 is Ada, who has the seeded chat 1001; agent 2 is Grace.
  return { sandbox, requesterId: users[0].id as string, agentId: agents[1].id as string, grace: agents[2].id as string }
})

const chat = (requesterId: string, message: unknown, extra: Record<string, unknown> = {}) => ({
  _type: "Chat",
  requesterId,
  widgetId: "00000000-0000-4000-8000-000000000002",
  message,
  ...extra
})

const text = (value: string) => ({ _type: "Text", value })

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("the spec first", (it) => {
  it.scoped("an outbound message names its agent inside the message, and reads back with that author", () =>
    Effect.gen(function*() {
      const { agentId, requesterId, sandbox } = yield* setup
      const outside = yield* raw(sandbox, "POST", "/beta/conversations", {
        body: chat(requesterId, { _type: "Outbound", content: text("Hello from us") }, { agentId })
      })
      expect(outside.status).toBe(400)
      expect(outside.json.message).toContain("body.message.agentId")
      const inside = yield* raw(sandbox, "POST", "/beta/conversations", {
        body: chat(requesterId, { _type: "Outbound", agentId, content: text("Hello from us") })
      })
      // The refused request took no id.
      expect([inside.status, inside.json.data.id]).toEqual([201, 1005])
      const messages = yield* raw(sandbox, "GET", "/beta/conversations/1005/messages")
      expect(messages.status).toBe(200)
      expect(messages.json.data.map((m: any) => [m.authorId, m.attributes.direction])).toEqual([[agentId, "Outbound"]])
      expect((yield* raw(sandbox, "GET", "/beta/conversations/1005")).json.data.direction).toBe("Outbound")
    }))

  it.scoped("a variant that names itself but lacks a field is refused, not stored", () =>
    Effect.gen(function*() {
      const { sandbox } = yield* setup
      const before = (yield* raw(sandbox, "GET", "/beta/conversations/1001/messages")).json.data.length
      const missing = yield* raw(sandbox, "POST", "/beta/conversations/1001/messages", { body: { _type: "Inbound" } })
      expect([missing.status, missing.json.message]).toEqual([400, "body.content: is missing"])
      const badContent = yield* raw(sandbox, "POST", "/beta/conversations/1001/messages", {
        body: { _type: "Inbound", content: { _type: 42, value: "x" } }
      })
      expect(badContent.status).toBe(400)
      const unknown = yield* raw(sandbox, "POST", "/beta/conversations/1001/messages", {
        body: { _type: "Internal", content: text("x") }
      })
      expect(unknown.status).toBe(400)
      expect((yield* raw(sandbox, "GET", "/beta/conversations/1001/messages")).json.data.length).toBe(before)
    }))

  it.scoped("an article needs no translation, and reads back without one", () =>
    Effect.gen(function*() {
      const { sandbox } = yield* setup
      const created = yield* raw(sandbox, "POST", "/beta/knowledge/articles", { body: {} })
      expect(created.status).toBe(200)
      const id = created.json.data.id
      expect(created.json.data.translation).toBeUndefined()
      expect((yield* raw(sandbox, "GET", `/beta/knowledge/articles/${id}`)).status).toBe(200)
      const translations = yield* raw(sandbox, "GET", `/beta/knowledge/articles/${id}/translations`)
      expect(translations.json.data.translations).toEqual({ draft: [], published: [] })
      const collection = created.json.data.parentCollections[0]
      const catalog = yield* raw(sandbox, "GET", `/beta/knowledge/collections/${collection}/catalog`)
      expect(catalog.json.data.articles).toContainEqual({ id })
    }))

  it.scoped("claiming takes over an assigned conversation unless force is false", () =>
    Effect.gen(function*() {
      const { grace, sandbox } = yield* setup
      const claim = (body: unknown) => raw(sandbox, "PUT", "/beta/conversations/1001/claim", { body })
      expect((yield* claim({ agentId: grace, force: false })).status).toBe(409)
      expect((yield* claim({ agentId: grace })).status).toBe(204)
      const data = (yield* raw(sandbox, "GET", "/beta/conversations/1001")).json.data
      expect(data.assignment.agentId).toBe(grace)
    }))

  it.scoped("statuses are those the operation declares", () =>
    Effect.gen(function*() {
      const { sandbox } = yield* setup
      const admin = (yield* raw(sandbox, "GET", "/beta/agents")).json.data[0]
      // agents.create declares only a 400; the spec names "Duplicate email address" among its reasons.
      const duplicate = yield* raw(sandbox, "POST", "/beta/agents", {
        body: { displayName: "Again", email: admin.email }
      })
      expect(duplicate.status).toBe(400)
      // The older anonymization request declares only a 400.
      const unknownUser = yield* raw(sandbox, "POST", "/beta/anonymization", {
        body: { _type: "User", entityId: "00000000-0000-4000-8000-000000000000" }
      })
      expect(unknownUser.status).toBe(400)
      // A transfer to a queue that does not exist is the spec's 400 "Queue does not exist".
      const transfer = yield* raw(sandbox, "PUT", "/beta/conversations/1001/transfer/queue", {
        body: { queueId: "00000000-0000-4000-8000-000000000000" }
      })
      expect(transfer.status).toBe(400)
    }))

  it.scoped("what the spec does not refuse is accepted", () =>
    Effect.gen(function*() {
      const { agentId, sandbox } = yield* setup
      expect((yield* raw(sandbox, "POST", "/beta/tags", { body: { name: "" } })).status).toBe(200)
      expect((yield* raw(sandbox, "POST", "/beta/teams", { body: { name: "" } })).status).toBe(201)
      const past = new Date(Date.now() - 60_000).toISOString()
      expect((yield* raw(sandbox, "PUT", "/beta/conversations/1001/followup", { body: { timestamp: past } })).status)
        .toBe(204)
      // A follow-up time already past wakes the conversation at once.
      expect((yield* raw(sandbox, "GET", "/beta/conversations/1001")).json.data.state).toBe("Open")
      // A closed conversation can be claimed.
      expect((yield* raw(sandbox, "PUT", "/beta/conversations/1002/claim", { body: { agentId } })).status).toBe(204)
      const channel = (name: string) =>
        raw(sandbox, "PUT", `/beta/agents/${agentId}/presence/working-channel`, {
          body: { channel: name, working: true }
        })
      expect((yield* channel("Speak")).status).toBe(204)
      // The spec lists the channels an agent works on.
      expect((yield* channel("Carrier pigeon")).status).toBe(400)
    }))

  it.scoped("a rating answer must be in its range; a second answer replaces the first", () =>
    Effect.gen(function*() {
      const { sandbox } = yield* setup
      const offer = yield* raw(sandbox, "POST", "/beta/conversations/1003/ratings/offer", {
        body: { ratingType: "Csat" }
      })
      // Nobody handled 1003 yet: the rating is about the token's user.
      expect(offer.status).toBe(201)
      const submit = (ratingResult: unknown) =>
        raw(sandbox, "POST", `/beta/conversations/1003/ratings/${offer.json.data.id}/submit`, {
          body: { ratingResult }
        })
      expect((yield* submit({ _type: "Csat", value: 6 })).status).toBe(400)
      expect((yield* submit({ _type: "Csat", value: 2 })).status).toBe(201)
      expect((yield* submit({ _type: "Csat", value: 5 })).status).toBe(201)
      const ratings = (yield* raw(sandbox, "GET", "/beta/conversations/1003/ratings")).json.data
      expect(ratings.map((r: any) => [r.ratingStatus, r.ratingScore])).toEqual([["Rated", 5]])
    }))
})
