/**
 * The sandbox's whole world as plain JSON: what Dixa would send on the wire, plus the little
 * bookkeeping the fake needs. Being plain data, it can be written to a file and read back.
 */
import * as Prng from "./prng.js"
import { type ActivityEntry, type ConversationExtras, type Flow, seedConversations } from "./seed/conversations.js"
import { type Knowledge, seedKnowledge } from "./seed/knowledge.js"
import type { Queue } from "./seed/queues.js"
import {
  type ContactEndpoint,
  type CustomAttributeDefinition,
  type Schedule,
  seedSetup,
  type Template
} from "./seed/setup.js"
import { seedWebhooks, type Webhooks } from "./seed/webhooks.js"

/** An agent or admin, as Dixa sends it. */
export interface Agent {
  id: string
  createdAt: string
  displayName: string
  email: string
  avatarUrl?: string
  phoneNumber?: string
  additionalEmails: Array<string>
  additionalPhoneNumbers: Array<string>
  firstName?: string
  lastName?: string
  middleNames: Array<string>
  roles: Array<string>
}

/** What the sandbox remembers of an agent's presence; `requestTime` is filled in when read. */
export interface Presence {
  userId: string
  lastSeen?: string
  presenceStatus?: string
  connectionStatus: string
  activeChannels: Array<string>
}

export interface Team {
  id: string
  name: string
  agentIds: Array<string>
}

export interface Tag {
  id: string
  name: string
  color?: string
  state: "Active" | "Inactive"
}

export interface EndUser {
  id: string
  displayName: string
  /** Gone once the end user is anonymized. */
  email?: string
  /** Absent in state files written before it was recorded. */
  createdAt?: string
  phoneNumber?: string
  additionalEmails?: Array<string>
  additionalPhoneNumbers?: Array<string>
  firstName?: string
  lastName?: string
  middleNames?: Array<string>
  avatarUrl?: string
  externalId?: string
  /** Custom attribute values by definition id. */
  customAttributes?: Record<string, string | Array<string>>
}

export interface Message {
  id: string
  authorId: string
  createdAt: string
  text: string
  anonymizedAt?: string
  /** The sender's own id for the message, when given. */
  externalId?: string
}

export interface Conversation {
  /** The conversation as Dixa sends it (`_type`, `id`, `state`, ...). */
  data: Record<string, unknown>
  messages: Array<Message>
  /** The ids of the tags on the conversation. */
  tagIds?: Array<string>
  /** Notes, ratings and follow-up (absent in older state files). */
  extras?: ConversationExtras
}

export interface AnonymizationRequest {
  id: string
  _type: "Conversation" | "Message" | "User"
  entityType: string
  initiatedAt: string
  targetEntityId: string
  requestedBy: string
  processedAt?: string
  /** When (epoch ms) the request completes; applied lazily when anything reads the state. */
  completesAt: number
}

export interface State {
  version: 1
  seed: number
  /** The generator state for ids minted at run time. */
  rng: number
  organization: { id: string; name: string; subdomain: string; status: string }
  /** The agent the API token acts as (`requestedBy` of anonymization requests). */
  apiUserId: string
  agents: Array<Agent>
  presence: Record<string, Presence>
  teams: Array<Team>
  tags: Array<Tag>
  endUsers: Array<EndUser>
  conversations: Array<Conversation>
  anonymizationRequests: Array<AnonymizationRequest>
  /** The next conversation id. */
  nextConversationId: number
  /** Routing queues (absent in older state files). */
  queues?: Array<Queue>
  /** Every conversation's activity, oldest first (absent in older state files). */
  activityLog?: Array<ActivityEntry>
  /** Conversation flows (absent in older state files). */
  flows?: Array<Flow>
  /** The knowledge base (absent in state files written before it existed). */
  knowledge?: Knowledge
  /** Webhook subscriptions and their delivery log. */
  webhooks?: Webhooks
  /** Custom attribute definitions (this and the three below are absent in older state files). */
  customAttributes?: Array<CustomAttributeDefinition>
  contactEndpoints?: Array<ContactEndpoint>
  templates?: Array<Template>
  /** Business-hours schedules. */
  schedules?: Array<Schedule>
}

