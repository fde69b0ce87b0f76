/**
 * The activity log: every step in every conversation's history, written by the operations that take
 * it, and how its entries name the people involved.
 */
import type * as Prng from "../prng.js"
import type { Agent, EndUser } from "./people.js"

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

/** The part of the state the activity log needs. */
interface People {
  readonly agents: ReadonlyArray<Agent>
  readonly endUsers: ReadonlyArray<EndUser>
  activityLog?: Array<ActivityEntry>
}

/** The activity log of a state, created empty when missing. */
export const activityLogOf = (state: People): Array<ActivityEntry> => state.activityLog ?? (state.activityLog = [])

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
