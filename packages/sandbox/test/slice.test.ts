/**
 * Every operation of the first slice, through the real client against a real sandbox.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Agents, Anonymization, Conversations, DixaClient, Model, Organization, Tags } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as Sandbox from "../src/index.js"
import { clientFor } from "./support.js"

const setup = (options: Sandbox.Options = {}) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ rateLimit: false, ...options })
    const client = yield* clientFor(sandbox)
    return {
      sandbox,
      organization: DixaClient.bindGroup(client, Organization.OrganizationApi),
      agents: DixaClient.bindGroup(client, Agents.AgentsApi),
      tags: DixaClient.bindGroup(client, Tags.TagsApi),
      conversations: DixaClient.bindGroup(client, Conversations.ConversationsApi),
      anonymization: DixaClient.bindGroup(client, Anonymization.AnonymizationApi)
    }
  })

const agentId = (id: string) => id as Model.AgentId
const conversationId = (id: number) => id as Model.ConversationId
const nobody = "00000000-0000-4000-8000-000000000000"

const failureTag = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (e) => e._tag)

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("the slice through the client", (it) => {
  it.scoped("organization.get", () =>
    Effect.gen(function*() {
      const { organization } = yield* setup()
      const org = yield* organization.get()
      expect(org.subdomain).toBe("sandbox")
      expect(org.status).toBe("Active")
    }))

  it.scoped("agents: create, then get and list return it; a duplicate email is refused with 400", () =>
    Effect.gen(function*() {
      const { agents } = yield* setup()
      const created = yield* agents.create({
        body: { displayName: "Rosalind Franklin", email: "rosalind@lab.example", phoneNumber: "+4511111111" }
      })
      expect(created.email).toBe("rosalind@lab.example")
      expect(created.roles).toEqual(["Agent"])
      const read = yield* agents.get({ agentId: agentId(created.id) })
      expect(read.displayName).toBe("Rosalind Franklin")
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(agents.listAll()))
      expect(all.filter((a) => a.id === created.id)).toHaveLength(1)
      const byEmail = yield* agents.list({ email: "ROSALIND@lab.example" })
      expect(byEmail.data.map((a) => a.id)).toEqual([created.id])
      const byPhone = yield* agents.list({ phone: "+4511111111" })
      expect(byPhone.data.map((a) => a.id)).toEqual([created.id])
      expect(yield* failureTag(agents.list({ email: "nobody@nowhere.example" }))).toBe("NotFound")
      expect(yield* failureTag(agents.list({ email: "a@b.c", phone: "1" }))).toBe("BadRequest")
      const duplicate = yield* Effect.flip(
        agents.create({ body: { displayName: "Again", email: "Rosalind@lab.example" } })
      )
      // agents.create declares only a 400 (the spec names "Duplicate email address" among its reasons).
      expect([duplicate._tag, duplicate._tag === "BadRequest" && duplicate.status]).toEqual(["BadRequest", 400])
      expect(duplicate.message).toMatch(/already exists/)
    }))

  it.scoped("agents: patch changes only the given fields; update replaces the details", () =>
    Effect.gen(function*() {
      const { agents } = yield* setup()
      const created = yield* agents.create({
        body: { displayName: "Lise Meitner", email: "lise@lab.example", phoneNumber: "+4522222222", firstName: "Lise" }
      })
      const patched = yield* agents.patch({ agentId: agentId(created.id), body: { lastName: "Meitner" } })
      expect(patched.firstName).toBe("Lise")
      expect(patched.lastName).toBe("Meitner")
      expect(patched.phoneNumber).toBe("+4522222222")
      expect(patched.displayName).toBe("Lise Meitner")
      const updated = yield* agents.update({ agentId: agentId(created.id), body: { displayName: "L. Meitner" } })
      expect(updated.displayName).toBe("L. Meitner")
      expect(updated.firstName).toBeUndefined()
      expect(updated.phoneNumber).toBeUndefined()
      expect(updated.email).toBe("lise@lab.example")
      const read = yield* agents.get({ agentId: agentId(created.id) })
      expect(read).toEqual(updated)
    }))

  it.scoped("agents: bulk operations report an outcome per item", () =>
    Effect.gen(function*() {
      const { agents } = yield* setup()
      const created = yield* agents.createMany({
        body: {
          data: [
            { displayName: "One", email: "one@bulk.example" },
            { displayName: "Two", email: "two@bulk.example" },
            { displayName: "Dup", email: "one@bulk.example" }
          ]
        }
      })
      expect(created.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionSuccess", "BulkActionFailure"])
      const ids = created.flatMap((o) =>
        o._type === "BulkActionSuccess" && "data" in o ? [(o.data as Agents.Agent).id] : []
      )
      expect(ids).toHaveLength(2)
      const missing = "00000000-0000-4000-8000-000000000000"

      const updated = yield* agents.updateMany({
        body: [{ id: ids[0]!, displayName: "One!" }, { id: agentId(missing), displayName: "Ghost" }]
      })
      expect(updated.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionFailure"])
      const notFound = updated[1] as Agents.AgentBulkFailure
      expect(notFound.error._type).toBe("NotFound")

      const patched = yield* agents.patchMany({
        body: [{ id: ids[1]!, lastName: "Second" }, { id: agentId(missing), lastName: "x" }, { id: ids[0]! }]
      })
      expect(patched.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionFailure", "BulkActionFailure"])
      expect((patched[2] as Agents.AgentBulkFailure).error._type).toBe("EmptyPatchSet")
      expect((yield* agents.get({ agentId: agentId(ids[0]!) })).displayName).toBe("One!")
      const second = yield* agents.get({ agentId: agentId(ids[1]!) })
      expect(second.lastName).toBe("Second")
      expect(second.displayName).toBe("Two")
    }))

  it.scoped("agents: delete removes the agent; a second delete or get is NotFound", () =>
    Effect.gen(function*() {
      const { agents } = yield* setup()
      const created = yield* agents.create({ body: { displayName: "Temp", email: "temp@x.example" } })
      yield* agents.delete({ agentId: agentId(created.id) })
      expect(yield* failureTag(agents.get({ agentId: agentId(created.id) }))).toBe("NotFound")
      expect(yield* failureTag(agents.delete({ agentId: agentId(created.id) }))).toBe("NotFound")
    }))

  it.scoped("agents: presence, working channel and teams", () =>
    Effect.gen(function*() {
      const { agents } = yield* setup()
      const page = yield* agents.list({ email: "ada.lovelace@sandbox.example" })
      const ada = agentId(page.data[0]!.id)
      const everyone = yield* agents.listPresence()
      expect(everyone.length).toBe(7)
      expect(everyone.some((p) => p.userId === ada)).toBe(true)
      yield* agents.setWorkingChannel({ agentId: ada, body: { channel: "Speak", working: true } })
      expect((yield* agents.getPresence({ agentId: ada })).activeChannels).toContain("Speak")
      yield* agents.setWorkingChannel({ agentId: ada, body: { channel: "Speak", working: false } })
      expect((yield* agents.getPresence({ agentId: ada })).activeChannels).not.toContain("Speak")
      const teams = yield* agents.listTeams({ agentId: ada })
      expect(teams).toHaveLength(1)
      const missing = agentId("00000000-0000-4000-8000-000000000000")
      expect(yield* failureTag(agents.getPresence({ agentId: missing }))).toBe("NotFound")
      expect(yield* failureTag(agents.listTeams({ agentId: missing }))).toBe("NotFound")
    }))

  it.scoped("agents: a malformed id is rejected by the client before sending; the server answers 400 too", () =>
    Effect.gen(function*() {
      const { agents, sandbox } = yield* setup()
      expect(yield* failureTag(agents.get({ agentId: agentId("not-a-uuid") }))).toBe("InvalidInput")
      expect((yield* sandbox.stats).requests).toBe(0)
    }))

  it.scoped("tags: create returns the existing tag of that name; deactivate and activate show in get and list", () =>
    Effect.gen(function*() {
      const { tags } = yield* setup()
      const active = yield* tags.list()
      expect(active.every((t) => t.state === "Active")).toBe(true)
      const all = yield* tags.list({ includeDeactivated: true })
      expect(all.length).toBeGreaterThan(active.length)

      const created = yield* tags.create({ body: { name: "refund", color: "#00ff00" } })
      const again = yield* tags.create({ body: { name: "refund" } })
      expect(again.id).toBe(created.id)
      expect(again.color).toBe("#00ff00")
      const tagId = created.id as Model.TagId

      yield* tags.deactivate({ tagId })
      expect((yield* tags.get({ tagId })).state).toBe("Inactive")
      expect((yield* tags.list()).some((t) => t.id === tagId)).toBe(false)
      expect((yield* tags.list({ includeDeactivated: true })).some((t) => t.id === tagId)).toBe(true)
      yield* tags.activate({ tagId })
      expect((yield* tags.get({ tagId })).state).toBe("Active")
      expect((yield* tags.list()).some((t) => t.id === tagId)).toBe(true)

      yield* tags.delete({ tagId })
      expect(yield* failureTag(tags.get({ tagId }))).toBe("NotFound")
      expect(yield* failureTag(tags.activate({ tagId }))).toBe("NotFound")
    }))

  it.scoped("conversations: get, and close changes the state", () =>
    Effect.gen(function*() {
      const { conversations, agents } = yield* setup()
      const open = yield* conversations.get({ conversationId: conversationId(1001) })
      expect(open._type).toBe("ChatConversation")
      expect(open["state"]).toBe("Open")
      const admin = yield* agents.list({ email: "admin@sandbox.example" })
      yield* conversations.close({ conversationId: conversationId(1001), body: { userId: admin.data[0]!.id } })
      const closed = yield* conversations.get({ conversationId: conversationId(1001) })
      expect(closed["state"]).toBe("Closed")
      yield* conversations.close({ conversationId: conversationId(1003) })
      expect((yield* conversations.get({ conversationId: conversationId(1003) }))["state"]).toBe("Closed")
      expect(yield* failureTag(conversations.get({ conversationId: conversationId(999_999) }))).toBe("NotFound")
      expect(yield* failureTag(conversations.close({ conversationId: conversationId(999_999) }))).toBe("NotFound")
      expect(
        yield* failureTag(
          conversations.close({ conversationId: conversationId(1002), body: { userId: agentId(nobody) } })
        )
      ).toBe("BadRequest")
    }))

  it.scoped("conversations: anonymize needs force on an open conversation; the request completes after the delay", () =>
    Effect.gen(function*() {
      const { conversations, anonymization } = yield* setup({ anonymizationDelay: "1 second" })
      const refused = yield* Effect.flip(conversations.anonymize({ conversationId: conversationId(1001) }))
      expect(refused._tag).toBe("Conflict")
      expect(refused.message).toMatch(/force/)

      const request = yield* conversations.anonymize({ conversationId: conversationId(1001), force: true })
      expect(request._type).toBe("Conversation")
      expect(request.targetEntityId).toBe("1001")
      expect(request.processedAt).toBeUndefined()
      const requestId = request.id as Model.AnonymizationRequestId
      const pending = yield* anonymization.getRequest({ requestId })
      expect(pending.processedAt).toBeUndefined()
      // Asking again gives the same request.
      const again = yield* conversations.anonymize({ conversationId: conversationId(1001), force: true })
      expect(again.id).toBe(request.id)

      const done = yield* anonymization.getRequest({ requestId }).pipe(
        Effect.filterOrFail((r) => r.processedAt !== undefined),
        Effect.retry(Schedule.spaced("50 millis").pipe(Schedule.compose(Schedule.recurs(100))))
      )
      expect(done.processedAt).toBeDefined()
      const conversation = yield* conversations.get({ conversationId: conversationId(1001) })
      expect(conversation._type).toBe("AnonymizedConversation")

      const closed = yield* conversations.anonymize({ conversationId: conversationId(1002) })
      expect(closed.targetEntityId).toBe("1002")
      expect(yield* failureTag(conversations.anonymize({ conversationId: conversationId(999_999) }))).toBe("NotFound")
      expect(
        yield* failureTag(anonymization.getRequest({ requestId: nobody as Model.AnonymizationRequestId }))
      ).toBe("NotFound")
    }))

  it.scoped("conversations: anonymizeMessage creates a message request; an unknown message is NotFound", () =>
    Effect.gen(function*() {
      const { conversations, anonymization, sandbox } = yield* setup({ anonymizationDelay: 0 })
      const state: any = yield* Effect.promise(() => fetch(`${sandbox.url}/_sandbox/state`).then((r) => r.json()))
      const messageId = state.conversations[0].messages[1].id as Model.MessageId
      const request = yield* conversations.anonymizeMessage({ conversationId: conversationId(1001), messageId })
      expect(request._type).toBe("Message")
      expect(request.entityType).toBe("MessageAnonymizationType")
      expect(request.targetEntityId).toBe(`1001_${messageId}`)
      const done = yield* anonymization.getRequest({ requestId: request.id as Model.AnonymizationRequestId })
      expect(done.processedAt).toBeDefined()
      const other = "00000000-0000-4000-8000-000000000000" as Model.MessageId
      const unknownMessage = conversations.anonymizeMessage({ conversationId: conversationId(1001), messageId: other })
      expect(yield* failureTag(unknownMessage)).toBe("NotFound")
    }))
})
