/**
 * Operations beyond the first slice: teams, end users, conversation tags and reopening.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Agents, Anonymization, Conversations, DixaClient, EndUsers, Model, Tags, Teams } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Sandbox from "../src/index.js"
import { clientFor } from "./support.js"

const setup = Effect.gen(function*() {
  const sandbox = yield* Sandbox.start({ rateLimit: false, anonymizationDelay: 0 })
  const client = yield* clientFor(sandbox)
  return {
    agents: DixaClient.bindGroup(client, Agents.AgentsApi),
    teams: DixaClient.bindGroup(client, Teams.TeamsApi),
    endUsers: DixaClient.bindGroup(client, EndUsers.EndUsersApi),
    tags: DixaClient.bindGroup(client, Tags.TagsApi),
    conversations: DixaClient.bindGroup(client, Conversations.ConversationsApi),
    anonymization: DixaClient.bindGroup(client, Anonymization.AnonymizationApi)
  }
})

const conversationId = (id: number) => id as Model.ConversationId
const nobody = "00000000-0000-4000-8000-000000000000"

layer(NodeHttpClient.layerUndici, { excludeTestServices: true })("beyond the slice", (it) => {
  it.scoped("teams: create, add and remove members, list presence, delete", () =>
    Effect.gen(function*() {
      const { agents, teams } = yield* setup
      expect((yield* teams.list()).map((t) => t.name)).toEqual(["Support", "Escalations"])
      const team = yield* teams.create({ body: { name: "Night shift" } })
      const teamId = team.id as Model.TeamId
      const grace = (yield* agents.list({ email: "grace.hopper@sandbox.example" })).data[0]!
      yield* teams.addMembers({ teamId, body: { agentIds: [grace.id] } })
      const members = yield* teams.listMembers({ teamId })
      expect(members).toEqual([
        { id: grace.id, name: "Grace Hopper", email: grace.email, phoneNumber: grace.phoneNumber }
      ])
      expect((yield* agents.listTeams({ agentId: grace.id as Model.AgentId })).map((t) => t.id)).toContain(team.id)
      const presence = yield* teams.listPresence({ teamId })
      expect(presence.data.map((p) => p.userId)).toEqual([grace.id])
      yield* teams.removeMembers({ teamId, body: { agentIds: [grace.id] } })
      expect(yield* teams.listMembers({ teamId })).toEqual([])
      // An id that is no agent is left out: a team lists agents only.
      yield* teams.addMembers({ teamId, body: { agentIds: [nobody as Model.AgentId] } })
      expect(yield* teams.listMembers({ teamId })).toEqual([])
      yield* teams.delete({ teamId })
      expect((yield* Effect.flip(teams.get({ teamId })))._tag).toBe("NotFound")
    }))

  it.scoped("end users: list with a filter, get", () =>
    Effect.gen(function*() {
      const { endUsers } = yield* setup
      const all = yield* endUsers.list()
      expect(all.data).toHaveLength(3)
      const maria = yield* endUsers.list({ email: "MARIA@customer.example" })
      expect(maria.data.map((u) => u.displayName)).toEqual(["Maria Jensen"])
      const read = yield* endUsers.get({ userId: maria.data[0]!.id as Model.UserId })
      expect(read.email).toBe("maria@customer.example")
      expect((yield* Effect.flip(endUsers.list({ email: "nobody@x.example" })))._tag).toBe("NotFound")
    }))

  it.scoped("conversations: tags can be added (active only), listed and removed; reopen undoes close", () =>
    Effect.gen(function*() {
      const { conversations, tags } = yield* setup
      const id = conversationId(1002)
      expect(yield* conversations.listTags({ conversationId: id })).toEqual([])
      const bug = (yield* tags.list()).find((t) => t.name === "bug")!
      yield* conversations.addTag({ conversationId: id, tagId: bug.id as Model.TagId })
      expect((yield* conversations.listTags({ conversationId: id })).map((t) => t.name)).toEqual(["bug"])
      const legacy = (yield* tags.list({ includeDeactivated: true })).find((t) => t.name === "legacy")!
      expect((yield* Effect.flip(conversations.addTag({ conversationId: id, tagId: legacy.id as Model.TagId })))._tag)
        .toBe("BadRequest")
      yield* conversations.addTags({ conversationId: id, body: { data: [{ name: "brand-new" }, { name: "BUG" }] } })
      expect((yield* conversations.listTags({ conversationId: id })).map((t) => t.name)).toEqual(["bug", "brand-new"])
      yield* conversations.removeTag({ conversationId: id, tagId: bug.id as Model.TagId })
      expect((yield* conversations.listTags({ conversationId: id })).map((t) => t.name)).toEqual(["brand-new"])

      expect((yield* conversations.get({ conversationId: id }))["state"]).toBe("Closed")
      yield* conversations.reopen({ conversationId: id })
      expect((yield* conversations.get({ conversationId: id }))["state"]).toBe("Open")
    }))

  it.scoped("end users: anonymize needs force while a conversation is open; the request completes", () =>
    Effect.gen(function*() {
      const { endUsers, conversations, anonymization } = yield* setup
      const maria = (yield* endUsers.list({ email: "maria@customer.example" })).data[0]!
      const userId = maria.id as Model.UserId
      const refused = yield* Effect.flip(endUsers.anonymize({ userId }))
      expect(refused._tag).toBe("Conflict")
      const request = yield* endUsers.anonymize({ userId, force: true })
      expect(request._type).toBe("User")
      expect(request.entityType).toBe("UserAnonymizationType")
      expect(request.targetEntityId).toBe(maria.id)
      const done = yield* anonymization.getRequest({ requestId: request.id as Model.AnonymizationRequestId })
      expect(done.processedAt).toBeDefined()
      const after = yield* endUsers.get({ userId })
      expect(after.email).toBeUndefined()
      expect((yield* conversations.get({ conversationId: conversationId(1001) }))._type).toBe("AnonymizedConversation")
      expect((yield* Effect.flip(endUsers.anonymize({ userId: nobody as Model.UserId })))._tag).toBe("NotFound")
    }))

  it.scoped("anonymization.request (the older generic form) creates the same requests", () =>
    Effect.gen(function*() {
      const { conversations, anonymization } = yield* setup
      const byConversation = yield* anonymization.request({ body: { entityId: "1002", _type: "Conversation" } })
      const direct = yield* conversations.anonymize({ conversationId: conversationId(1002) })
      expect(direct.id).toBe(byConversation.id)
      const refused = yield* Effect.flip(anonymization.request({ body: { entityId: "1001", _type: "Conversation" } }))
      // anonymization.request declares only a 400, so an open conversation without force is one.
      expect([refused._tag, refused._tag === "BadRequest" && refused.status]).toEqual(["BadRequest", 400])
      const forced = yield* anonymization.request({
        body: { entityId: "1001", entityType: "ConversationAnonymizationType", forceAnonymization: true }
      })
      expect(forced.targetEntityId).toBe("1001")
      const unknown = yield* Effect.flip(anonymization.request({ body: { entityId: "x", _type: "Team" } }))
      expect(unknown._tag).toBe("BadRequest")
    }))
})
