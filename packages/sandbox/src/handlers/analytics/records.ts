/**
 * The record types: for each, which conversations' events it records (creation, closing, first answer,
 * rating), at what time, and the fields of each record.
 */
import * as Effect from "effect/Effect"
import { badRequest } from "../../internal/handler.js"
import type { State } from "../../internal/state.js"
import { type Facts, factsOf, labelOf, millisOf } from "./facts.js"
import { matches } from "./filters.js"
import { inScope, type Query, type Scope } from "./periods.js"

/** A field of a record, as the wire sends it. */
export type Field = { _type: string; value: unknown; label?: string }

/** One record: its conversation, its event time, and its value and fields. */
export interface Row {
  readonly facts: Facts
  readonly at: number
  readonly timestampName: string
  readonly value?: Field
  readonly fields: ReadonlyArray<{ name: string; field?: Field }>
}

export interface RecordType {
  readonly id: string
  readonly description: string
  readonly filters: ReadonlyArray<string>
  readonly relatedMetricIds: ReadonlyArray<string>
  readonly fields: ReadonlyArray<{ field: string; description: string; nullable: boolean }>
  /** The records of the type, each with its event time (for the period), in time order. */
  readonly rows: (state: State, facts: ReadonlyArray<Facts>) => ReadonlyArray<Row>
}

const long = (value: number): Field => ({ _type: "LongField", value })

/** An id field, labelled with the agent's or queue's name when it is one. */
const uuid = (state: State, value: string | undefined): Field | undefined => {
  if (value === undefined) return undefined
  const label = state.agents.find((a) => a.id === value)?.displayName ??
    state.queues?.find((q) => q.id === value)?.name
  return label === undefined ? { _type: "UUIDField", value } : { _type: "UUIDField", value, label }
}

const text = (value: string, label?: string): Field =>
  label === undefined ? { _type: "StringField", value } : { _type: "StringField", value, label }

const named = (name: string, field: Field | undefined) => field === undefined ? { name } : { name, field }

/** The attributes the conversation record types and metrics can be filtered by. */
export const conversationFilters = ["channel", "initial_direction", "queue_id", "agent_id", "tag_id", "contact_point"]

/** The attributes ratings can be filtered by (a rating has no contact point). */
export const ratingFilters = ["channel", "initial_direction", "queue_id", "agent_id", "tag_id"]

const created: RecordType = {
  id: "created_conversations",
  description: "One record per conversation, at the time it was created",
  filters: conversationFilters,
  relatedMetricIds: ["created_conversations"],
  fields: [
    { field: "created_at", description: "When the conversation was created", nullable: false },
    { field: "csid", description: "The conversation id", nullable: false },
    { field: "initial_channel", description: "The channel it came in on", nullable: false },
    { field: "initial_direction", description: "Inbound, outbound or internal", nullable: false },
    { field: "queue_id", description: "The queue it was routed to", nullable: true },
    { field: "requester_id", description: "The end user who started it", nullable: true }
  ],
  rows: (state, facts) =>
    facts.map((f) => ({
      facts: f,
      at: f.createdAt,
      timestampName: "created_at",
      fields: [
        named("csid", long(f.csid)),
        named("initial_channel", text(f.channel, labelOf(f.channel))),
        named("initial_direction", text(f.direction, labelOf(f.direction))),
        named("queue_id", uuid(state, f.queueId)),
        named("requester_id", uuid(state, f.requesterId))
      ]
    }))
}

const closed: RecordType = {
  id: "closed_conversations",
  description: "One record per closed conversation, at the time it was closed",
  filters: conversationFilters,
  relatedMetricIds: ["closed_conversations"],
  fields: [
    { field: "closed_at", description: "When the conversation was closed", nullable: false },
    { field: "conversation_id", description: "The conversation id", nullable: false },
    { field: "agent_id", description: "The agent it was assigned to", nullable: true },
    { field: "queue_id", description: "The queue it was in", nullable: true },
    { field: "channel", description: "Its channel", nullable: false }
  ],
  rows: (state, facts) =>
    facts.flatMap((f) =>
      f.closedAt === undefined ? [] : [{
        facts: f,
        at: f.closedAt,
        timestampName: "closed_at",
        fields: [
          named("conversation_id", long(f.csid)),
          named("agent_id", uuid(state, f.agentId)),
          named("queue_id", uuid(state, f.queueId)),
          named("channel", text(f.channel, labelOf(f.channel)))
        ]
      }]
    )
}

const firstResponses: RecordType = {
  id: "first_responses",
  description: "One record per conversation that got an answer, at the time of the first answer",
  filters: conversationFilters,
  relatedMetricIds: ["first_response_time"],
  fields: [
    { field: "first_response_at", description: "When the first answer was sent", nullable: false },
    { field: "csid", description: "The conversation id", nullable: false },
    { field: "responder_id", description: "Who answered first", nullable: true }
  ],
  rows: (state, facts) =>
    facts.flatMap((f) =>
      f.firstResponseAt === undefined || f.firstResponseSeconds === undefined ? [] : [{
        facts: f,
        at: f.firstResponseAt,
        timestampName: "first_response_at",
        value: { _type: "DoubleField", value: f.firstResponseSeconds },
        fields: [named("csid", long(f.csid)), named("responder_id", uuid(state, f.firstResponderId))]
      }]
    )
}

/** The submitted ratings of a conversation, as records. */
const ratingRows = (state: State, f: Facts): Array<Row> =>
  f.ratings.flatMap((r) => {
    const at = millisOf(r.submittedAt)
    if (at === undefined || r.result === undefined) return []
    return [{
      facts: f,
      at,
      timestampName: "submitted_at",
      value: long(r.result.value),
      fields: [
        named("csid", long(f.csid)),
        named("agent_id", uuid(state, r.agentId)),
        named("rating_type", text(r.result._type))
      ]
    }]
  })

const ratings: RecordType = {
  id: "ratings",
  description: "One record per submitted rating, at the time it was submitted",
  filters: ratingFilters,
  relatedMetricIds: ["csat"],
  fields: [
    { field: "submitted_at", description: "When the end user answered", nullable: false },
    { field: "csid", description: "The conversation id", nullable: false },
    { field: "agent_id", description: "The agent who was rated", nullable: true },
    { field: "rating_type", description: "Csat, Nps or thumbs", nullable: false }
  ],
  rows: (state, facts) => facts.flatMap((f) => ratingRows(state, f))
}

export const recordTypes: ReadonlyArray<RecordType> = [created, closed, firstResponses, ratings]

export const recordView = (record: RecordType) => ({
  id: record.id,
  description: record.description,
  filters: record.filters.map((filterAttribute) => ({ filterAttribute })),
  relatedMetricIds: record.relatedMetricIds,
  fieldsMetadata: record.fields
})

export const findRecord = (id: string) => {
  const found = recordTypes.find((r) => r.id === id)
  return found === undefined
    ? Effect.fail(badRequest(`unknown record ${JSON.stringify(id)}; known: ${recordTypes.map((r) => r.id).join(", ")}`))
    : Effect.succeed(found)
}

/** The rows of a record type that a query selects, in time order. */
export const select = (state: State, record: RecordType, query: Query, scope: Scope) =>
  record.rows(state, state.conversations.flatMap((c) => factsOf(c) ?? []))
    .filter((row) => inScope(scope, row.facts.csid, row.at) && matches(row.facts, query.filters ?? [], record.filters))
    .sort((a, b) => a.at - b.at || a.facts.csid - b.facts.csid)
