/**
 * What analytics reads from a conversation: its channel, direction, queue, assignee, tags, first answer
 * and ratings, with times as epoch milliseconds.
 */
import { Model } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import type { Conversation, Rating } from "../../internal/state.js"
import { assignmentOf, queueOf } from "../../internal/state/conversations.js"

/** `WidgetChat` → `WIDGET_CHAT`, as analytics spells enum values. */
export const upperSnake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()

/** A label for an upper-snake value: `WIDGET_CHAT` → `Widget chat`. */
export const labelOf = (value: string) => {
  const words = value.toLowerCase().split("_").join(" ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** The facts analytics reads from one conversation. */
export interface Facts {
  readonly csid: number
  readonly createdAt: number
  readonly closedAt: number | undefined
  readonly channel: string
  readonly direction: string
  readonly queueId: string | undefined
  readonly agentId: string | undefined
  readonly requesterId: string
  readonly tagIds: ReadonlyArray<string>
  readonly contactPoint: string | undefined
  /** Seconds from creation to the first message by someone other than the requester. */
  readonly firstResponseSeconds: number | undefined
  readonly firstResponseAt: number | undefined
  readonly firstResponderId: string | undefined
  readonly ratings: ReadonlyArray<Rating>
}

/** The epoch milliseconds of a Dixa date-time, or `undefined` when it is none. */
export const millisOf = (value: string | undefined): number | undefined =>
  value === undefined
    ? undefined
    : Option.getOrUndefined(Option.map(Model.parseDixaDateTime(value), DateTime.toEpochMillis))

/** The first message by someone other than the requester, at or after the creation. */
const firstResponse = (conversation: Conversation, createdAt: number) =>
  conversation.messages
    .filter((m) => m.authorId !== conversation.data.requesterId)
    .map((m) => ({ at: millisOf(m.createdAt), authorId: m.authorId }))
    .filter((m): m is { at: number; authorId: string } => m.at !== undefined && m.at >= createdAt)
    .sort((a, b) => a.at - b.at)[0]

/** Where the customer reached the organization: the mailbox or number written to. */
const contactPointOf = (data: Conversation["data"]) =>
  ("toEmail" in data ? data.toEmail : undefined) ?? ("integrationEmail" in data ? data.integrationEmail : undefined) ??
    ("toNumber" in data ? data.toNumber : undefined)

/** The facts of a conversation; none when its creation time cannot be read. */
export const factsOf = (conversation: Conversation): Facts | undefined => {
  const d = conversation.data
  const createdAt = millisOf(d.createdAt)
  if (createdAt === undefined) return undefined
  const first = firstResponse(conversation, createdAt)
  return {
    csid: d.id,
    createdAt,
    closedAt: d.state === "Closed" ? millisOf(d.stateUpdatedAt) : undefined,
    channel: upperSnake(d.channel),
    direction: d.direction?.toUpperCase() ?? "INBOUND",
    queueId: queueOf(d)?.id,
    agentId: assignmentOf(d)?.agentId,
    requesterId: d.requesterId,
    tagIds: conversation.tagIds ?? [],
    contactPoint: contactPointOf(d),
    firstResponseSeconds: first === undefined ? undefined : (first.at - createdAt) / 1000,
    firstResponseAt: first?.at,
    firstResponderId: first?.authorId,
    ratings: conversation.extras?.ratings ?? []
  }
}
