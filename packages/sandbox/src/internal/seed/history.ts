/**
 * What the seeded conversations carry beyond their messages: the routing queues, the organization's
 * flows, every conversation's activity log, an internal note and an answered rating.
 */
import * as Prng from "../prng.js"
import type { ActivityEntry, Conversation, Flow, State } from "../state.js"
import { activityUser, logActivity } from "../state/activity.js"
import { assignmentOf, extrasOf, subjectOf } from "../state/conversations.js"
import { seedQueues } from "./queues.js"

type World = Pick<State, "organization" | "apiUserId" | "agents" | "tags" | "endUsers" | "conversations">
type Log = Pick<State, "agents" | "endUsers"> & { activityLog: Array<ActivityEntry> }

const seedFlows = (rng: Prng.Rng): Array<Flow> => [
  { id: rng.uuid(), name: "Main phone line", channel: "PstnPhone", contactEndpointId: "+4570000000" },
  { id: rng.uuid(), name: "After-hours voicemail", channel: "PstnPhone", contactEndpointId: "+4570000001" },
  { id: rng.uuid(), name: "Website chat", channel: "WidgetChat", contactEndpointId: "sandbox-widget" },
  { id: rng.uuid(), name: "Support inbox", channel: "Email", contactEndpointId: "support@sandbox.example" }
]

type Step = Parameters<typeof logActivity>[2]

const messageStep = (conversation: Conversation, message: Conversation["messages"][number]): Step => ({
  conversationId: conversation.data.id,
  at: message.createdAt,
  type: message.authorId === conversation.data.requesterId ? "MessageAddedByCustomer" : "MessageAddedByAgent",
  authorId: message.authorId,
  attributes: { messageId: message.id }
})

/** How a seeded conversation came to be as it is: created, assigned, written in, tagged, closed. */
const historyOf = (log: Log, world: World, conversation: Conversation): Array<Step> => {
  const { createdAt, id, requesterId, state, stateUpdatedAt } = conversation.data
  const subject = subjectOf(conversation.data)
  const assignment = assignmentOf(conversation.data)
  const tags = (conversation.tagIds ?? []).flatMap((tagId) => world.tags.find((t) => t.id === tagId) ?? [])
  const admin = world.apiUserId
  return [
    {
      conversationId: id,
      at: createdAt,
      type: "ConversationCreatedByCustomer",
      authorId: requesterId,
      ...(subject === undefined ? {} : { attributes: { subject } })
    },
    ...(assignment === undefined ? [] : [{
      conversationId: id,
      at: assignment.assignedAt,
      type: "ConversationAssigned",
      authorId: admin,
      attributes: { agentId: assignment.agentId, agentName: activityUser(log, assignment.agentId).name }
    }]),
    ...conversation.messages.map((message) => messageStep(conversation, message)),
    ...tags.map((tag) => ({ conversationId: id, at: createdAt, type: "TagAdded", attributes: { tag: tag.name } })),
    ...(state === "Closed"
      ? [{ conversationId: id, at: stateUpdatedAt!, type: "ConversationClosed", authorId: admin }]
      : [])
  ]
}

/** The first agent who wrote in a conversation, else the admin. */
const agentOf = (conversation: Conversation, admin: string) =>
  conversation.messages.find((m) => m.authorId !== conversation.data.requesterId)?.authorId ?? admin

/** An internal note on the open chat, four minutes in. */
const noteOn = (log: Log, rng: Prng.Rng, chat: Conversation, admin: string) => {
  const at = new Date(Date.parse(chat.data.createdAt) + 4 * 60_000).toISOString()
  const note = {
    id: rng.uuid(),
    authorId: agentOf(chat, admin),
    createdAt: at,
    message: "Customer was billed twice in January."
  }
  extrasOf(chat).notes.push(note)
  logActivity(log, rng, {
    conversationId: chat.data.id,
    at,
    type: "NoteAdded",
    authorId: note.authorId,
    attributes: { message: note.message }
  })
}

/** A CSAT rating of 5, offered a minute after the closed email was closed and answered half an hour later. */
const rateOn = (rng: Prng.Rng, closed: Conversation, admin: string) => {
  const closedAt = Date.parse(closed.data.stateUpdatedAt!)
  const userId = closed.data.requesterId
  extrasOf(closed).ratings.push({
    id: rng.uuid(),
    userId,
    agentId: agentOf(closed, admin),
    ratingType: "Csat",
    offeredAt: new Date(closedAt + 60_000).toISOString(),
    status: "Rated",
    result: { _type: "Csat", value: 5 },
    comment: "Quick and friendly.",
    submittedAt: new Date(closedAt + 30 * 60_000).toISOString(),
    submittedBy: userId
  })
}

/**
 * Queues, flows, notes, a rating and the activity log of the seeded conversations. Ids come from
 * their own generator streams (11 for the queues, 10 for the rest), so the ids seeded before stay as
 * they were.
 */
export const seedHistory = (
  seedValue: number,
  world: World
): Required<Pick<State, "queues" | "activityLog" | "flows">> => {
  const log: Log = { agents: world.agents, endUsers: world.endUsers, activityLog: [] }
  const queues = seedQueues(world, Prng.fromCell({ rng: Prng.seedState(seedValue, 11) }))
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 10) })
  const flows = seedFlows(rng)
  for (const conversation of world.conversations) {
    for (const step of historyOf(log, world, conversation)) logActivity(log, rng, step)
  }
  // The note goes on the open chat, the rating on the closed email.
  const [chat, closedEmail] = world.conversations
  if (chat !== undefined) noteOn(log, rng, chat, world.apiUserId)
  if (closedEmail !== undefined) rateOn(rng, closedEmail, world.apiUserId)
  log.activityLog.sort((a, b) => a.activityTimestamp.localeCompare(b.activityTimestamp))
  return { queues, activityLog: log.activityLog, flows }
}
