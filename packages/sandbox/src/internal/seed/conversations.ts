/**
 * What conversations carry beyond their messages and tags: internal notes, rating offers and results,
 * follow-ups, the activity log written by every conversation operation, and the organization's flows.
 */
import * as Prng from "../prng.js"
import type { Conversation, State } from "../state.js"
import { seedQueues } from "./queues.js"

/** An internal note left by an agent. */
export interface Note {
  id: string
  authorId: string
  createdAt: string
  message: string
}

/** A rating offered to the end user, and their answer once submitted. */
export interface Rating {
  id: string
  userId: string
  agentId: string
  ratingType: string
  offeredAt: string
  status: "Offered" | "Rated"
  /** The answer's `_type` (`Csat`, `Nps`, `ThumbsUpOrDown`) and value. */
  result?: { _type: string; value: number }
  comment?: string
  submittedAt?: string
  submittedBy?: string
}

/** The sandbox's extras on a conversation; absent in state files written before they existed. */
export interface ConversationExtras {
  notes: Array<Note>
  ratings: Array<Rating>
  /** When the conversation was snoozed until, if it was. */
  followUpAt?: string
}

/** Who did something, as the activity log names them. */
export interface ActivityUser {
  id: string
  name?: string
  email?: string
  phoneNumber?: string
}

/** One step in a conversation's history, as Dixa sends it. */
export interface ActivityEntry {
  id: string
  conversationId: number
  activityTimestamp: string
  activityType: string
  _type: string
  author?: ActivityUser
  attributes?: Record<string, unknown>
}

/** A conversation flow (IVR, chat bot, email routing) as Dixa sends it. */
export interface Flow {
  id: string
  name: string
  channel: string
  contactEndpointId: string
}

/** The extras of a conversation, created empty when missing. */
export const extrasOf = (conversation: Conversation): ConversationExtras =>
  conversation.extras ?? (conversation.extras = { notes: [], ratings: [] })

/** The activity log of a state, created empty when missing. */
export const activityLogOf = (state: People): Array<ActivityEntry> => state.activityLog ?? (state.activityLog = [])

/** The part of the state the activity log needs. */
type People = Pick<State, "agents" | "endUsers" | "activityLog">

/** The agent or end user with this id, as the activity log shows them. */
export const activityUser = (state: People, id: string): ActivityUser => {
  const agent = state.agents.find((a) => a.id === id)
  if (agent !== undefined) {
    return {
      id,
      name: agent.displayName,
      email: agent.email,
      ...(agent.phoneNumber === undefined ? {} : { phoneNumber: agent.phoneNumber })
    }
  }
  const user = state.endUsers.find((u) => u.id === id)
  if (user === undefined) return { id }
  return {
    id,
    name: user.displayName,
    ...(user.email === undefined ? {} : { email: user.email }),
    ...(user.phoneNumber === undefined ? {} : { phoneNumber: user.phoneNumber })
  }
}

/**
 * Appends a step to the activity log. `type` is the modern `_type` (e.g. `NoteAdded`); the older
 * `activityType` is derived from it.
 */
export const logActivity = (
  state: People,
  rng: Prng.Rng,
  entry: {
    readonly conversationId: number
    readonly at: string
    readonly type: string
    readonly authorId?: string | undefined
    readonly attributes?: Record<string, unknown>
  }
): ActivityEntry => {
  const known = legacyTypes[entry.type]
  const logged: ActivityEntry = {
    id: rng.uuid(),
    conversationId: entry.conversationId,
    activityTimestamp: entry.at,
    activityType: known ?? "UnknownActivityType",
    _type: entry.type,
    ...(entry.authorId === undefined ? {} : { author: activityUser(state, entry.authorId) }),
    ...(entry.attributes === undefined ? {} : { attributes: entry.attributes })
  }
  activityLogOf(state).push(logged)
  return logged
}

const legacyTypes: Record<string, string> = {
  ConversationAssigned: "ConversationAssignedActivityType",
  ConversationClaimed: "ConversationClaimedActivityType",
  ConversationClosed: "ConversationClosedActivityType",
  ConversationCreatedByAgent: "ConversationCreatedByAgentActivityType",
  ConversationCreatedByCustomer: "ConversationCreatedByCustomerActivityType",
  ConversationRated: "ConversationRatedActivityType",
  ConversationRatingOffered: "ConversationRatingOfferedActivityType",
  ConversationReopened: "ConversationReopenedActivityType",
  ConversationUnassigned: "ConversationUnassignedActivityType",
  FollowupAdded: "FollowupAddedActivityType",
  FollowupExpired: "FollowupExpiredActivityType",
  MessageAddedByAgent: "MessageAddedByAgentActivityType",
  MessageAddedByCustomer: "MessageAddedByCustomerActivityType",
  NoteAdded: "NoteAddedActivityType",
  TagAdded: "TagAddedActivityType",
  TagRemoved: "TagRemovedActivityType",
  TransferSuccessful: "TransferSuccessfulActivityType"
}

