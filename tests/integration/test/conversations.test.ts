import { expect, it } from "@effect/vitest"
import { Agents, type Common, Conversations, CustomAttributes, EndUsers, Model, Queues, Tags } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describeTargets, start } from "./support.js"

const conversationId = (id: number) => id as Model.ConversationId
/** The fields every live (not anonymized) conversation has. */
const live = (conversation: Common.Conversation) => conversation as Common.EmailConversation
/**
 * The sandbox's rate limit is off here: these suites are about what the operations do, and on a loaded
 * machine a request may reach the sandbox early enough to be refused although the client kept to its budget.
 */
const options = { rateLimit: false } as const

describeTargets("conversations", (target) => {
  it.scopedLive("create, messages, notes, tags, claim, follow-up, transfer, close, reopen, and the activity log", () =>
    Effect.gen(function*() {
      const env = yield* start(target, options)
      const conversations = env.bind(Conversations.ConversationsApi)
      const [requester] = (yield* env.bind(EndUsers.EndUsersApi).list()).data
      const agents = (yield* env.bind(Agents.AgentsApi).list()).data.filter((a) => a.roles?.includes("Agent"))
      const ada = agents[0]!.id as Model.AgentId
      const grace = agents[1]!.id as Model.AgentId
      const nobody = "00000000-0000-4000-8000-000000000000" as Model.AgentId
      const startedAt = DateTime.unsafeMake(Date.now() - 1000)

      const { id } = yield* conversations.create({
        body: {
          _type: "Email",
          requesterId: requester!.id as Model.UserId,
          emailIntegrationId: "support@sandbox.example",
          subject: "Broken blender",
          message: { _type: "Inbound", content: { _type: "Text", value: "My blender stopped working." } }
        }
      })
      const csid = conversationId(id)
      const created = yield* conversations.get({ conversationId: csid })
      expect(created._type).toBe("EmailConversation")
      expect(created).toMatchObject({ subject: "Broken blender", state: "Open", requesterId: requester!.id })

      const reply = yield* conversations.addMessage({
        conversationId: csid,
        body: { _type: "Outbound", agentId: ada, content: { _type: "Text", value: "Sorry to hear that." } }
      })
      expect(reply.direction).toBe("Outbound")
      const messages = yield* conversations.listMessages({ conversationId: csid })
      expect(messages.map((m) => (m.attributes as { direction?: string }).direction)).toEqual(["Inbound", "Outbound"])
      expect(messages.map((m) => m.attributes._type)).toEqual(["EmailAttributes", "EmailAttributes"])
      expect(messages[1]!.id).toBe(reply.messageId)

      const note = yield* conversations.addNote({
        conversationId: csid,
        body: { message: "Warranty until 2026.", agentId: ada }
      })
      expect(note).toMatchObject({ csid: id, authorId: ada, message: "Warranty until 2026." })
      const bulk = yield* conversations.addNotes({
        conversationId: csid,
        body: { data: [{ message: "Second note" }, { message: "Lost note", agentId: nobody }] }
      })
      expect(bulk.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionFailure"])
      const notes = yield* conversations.listNotes({ conversationId: csid })
      expect(notes.map((n) => n.message)).toEqual(["Warranty until 2026.", "Second note"])

      yield* conversations.addTags({
        conversationId: csid,
        body: { data: [{ name: "appliances" }, { name: "billing" }] }
      })
      const tags = yield* conversations.listTags({ conversationId: csid })
      expect(tags.map((t) => t.name).sort()).toEqual(["appliances", "billing"])
      yield* conversations.removeTag({ conversationId: csid, tagId: tags[0]!.id as Model.TagId })
      expect((yield* conversations.listTags({ conversationId: csid })).length).toBe(1)

      yield* conversations.claim({ conversationId: csid, body: { agentId: ada } })
      // `force: false` keeps an assigned conversation from being taken over; without it, it is taken over.
      const taken = yield* Effect.flip(
        conversations.claim({ conversationId: csid, body: { agentId: grace, force: false } })
      )
      expect(taken._tag).toBe("Conflict")
      yield* conversations.claim({ conversationId: csid, body: { agentId: grace } })
      expect(live(yield* conversations.get({ conversationId: csid })).assignment?.agentId).toBe(grace)

      const later = DateTime.unsafeMake(Date.now() + 3_600_000)
      yield* conversations.followUp({ conversationId: csid, body: { timestamp: later } })
      expect((yield* conversations.get({ conversationId: csid })).state).toBe("Pending")

      const billing = (yield* env.bind(Queues.QueuesApi).list()).find((q) => q.name === "Billing")!
      yield* conversations.transferToQueue({ conversationId: csid, body: { queueId: billing.id as Model.QueueId } })
      const moved = live(yield* conversations.get({ conversationId: csid }))
      expect(moved.queue?.id).toBe(billing.id)
      expect(moved.assignment).toBeUndefined()

      yield* conversations.close({ conversationId: csid })
      expect((yield* conversations.get({ conversationId: csid })).state).toBe("Closed")
      yield* conversations.reopen({ conversationId: csid })
      expect((yield* conversations.get({ conversationId: csid })).state).toBe("Open")

      const log = yield* conversations.getActivityLog({ conversationId: csid })
      expect(log.map((e) => e._type)).toEqual([
        "ConversationCreatedByCustomer",
        "MessageAddedByCustomer",
        "MessageAddedByAgent",
        "NoteAdded",
        "NoteAdded",
        "TagAdded",
        "TagAdded",
        "TagRemoved",
        "ConversationClaimed",
        "ConversationClaimed",
        "FollowupAdded",
        "TransferSuccessful",
        "ConversationClosed",
        "ConversationReopened"
      ])
      expect(log[0]!.activityType).toBe("ConversationCreatedByCustomerActivityType")
      expect(log.find((e) => e._type === "TagRemoved")?.attributes).toEqual({ tag: "appliances" })
      expect(log[2]!.author?.id).toBe(ada)

      // The organization-wide log, a few entries a page, holds the same steps from the time asked.
      const recent = yield* Stream.runCollect(
        conversations.listActivityLogAll({ fromDatetime: startedAt, pageLimit: 5 })
      )
      const entries = Array.from(recent)
      expect(entries.filter((e) => e.conversationId === id).map((e) => e.id)).toEqual(log.map((e) => e.id))
      expect(entries.every((e) => DateTime.greaterThanOrEqualTo(e.activityTimestamp, startedAt))).toBe(true)
      const everything = yield* conversations.listActivityLog({ pageLimit: 100 })
      expect(everything.data.length).toBeGreaterThan(entries.length)
    }))

  it.scopedLive("tags one at a time; anonymizing a message, then the whole conversation", () =>
    Effect.gen(function*() {
      const env = yield* start(target, options)
      const conversations = env.bind(Conversations.ConversationsApi)
      const tags = yield* env.bind(Tags.TagsApi).list({ includeDeactivated: true })
      const vip = tags.find((t) => t.name === "vip")!.id as Model.TagId
      const legacy = tags.find((t) => t.name === "legacy")!.id as Model.TagId
      const chat = conversationId(1001)

      yield* conversations.addTag({ conversationId: chat, tagId: vip })
      yield* conversations.addTag({ conversationId: chat, tagId: vip })
      expect((yield* conversations.listTags({ conversationId: chat })).map((t) => t.name)).toEqual(["billing", "vip"])
      const inactive = yield* Effect.flip(conversations.addTag({ conversationId: chat, tagId: legacy }))
      expect(inactive._tag).toBe("BadRequest")
      const log = yield* conversations.getActivityLog({ conversationId: chat })
      expect(log.filter((e) => e._type === "TagAdded").length).toBe(2)

      const [first] = yield* conversations.listMessages({ conversationId: chat })
      const request = yield* conversations.anonymizeMessage({
        conversationId: chat,
        messageId: first!.id as Model.MessageId
      })
      expect(request.targetEntityId).toBe(`1001_${first!.id}`)
      // The chat is open: erasing all of it needs force.
      const open = yield* Effect.flip(conversations.anonymize({ conversationId: chat }))
      expect(open._tag).toBe("Conflict")
      yield* conversations.anonymize({ conversationId: chat, force: true })
      yield* Effect.sleep("400 millis")
      const gone = yield* conversations.get({ conversationId: chat })
      expect(gone._type).toBe("AnonymizedConversation")
      const messages = yield* conversations.listMessages({ conversationId: chat })
      expect(messages.map((m) => (m.attributes as { content?: { value?: string } }).content?.value)).toEqual([
        "",
        "",
        ""
      ])
    }))

  it.scopedLive("import, links, ratings, custom attributes, flows, and errors", () =>
    Effect.gen(function*() {
      const env = yield* start(target, options)
      const conversations = env.bind(Conversations.ConversationsApi)
      const [requester] = (yield* env.bind(EndUsers.EndUsersApi).list()).data
      const agent = (yield* env.bind(Agents.AgentsApi).list()).data.find((a) => a.roles?.includes("Agent"))!
      const unknownAgent = "00000000-0000-4000-8000-000000000000" as Model.AgentId

      const imported = yield* conversations.import({
        body: {
          genericChannelName: "legacy-helpdesk",
          requesterId: requester!.id as Model.UserId,
          direction: "Inbound",
          createdAt: DateTime.unsafeMake("2023-05-01T10:00:00Z"),
          messages: [
            {
              _type: "InboundImport",
              content: { _type: "Text", value: "Old question" },
              createdAt: DateTime.unsafeMake("2023-05-01T10:00:00Z")
            },
            {
              _type: "OutboundImport",
              agentId: unknownAgent,
              content: { _type: "Text", value: "Lost answer" },
              createdAt: DateTime.unsafeMake("2023-05-01T10:05:00Z")
            },
            {
              _type: "OutboundImport",
              agentId: agent.id as Model.AgentId,
              content: { _type: "Text", value: "Old answer" },
              createdAt: DateTime.unsafeMake("2023-05-01T10:10:00Z")
            }
          ],
          closing: { closedAt: DateTime.unsafeMake("2023-05-01T11:00:00Z"), closedBy: agent.id as Model.AgentId }
        }
      })
      expect(imported.partialErrors?.length).toBe(1)
      const csid = conversationId(imported.id)
      const old = yield* conversations.get({ conversationId: csid })
      expect(old).toMatchObject({ _type: "GenericConversation", channel: "legacy-helpdesk", state: "Closed" })
      expect((yield* conversations.listMessages({ conversationId: csid })).length).toBe(2)

      // The imported conversation hangs under the seeded chat 1001.
      const link = (parentId: number, linkType: string) =>
        conversations.link({ conversationId: csid, body: { parentId: conversationId(parentId), linkType } })
      yield* link(1001, "Related")
      const linked = yield* conversations.listLinked({ conversationId: conversationId(1001) })
      expect(linked.map((c) => c.id)).toEqual([imported.id])
      expect((yield* Effect.flip(link(99999, "Related")))._tag).toBe("NotFound")
      // The spec's link types are Related and SideConversation.
      expect((yield* Effect.flip(link(1001, "FollowUp")))._tag).toBe("BadRequest")

      const offer = yield* conversations.offerRating({ conversationId: csid, body: { ratingType: "Csat" } })
      expect(offer).toMatchObject({ userId: requester!.id, agentId: agent.id, ratingType: "Csat" })
      const outOfRange = yield* Effect.flip(conversations.submitRating({
        conversationId: csid,
        ratingId: offer.id,
        body: { ratingResult: { _type: "Csat", value: 6 } }
      }))
      expect(outOfRange._tag).toBe("BadRequest")
      const result = yield* conversations.submitRating({
        conversationId: csid,
        ratingId: offer.id,
        body: { ratingResult: { _type: "Csat", value: 4 }, comment: "Fine" }
      })
      expect(result).toMatchObject({ ratingId: offer.id, ratingResult: { _type: "Csat", value: 4 }, comment: "Fine" })
      const ratings = yield* conversations.listRatings({ conversationId: csid })
      expect(ratings).toMatchObject([{ id: offer.id, ratingStatus: "Rated", ratingScore: 4, ratingComment: "Fine" }])
      expect(yield* conversations.listRatingsLegacy({ conversationId: csid })).toEqual(ratings)

      const definitions = yield* env.bind(CustomAttributes.CustomAttributesApi).list()
      const parcel = definitions.find((d) => d.identifier === "parcel_id")!
      const attributes = yield* conversations.patchCustomAttributes({
        conversationId: csid,
        body: { [parcel.id]: "PX-1234" }
      })
      expect(attributes).toMatchObject([{ id: parcel.id, identifier: "parcel_id", value: "PX-1234" }])
      expect((yield* conversations.get({ conversationId: csid })).customAttributes).toEqual(attributes)
      const contactAttribute = definitions.find((d) => d.entityType === "Contact")!
      const wrongEntity = yield* Effect.flip(
        conversations.patchCustomAttributes({ conversationId: csid, body: { [contactAttribute.id]: "x" } })
      )
      expect(wrongEntity._tag).toBe("BadRequest")

      const phoneFlows = yield* conversations.listFlows()
      expect(phoneFlows.length).toBeGreaterThan(0)
      expect(phoneFlows.every((f) => f.channel === "PstnPhone")).toBe(true)
      expect((yield* conversations.listFlows({ channel: "Email" })).map((f) => f.channel)).toEqual(["Email"])
      expect((yield* Effect.flip(conversations.listFlows({ channel: "Carrier pigeon" })))._tag).toBe("BadRequest")

      const missing = yield* Effect.flip(conversations.get({ conversationId: conversationId(99999) }))
      expect(missing._tag).toBe("NotFound")
      const noRequester = yield* Effect.flip(conversations.create({
        body: {
          _type: "Chat",
          requesterId: "00000000-0000-4000-8000-000000000001" as Model.UserId,
          widgetId: "00000000-0000-4000-8000-000000000002",
          message: { _type: "Inbound", content: { _type: "Text", value: "hello" } }
        }
      }))
      expect(noRequester._tag).toBe("NotFound")
    }))
})