/** Whether a value read from a file looks like a sandbox state. */
export const isState = (u: unknown): u is State => {
  if (typeof u !== "object" || u === null) return false
  const s = u as Partial<State>
  return s.version === 1 && typeof s.rng === "number" && Array.isArray(s.agents) && Array.isArray(s.tags) &&
    Array.isArray(s.conversations) && Array.isArray(s.anonymizationRequests) && typeof s.presence === "object" &&
    Array.isArray(s.teams) && typeof s.organization === "object"
}

const base = Date.parse("2024-01-15T09:00:00Z")
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString()

const people: ReadonlyArray<readonly [string, string]> = [
  ["Ada", "Lovelace"],
  ["Grace", "Hopper"],
  ["Alan", "Turing"],
  ["Katherine", "Johnson"],
  ["Edsger", "Dijkstra"],
  ["Barbara", "Liskov"]
]

const channels = ["Email", "WidgetChat", "PstnPhone", "FacebookMessenger"]

/**
 * The demo organization for a seed: an admin (the token's user), six named agents, `extraAgents`
 * numbered agents, two teams, four tags (one inactive), three end users and four conversations in
 * different states, each with messages. The same seed always gives the same ids.
 */
export const seed = (seedValue: number, extraAgents: number): State => {
  // Separate streams, so that the number of extra agents does not shift any other id.
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 0) })
  const extraRng = Prng.fromCell({ rng: Prng.seedState(seedValue, 1) })
  const runtime = { rng: Prng.seedState(seedValue, 2) }
  const organization = { id: rng.uuid(), name: "Sandbox Organization", subdomain: "sandbox", status: "Active" }
  const agents: Array<Agent> = []
  const presence: Record<string, Presence> = {}
  const addAgent = (agent: Omit<Agent, "id">, rng: Prng.Rng): Agent => {
    const full = { id: rng.uuid(), ...agent }
    agents.push(full)
    const online = rng.float() < 0.6
    presence[full.id] = {
      userId: full.id,
      lastSeen: at(600 + rng.int(600)),
      presenceStatus: online ? rng.pick(["Working", "Away"]) : "Away",
      connectionStatus: online ? "Online" : "Offline",
      activeChannels: online ? channels.filter(() => rng.float() < 0.5) : []
    }
    return full
  }
  const admin = addAgent({
    createdAt: at(0),
    displayName: "Sandbox Admin",
    email: "admin@sandbox.example",
    additionalEmails: [],
    additionalPhoneNumbers: [],
    middleNames: [],
    roles: ["Admin"]
  }, rng)
  people.forEach(([firstName, lastName], i) =>
    addAgent({
      createdAt: at(10 + i),
      displayName: `${firstName} ${lastName}`,
      email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@sandbox.example`,
      phoneNumber: `+452000000${i + 1}`,
      additionalEmails: [],
      additionalPhoneNumbers: [],
      firstName,
      lastName,
      middleNames: [],
      roles: ["Agent"]
    }, rng)
  )
  const named = agents.slice(1, 1 + people.length)
  for (let i = 1; i <= extraAgents; i++) {
    const n = String(i).padStart(4, "0")
    addAgent({
      createdAt: at(100 + i),
      displayName: `Agent ${n}`,
      email: `agent${n}@sandbox.example`,
      additionalEmails: [],
      additionalPhoneNumbers: [],
      middleNames: [],
      roles: ["Agent"]
    }, extraRng)
  }
  const teams: Array<Team> = [
    { id: rng.uuid(), name: "Support", agentIds: named.slice(0, 4).map((a) => a.id) },
    { id: rng.uuid(), name: "Escalations", agentIds: named.slice(2, 6).map((a) => a.id) }
  ]
  const tags: Array<Tag> = [
    { id: rng.uuid(), name: "billing", color: "#1f77b4", state: "Active" },
    { id: rng.uuid(), name: "bug", color: "#d62728", state: "Active" },
    { id: rng.uuid(), name: "vip", state: "Active" },
    { id: rng.uuid(), name: "legacy", state: "Inactive" }
  ]
  const endUsers: Array<EndUser> = ["Maria Jensen", "Ole Hansen", "Sofia Berg"].map((displayName, i) => ({
    id: rng.uuid(),
    displayName,
    email: `${displayName.split(" ")[0]!.toLowerCase()}@customer.example`,
    createdAt: at(30 + i)
  }))
  const queueId = rng.uuid()
  const message = (authorId: string, minutes: number, text: string): Message => ({
    id: rng.uuid(),
    authorId,
    createdAt: at(minutes),
    text
  })
  const conversations: Array<Conversation> = [
    {
      data: {
        _type: "ChatConversation",
        id: 1001,
        requesterId: endUsers[0]!.id,
        channel: "WidgetChat",
        createdAt: at(60),
        direction: "Inbound",
        state: "Open",
        stateUpdatedAt: at(60),
        assignment: { agentId: named[0]!.id, assignedAt: at(62) },
        queue: { id: queueId, queuedAt: at(61) },
        language: "en"
      },
      messages: [
        message(endUsers[0]!.id, 60, "Hi, my invoice looks wrong."),
        message(named[0]!.id, 63, "Let me have a look."),
        message(endUsers[0]!.id, 65, "Thanks!")
      ],
      tagIds: [tags[0]!.id]
    },
    {
      data: {
        _type: "EmailConversation",
        id: 1002,
        requesterId: endUsers[1]!.id,
        channel: "Email",
        createdAt: at(120),
        direction: "Inbound",
        state: "Closed",
        stateUpdatedAt: at(300),
        toEmail: "support@sandbox.example",
        fromEmail: endUsers[1]!.email,
        integrationEmail: "support@sandbox.example",
        subject: "Password reset",
        language: "en"
      },
      messages: [
        message(endUsers[1]!.id, 120, "I cannot log in."),
        message(named[1]!.id, 200, "A reset link is on its way.")
      ]
    },
    {
      data: {
        _type: "EmailConversation",
        id: 1003,
        requesterId: endUsers[2]!.id,
        channel: "Email",
        createdAt: at(400),
        direction: "Inbound",
        state: "Pending",
        stateUpdatedAt: at(420),
        toEmail: "support@sandbox.example",
        fromEmail: endUsers[2]!.email,
        integrationEmail: "support@sandbox.example",
        subject: "Order status",
        queue: { id: queueId, queuedAt: at(401) }
      },
      messages: [message(endUsers[2]!.id, 400, "Where is my order?")]
    },
    {
      data: {
        _type: "ChatConversation",
        id: 1004,
        requesterId: endUsers[0]!.id,
        channel: "WidgetChat",
        createdAt: at(500),
        direction: "Inbound",
        state: "Closed",
        stateUpdatedAt: at(530)
      },
      messages: [message(endUsers[0]!.id, 500, "Never mind, solved it."), message(named[2]!.id, 510, "Great!")]
    }
  ]
  return {
    version: 1,
    seed: seedValue,
    rng: runtime.rng,
    organization,
    apiUserId: admin.id,
    agents,
    presence,
    teams,
    tags,
    endUsers,
    conversations,
    anonymizationRequests: [],
    nextConversationId: 1005,
    ...seedConversations(seedValue, { organization, apiUserId: admin.id, agents, tags, endUsers, conversations }),
    knowledge: seedKnowledge(seedValue, admin.id),
    webhooks: seedWebhooks(seedValue, admin.id),
    ...seedSetup(seedValue, { apiUserId: admin.id, agents, endUsers })
  }
}