/**
 * Queues, flows, notes, a rating and the activity log of the seeded conversations. Ids come from
 * their own generator streams, so the ids seeded before stay as they were.
 */
export const seedConversations = (
  seedValue: number,
  world: Pick<State, "organization" | "apiUserId" | "agents" | "tags" | "endUsers" | "conversations">
): Required<Pick<State, "queues" | "activityLog" | "flows">> => {
  const state = { ...world, activityLog: [] as Array<ActivityEntry> }
  const queues = seedQueues(world, Prng.fromCell({ rng: Prng.seedState(seedValue, 11) }))
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 10) })
  const admin = state.apiUserId
  const flows = [
    { id: rng.uuid(), name: "Main phone line", channel: "PstnPhone", contactEndpointId: "+4570000000" },
    { id: rng.uuid(), name: "After-hours voicemail", channel: "PstnPhone", contactEndpointId: "+4570000001" },
    { id: rng.uuid(), name: "Website chat", channel: "WidgetChat", contactEndpointId: "sandbox-widget" },
    { id: rng.uuid(), name: "Support inbox", channel: "Email", contactEndpointId: "support@sandbox.example" }
  ]
  for (const conversation of state.conversations) {
    const d = conversation.data
    const id = d["id"] as number
    const requesterId = d["requesterId"] as string
    logActivity(state, rng, {
      conversationId: id,
      at: d["createdAt"] as string,
      type: "ConversationCreatedByCustomer",
      authorId: requesterId,
      ...(typeof d["subject"] === "string" ? { attributes: { subject: d["subject"] } } : {})
    })
    const assignment = d["assignment"] as { agentId: string; assignedAt: string } | undefined
    if (assignment !== undefined) {
      logActivity(state, rng, {
        conversationId: id,
        at: assignment.assignedAt,
        type: "ConversationAssigned",
        authorId: admin,
        attributes: { agentId: assignment.agentId, agentName: activityUser(state, assignment.agentId).name }
      })
    }
    for (const message of conversation.messages) {
      logActivity(state, rng, {
        conversationId: id,
        at: message.createdAt,
        type: message.authorId === requesterId ? "MessageAddedByCustomer" : "MessageAddedByAgent",
        authorId: message.authorId,
        attributes: { messageId: message.id }
      })
    }
    for (const tagId of conversation.tagIds ?? []) {
      const tag = state.tags.find((t) => t.id === tagId)
      if (tag === undefined) continue
      const at = d["createdAt"] as string
      logActivity(state, rng, { conversationId: id, at, type: "TagAdded", attributes: { tag: tag.name } })
    }
    if (d["state"] === "Closed") {
      const at = d["stateUpdatedAt"] as string
      logActivity(state, rng, { conversationId: id, at, type: "ConversationClosed", authorId: admin })
    }
  }
  // An internal note on the open chat, and a rating answered on the closed email.
  const chat = state.conversations[0]
  const closedEmail = state.conversations[1]
  const agentOf = (c: Conversation | undefined) =>
    c?.messages.find((m) => m.authorId !== c.data["requesterId"])?.authorId ?? admin
  if (chat !== undefined) {
    const at = new Date(Date.parse(chat.data["createdAt"] as string) + 4 * 60_000).toISOString()
    const message = "Customer was billed twice in January."
    const note: Note = { id: rng.uuid(), authorId: agentOf(chat), createdAt: at, message }
    extrasOf(chat).notes.push(note)
    logActivity(state, rng, {
      conversationId: chat.data["id"] as number,
      at,
      type: "NoteAdded",
      authorId: note.authorId,
      attributes: { message: note.message }
    })
  }
  if (closedEmail !== undefined) {
    const closedAt = Date.parse(closedEmail.data["stateUpdatedAt"] as string)
    const agentId = agentOf(closedEmail)
    const userId = closedEmail.data["requesterId"] as string
    extrasOf(closedEmail).ratings.push({
      id: rng.uuid(),
      userId,
      agentId,
      ratingType: "Csat",
      offeredAt: new Date(closedAt + 60_000).toISOString(),
      status: "Rated",
      result: { _type: "Csat", value: 5 },
      comment: "Quick and friendly.",
      submittedAt: new Date(closedAt + 30 * 60_000).toISOString(),
      submittedBy: userId
    })
  }
  state.activityLog.sort((a, b) => a.activityTimestamp.localeCompare(b.activityTimestamp))
  return { queues, activityLog: state.activityLog, flows }
}
