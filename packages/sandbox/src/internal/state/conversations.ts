/**
 * Conversations as the sandbox keeps them: Dixa's own view of each, its messages and tags, and the
 * extras (internal notes, ratings, a follow-up) that other operations read; also the tags themselves
 * and the organization's flows.
 */
import type { Common } from "@org/dixa-core"
import type * as Schema from "effect/Schema"
import type * as Types from "effect/Types"

/** The members of a `_type` union that the SDK names, without the catch-all for kinds added later. */
type Known<U> = U extends { readonly _type: infer T } ? string extends T ? never : U : U

/** A conversation as Dixa sends it (`_type`, `id`, `state`, ...); handlers change its fields in place. */
export type ConversationData = Types.Mutable<Known<Schema.Schema.Encoded<typeof Common.Conversation>>>

export interface Message {
  id: string
  authorId: string
  createdAt: string
  text: string
  anonymizedAt?: string
  /** The sender's own id for the message, when given. */
  externalId?: string
}

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

export interface Conversation {
  data: ConversationData
  messages: Array<Message>
  /** The ids of the tags on the conversation. */
  tagIds?: Array<string>
  /** Notes, ratings and follow-up (absent in older state files). */
  extras?: ConversationExtras
}

/** A label that can be put on conversations. */
export interface Tag {
  id: string
  name: string
  color?: string
  state: "Active" | "Inactive"
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

/** The agent a conversation is assigned to and since when, if anyone. */
export const assignmentOf = (data: ConversationData) => "assignment" in data ? data.assignment : undefined

/** The queue a conversation waits (or waited) in, if any. */
export const queueOf = (data: ConversationData) => "queue" in data ? data.queue : undefined

/** The subject of an email or contact-form conversation. */
export const subjectOf = (data: ConversationData) => "subject" in data ? data.subject : undefined
