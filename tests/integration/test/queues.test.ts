import { expect, it } from "@effect/vitest"
import { Agents, Conversations, EndUsers, Model, Queues } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { describeTargets, start } from "./support.js"

/** The sandbox's rate limit is off: this suite is about what the operations do (see conversations.test.ts). */
const options = { rateLimit: false } as const

describeTargets("queues", (target) => {
  it.scopedLive("create, get, list, members, availability", () =>
    Effect.gen(function*() {
      const env = yield* start(target, options)
      const queues = env.bind(Queues.QueuesApi)
      const seeded = yield* queues.list()
      expect(seeded.map((q) => q.name)).toEqual(["Support", "Billing", "VIP"])
      expect(seeded.filter((q) => q.isDefault).map((q) => q.name)).toEqual(["Support"])

      const created = yield* queues.create({
        body: {
          request: {
            name: "Returns",
            callFunctionality: false,
            isDefault: true,
            isDoNotOfferEnabled: false,
            offerTimeout: 20,
            queueThresholds: { WaitingConversations: 5 }
          }
        }
      })
      expect(created).toMatchObject({ name: "Returns", isDefault: true, offerTimeout: 20 })
      const queueId = created.id as Model.QueueId
      expect(yield* queues.get({ queueId })).toEqual(created)
      const after = yield* queues.list()
      expect(after.filter((q) => q.isDefault).map((q) => q.name)).toEqual(["Returns"])
      // Queue names need not be unique: the spec asks for none to be.
      const namesake = yield* queues.create({
        body: { request: { name: "returns", callFunctionality: false, isDefault: false, isDoNotOfferEnabled: false } }
      })
      expect(namesake.id).not.toBe(created.id)

      const agents = (yield* env.bind(Agents.AgentsApi).list()).data
      const [first, second] = agents.map((a) => a.id as Model.AgentId)
      const nobody = "00000000-0000-4000-8000-000000000000" as Model.AgentId
      const outcomes = yield* queues.addMembers({ queueId, body: { agentIds: [first!, second!, nobody] } })
      expect(outcomes.map((o) => o._type)).toEqual(["BulkActionSuccess", "BulkActionSuccess", "BulkActionFailure"])
      const members = yield* queues.listMembers({ queueId })
      expect(members.map((m) => m.agentId)).toEqual([first, second])
      yield* queues.removeMembers({ queueId, body: { agentIds: [first!] } })
      expect((yield* queues.listMembers({ queueId })).map((m) => m.agentId)).toEqual([second])

      // Nobody in an empty queue works, so it cannot take a conversation from a bot.
      const vip = after.find((q) => q.name === "VIP")!
      const availability = yield* queues.getAvailability({ queueId: vip.id as Model.QueueId })
      expect(availability.length).toBeGreaterThan(0)
      for (const outcome of availability) {
        expect(outcome).toMatchObject({
          _type: "Success",
          channelAvailability: { availability: "NotAvailable", queueSize: 0 }
        })
      }

      const missing = "00000000-0000-4000-8000-0000000000aa" as Model.QueueId
      expect((yield* Effect.flip(queues.get({ queueId: missing })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(queues.listMembers({ queueId: missing })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(queues.getAvailability({ queueId: missing })))._tag).toBe("BadRequest")
    }))

  it.scopedLive("a waiting conversation's position follows the queue as conversations arrive and leave", () =>
    Effect.gen(function*() {
      const env = yield* start(target, options)
      const queues = env.bind(Queues.QueuesApi)
      const conversations = env.bind(Conversations.ConversationsApi)
      const [requester] = (yield* env.bind(EndUsers.EndUsersApi).list()).data
      const support = (yield* queues.list()).find((q) => q.name === "Support")!
      const queueId = support.id as Model.QueueId

      // Seeded: 1001 sits in Support but is assigned, 1003 is pending: neither waits for an agent.
      for (const seeded of [1001, 1003]) {
        const notWaiting = yield* Effect.flip(queues.getConversationPosition({ csid: seeded as Model.ConversationId }))
        expect(notWaiting._tag).toBe("NotFound")
      }

      const chat = (text: string) =>
        Effect.map(
          conversations.create({
            body: {
              _type: "Chat",
              requesterId: requester!.id as Model.UserId,
              widgetId: "00000000-0000-4000-8000-000000000002",
              message: { _type: "Inbound", content: { _type: "Text", value: text } }
            }
          }),
          ({ id }) => id as Model.ConversationId
        )
      const first = yield* chat("Anyone there?")
      const second = yield* chat("Hello?")
      expect((yield* queues.getConversationPosition({ csid: first })).position).toBe(1)
      expect((yield* queues.getConversationPosition({ csid: second })).position).toBe(2)
      const availability = yield* queues.getAvailability({ queueId })
      expect(availability.map((o) => (o as Queues.Success).channelAvailability.queueSize)).toEqual([2, 2])

      const agentId = (yield* env.bind(Agents.AgentsApi).list()).data[1]!.id as Model.AgentId
      yield* conversations.claim({ conversationId: first, body: { agentId } })
      expect((yield* queues.getConversationPosition({ csid: second })).position).toBe(1)
      const taken = yield* Effect.flip(queues.getConversationPosition({ csid: first }))
      expect(taken._tag).toBe("NotFound")
      yield* conversations.close({ conversationId: second })
      const closed = yield* Effect.flip(queues.getConversationPosition({ csid: second }))
      expect(closed._tag).toBe("NotFound")
    }))
})
