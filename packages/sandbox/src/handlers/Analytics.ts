/**
 * Analytics: a fixed catalogue of metrics and record types, computed on request from the sandbox's
 * own conversations (their channel, direction, queue, assignee, tags, messages and ratings). Periods
 * are read in the time zone of the request; presets are relative to the time of the request.
 */
import { Analytics as Api, Model } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { badRequest, handle, type HttpFailure, iso } from "../internal/handler.js"
import type { Conversation, State } from "../internal/state.js"

const api = Api.AnalyticsApi.endpoints

// ---------------------------------------------------------------------------------------------
// What a conversation is, for analytics
// ---------------------------------------------------------------------------------------------

/** `WidgetChat` → `WIDGET_CHAT`, as analytics spells enum values. */
const upperSnake = (s: string) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()

/** A label for an upper-snake value: `WIDGET_CHAT` → `Widget chat`. */
const labelOf = (value: string) => {
  const words = value.toLowerCase().split("_").join(" ")
  return words.charAt(0).toUpperCase() + words.slice(1)
}

interface Rating {
  readonly agentId?: string
  readonly ratingType?: string
  readonly submittedAt?: string
  readonly result?: { readonly _type?: string; readonly value?: number }
}

/** The facts analytics reads from one conversation. */
interface Facts {
  readonly csid: number
  readonly createdAt: number
  readonly closedAt: number | undefined
  readonly channel: string
  readonly direction: string
  readonly queueId: string | undefined
  readonly agentId: string | undefined
  readonly requesterId: string | undefined
  readonly tagIds: ReadonlyArray<string>
  readonly contactPoint: string | undefined
  /** Seconds from creation to the first message by someone other than the requester. */
  readonly firstResponseSeconds: number | undefined
  readonly firstResponseAt: number | undefined
  readonly firstResponderId: string | undefined
  readonly ratings: ReadonlyArray<Rating>
}

const millisOf = (value: unknown): number | undefined => {
  if (typeof value !== "string") return undefined
  return Option.getOrUndefined(Option.map(Model.parseDixaDateTime(value), DateTime.toEpochMillis))
}

const factsOf = (conversation: Conversation): Facts | undefined => {
  const d = conversation.data
  const csid = typeof d["id"] === "number" ? d["id"] : undefined
  const createdAt = millisOf(d["createdAt"])
  if (csid === undefined || createdAt === undefined) return undefined
  const closedAt = millisOf(d["closedAt"]) ??
    (d["state"] === "Closed" ? millisOf(d["stateUpdatedAt"]) : undefined)
  const requesterId = typeof d["requesterId"] === "string" ? d["requesterId"] : undefined
  const firstResponse = conversation.messages
    .filter((m) => m.authorId !== requesterId)
    .map((m) => ({ at: millisOf(m.createdAt), authorId: m.authorId }))
    .filter((m): m is { at: number; authorId: string } => m.at !== undefined && m.at >= createdAt)
    .sort((a, b) => a.at - b.at)[0]
  const contact = [d["toEmail"], d["integrationEmail"], d["toNumber"], d["contactPointTarget"]]
    .find((v): v is string => typeof v === "string")
  const extras = (conversation as { extras?: { ratings?: ReadonlyArray<Rating> } }).extras
  return {
    csid,
    createdAt,
    closedAt,
    channel: typeof d["channel"] === "string" ? upperSnake(d["channel"]) : "UNKNOWN",
    direction: typeof d["direction"] === "string" ? d["direction"].toUpperCase() : "INBOUND",
    queueId: (d["queue"] as { id?: string } | undefined)?.id,
    agentId: (d["assignment"] as { agentId?: string } | undefined)?.agentId,
    requesterId,
    tagIds: conversation.tagIds ?? [],
    contactPoint: contact,
    firstResponseSeconds: firstResponse === undefined ? undefined : (firstResponse.at - createdAt) / 1000,
    firstResponseAt: firstResponse?.at,
    firstResponderId: firstResponse?.authorId,
    ratings: extras?.ratings ?? []
  }
}

// ---------------------------------------------------------------------------------------------
// Filters
// ---------------------------------------------------------------------------------------------

/** The filter attributes, with how a conversation's values for each are read. */
const attributeValues: Readonly<Record<string, (facts: Facts) => ReadonlyArray<string>>> = {
  channel: (f) => [f.channel],
  initial_direction: (f) => [f.direction],
  queue_id: (f) => f.queueId === undefined ? [] : [f.queueId],
  agent_id: (f) => f.agentId === undefined ? [] : [f.agentId],
  tag_id: (f) => f.tagIds,
  contact_point: (f) => f.contactPoint === undefined ? [] : [f.contactPoint]
}

/** Every value an attribute can take, with labels. */
const filterValues = (
  state: State,
  attribute: string
): ReadonlyArray<{ value: string; label?: string }> | undefined => {
  const facts = state.conversations.flatMap((c) => factsOf(c) ?? [])
  const seen = (read: (f: Facts) => ReadonlyArray<string>) => [...new Set(facts.flatMap(read))].sort()
  switch (attribute) {
    case "channel": {
      const known = ["EMAIL", "WIDGET_CHAT", "PSTN_PHONE", "SMS", "FACEBOOK_MESSENGER", "CONTACT_FORM", "CALLBACK"]
      return [...new Set([...known, ...seen((f) => [f.channel])])].map((value) => ({ value, label: labelOf(value) }))
    }
    case "initial_direction":
      return ["INBOUND", "OUTBOUND", "INTERNAL"].map((value) => ({ value, label: labelOf(value) }))
    case "queue_id": {
      const queues = (state as { queues?: ReadonlyArray<{ id: string; name?: string }> }).queues ?? []
      const ids = [...new Set([...queues.map((q) => q.id), ...seen(attributeValues["queue_id"]!)])]
      return ids.map((value) => {
        const name = queues.find((q) => q.id === value)?.name
        return name === undefined ? { value } : { value, label: name }
      })
    }
    case "agent_id":
      return state.agents.map((a) => ({ value: a.id, label: a.displayName }))
    case "tag_id":
      return state.tags.map((t) => ({ value: t.id, label: t.name }))
    case "contact_point":
      return seen(attributeValues["contact_point"]!).map((value) => ({ value, label: value }))
    default:
      return undefined
  }
}

const matches = (
  facts: Facts,
  filters: ReadonlyArray<{ readonly attribute: string; readonly values?: ReadonlyArray<string> | undefined }>,
  supported: ReadonlyArray<string>
) =>
  filters.every((filter) => {
    // Attributes a metric does not know are ignored, as Dixa does.
    const read = attributeValues[filter.attribute]
    if (read === undefined || !supported.includes(filter.attribute) || filter.values === undefined) return true
    const wanted = new Set(filter.values.map((v) => v.toUpperCase()))
    return read(facts).some((v) => wanted.has(v.toUpperCase()))
  })

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

export const presets: ReadonlyArray<string> = [
  "Today",
  "Yesterday",
  "ThisWeek",
  "PreviousWeek",
  "ThisMonth",
  "PreviousMonth",
  "ThisQuarter",
  "PreviousQuarter",
  "ThisYear"
]

/** The UTC offset of a time zone at an instant, in milliseconds; `undefined` for an unknown zone. */
const offsetMillis = (timeZone: string, at: number): number | undefined => {
  let name: string | undefined
  try {
    name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value
  } catch {
    return undefined
  }
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? "")
  if (match === null) return 0
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return (match[1] === "-" ? -1 : 1) * minutes * 60_000
}

/** The instant a local wall-clock date starts in a zone (`month` may overflow, as with `Date.UTC`). */
const localMidnight = (timeZone: string, year: number, month: number, day: number): number => {
  const wall = Date.UTC(year, month, day)
  const guess = wall - (offsetMillis(timeZone, wall) ?? 0)
  return wall - (offsetMillis(timeZone, guess) ?? 0)
}

/** `[start, end)` of a preset, in a zone, relative to `now`. */
const presetRange = (preset: string, timeZone: string, now: number): readonly [number, number] | undefined => {
  const local = new Date(now + (offsetMillis(timeZone, now) ?? 0))
  const y = local.getUTCFullYear()
  const m = local.getUTCMonth()
  const d = local.getUTCDate()
  const sinceMonday = (local.getUTCDay() + 6) % 7
  const q = Math.floor(m / 3) * 3
  const at = (year: number, month: number, day: number) => localMidnight(timeZone, year, month, day)
  switch (preset) {
    case "Today":
      return [at(y, m, d), now + 1]
    case "Yesterday":
      return [at(y, m, d - 1), at(y, m, d)]
    case "ThisWeek":
      return [at(y, m, d - sinceMonday), now + 1]
    case "PreviousWeek":
      return [at(y, m, d - sinceMonday - 7), at(y, m, d - sinceMonday)]
    case "ThisMonth":
      return [at(y, m, 1), now + 1]
    case "PreviousMonth":
      return [at(y, m - 1, 1), at(y, m, 1)]
    case "ThisQuarter":
      return [at(y, q, 1), now + 1]
    case "PreviousQuarter":
      return [at(y, q - 3, 1), at(y, q, 1)]
    case "ThisYear":
      return [at(y, 0, 1), now + 1]
    default:
      return undefined
  }
}

/** A date-time from a request body: decoded (`DateTime`) or, when the union kept it raw, a string. */
const instantOf = (value: unknown): number | undefined =>
  DateTime.isDateTime(value) ? DateTime.toEpochMillis(value) : millisOf(value)

/** Which conversations a query covers: a set of ids, or those whose event time falls in a period. */
type Scope =
  | { readonly _tag: "Ids"; readonly ids: ReadonlySet<number> }
  | { readonly _tag: "Period"; readonly start: number; readonly end: number }

interface Query {
  readonly id: string
  readonly timezone: string
  readonly filters?:
    | ReadonlyArray<{ readonly attribute: string; readonly values?: ReadonlyArray<string> | undefined }>
    | undefined
  readonly csidFilter?: ReadonlyArray<number> | undefined
}

const scopeOf = (body: Query, now: number): Effect.Effect<Scope, HttpFailure> =>
  Effect.gen(function*() {
    if (offsetMillis(body.timezone, now) === undefined) {
      return yield* badRequest(`body.timezone: unknown time zone ${JSON.stringify(body.timezone)}`)
    }
    const period = (body as { periodFilter?: unknown }).periodFilter as
      | { _type?: unknown; value?: unknown; start?: unknown; end?: unknown }
      | undefined
    if (period !== undefined && body.csidFilter !== undefined) {
      return yield* badRequest("body: give either csidFilter or periodFilter, not both")
    }
    if (period === undefined) {
      if (body.csidFilter === undefined) return yield* badRequest("body: give csidFilter or periodFilter")
      return { _tag: "Ids", ids: new Set(body.csidFilter) } as const
    }
    if (period._type === "Preset") {
      const range = typeof period.value === "string" ? presetRange(period.value, body.timezone, now) : undefined
      if (range === undefined) {
        return yield* badRequest(`body.periodFilter.value: expected one of ${presets.join(", ")}`)
      }
      return { _tag: "Period", start: range[0], end: range[1] } as const
    }
    if (period._type === "Interval") {
      const start = instantOf(period.start)
      const end = instantOf(period.end)
      if (start === undefined || end === undefined) {
        return yield* badRequest("body.periodFilter: an interval needs start and end date-times")
      }
      if (end < start) return yield* badRequest("body.periodFilter: the interval ends before it starts")
      return { _tag: "Period", start, end } as const
    }
    return yield* badRequest(`body.periodFilter._type: expected Interval or Preset`)
  })

const inScope = (scope: Scope, csid: number, at: number | undefined) =>
  scope._tag === "Ids" ? scope.ids.has(csid) : at !== undefined && at >= scope.start && at < scope.end

// ---------------------------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------------------------

type Field = { _type: string; value: unknown; label?: string }

interface RecordType {
  readonly id: string
  readonly description: string
  readonly filters: ReadonlyArray<string>
  readonly relatedMetricIds: ReadonlyArray<string>
  readonly fields: ReadonlyArray<{ field: string; description: string; nullable: boolean }>
  /** The records of the type, each with its event time (for the period), in time order. */
  readonly rows: (state: State, facts: ReadonlyArray<Facts>) => ReadonlyArray<Row>
}

interface Row {
  readonly facts: Facts
  readonly at: number
  readonly timestampName: string
  readonly value?: Field
  readonly fields: ReadonlyArray<{ name: string; field?: Field }>
}

interface Metric {
  readonly id: string
  readonly description: string
  readonly filters: ReadonlyArray<string>
  readonly aggregations: ReadonlyArray<{ measure: string; description: string }>
  readonly recordId: string
  /** The aggregate for a measure over the rows of the metric's record type. */
  readonly aggregate: (measure: string, rows: ReadonlyArray<Row>) => unknown
}

const long = (value: number): Field => ({ _type: "LongField", value })
const uuid = (state: State, value: string | undefined): Field | undefined => {
  if (value === undefined) return undefined
  const label = state.agents.find((a) => a.id === value)?.displayName ??
    (state as { queues?: ReadonlyArray<{ id: string; name?: string }> }).queues?.find((q) => q.id === value)?.name
  return label === undefined ? { _type: "UUIDField", value } : { _type: "UUIDField", value, label }
}
const text = (value: string, label?: string): Field =>
  label === undefined ? { _type: "StringField", value } : { _type: "StringField", value, label }
const named = (name: string, field: Field | undefined) => field === undefined ? { name } : { name, field }

const conversationFilters = ["channel", "initial_direction", "queue_id", "agent_id", "tag_id", "contact_point"]

const recordTypes: ReadonlyArray<RecordType> = [
  {
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
  },
  {
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
  },
  {
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
  },
  {
    id: "ratings",
    description: "One record per submitted rating, at the time it was submitted",
    filters: ["channel", "initial_direction", "queue_id", "agent_id", "tag_id"],
    relatedMetricIds: ["csat"],
    fields: [
      { field: "submitted_at", description: "When the end user answered", nullable: false },
      { field: "csid", description: "The conversation id", nullable: false },
      { field: "agent_id", description: "The agent who was rated", nullable: true },
      { field: "rating_type", description: "Csat, Nps or thumbs", nullable: false }
    ],
    rows: (state, facts) =>
      facts.flatMap((f) =>
        f.ratings.flatMap((r) => {
          const at = millisOf(r.submittedAt)
          if (at === undefined || typeof r.result?.value !== "number") return []
          return [{
            facts: f,
            at,
            timestampName: "submitted_at",
            value: long(r.result.value),
            fields: [
              named("csid", long(f.csid)),
              named("agent_id", uuid(state, r.agentId)),
              named("rating_type", text(r.result._type ?? r.ratingType ?? "Csat"))
            ]
          }]
        })
      )
  }
]

const count = (measure: string, rows: ReadonlyArray<Row>) => ({
  _type: "LongAggregateValue",
  measure,
  value: rows.length
})

const stats = (measure: string, values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  const value = n === 0 ? 0 : measure === "Min"
    ? sorted[0]!
    : measure === "Max"
    ? sorted[n - 1]!
    : measure === "Median"
    ? (n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2)
    : sorted.reduce((a, b) => a + b, 0) / n
  return { _type: "DoubleAggregateValue", measure, value }
}

const metrics: ReadonlyArray<Metric> = [
  {
    id: "created_conversations",
    description: "How many conversations were created",
    filters: conversationFilters,
    aggregations: [{ measure: "Count", description: "The number of conversations" }],
    recordId: "created_conversations",
    aggregate: count
  },
  {
    id: "closed_conversations",
    description: "How many conversations were closed",
    filters: conversationFilters,
    aggregations: [{ measure: "Count", description: "The number of conversations" }],
    recordId: "closed_conversations",
    aggregate: count
  },
  {
    id: "first_response_time",
    description: "Seconds from a conversation's creation to its first answer",
    filters: conversationFilters,
    aggregations: ["Average", "Median", "Min", "Max"].map((measure) => ({
      measure,
      description: `${measure} over the conversations answered`
    })),
    recordId: "first_responses",
    aggregate: (measure, rows) => stats(measure, rows.map((r) => r.value?.value as number))
  },
  {
    id: "csat",
    description: "The share of CSAT ratings of 4 or 5, in percent",
    filters: ["channel", "initial_direction", "queue_id", "agent_id", "tag_id"],
    aggregations: [{ measure: "Percentage", description: "Satisfied ratings out of all CSAT ratings" }],
    recordId: "ratings",
    aggregate: (measure, rows) => {
      const csat = rows.filter((r) => r.fields.some((f) => f.name === "rating_type" && f.field?.value === "Csat"))
      const satisfied = csat.filter((r) => (r.value?.value as number) >= 4).length
      return { _type: "DoubleAggregateValue", measure, value: csat.length === 0 ? 0 : (satisfied / csat.length) * 100 }
    }
  }
]

const metricView = (metric: Metric) => ({
  id: metric.id,
  description: metric.description,
  filters: metric.filters.map((filterAttribute) => ({ filterAttribute })),
  aggregations: metric.aggregations,
  relatedRecordIds: [metric.recordId]
})

const recordView = (record: RecordType) => ({
  id: record.id,
  description: record.description,
  filters: record.filters.map((filterAttribute) => ({ filterAttribute })),
  relatedMetricIds: record.relatedMetricIds,
  fieldsMetadata: record.fields
})

const findMetric = (id: string) => {
  const found = metrics.find((m) => m.id === id)
  return found === undefined
    ? Effect.fail(badRequest(`unknown metric ${JSON.stringify(id)} (known: ${metrics.map((m) => m.id).join(", ")})`))
    : Effect.succeed(found)
}

const findRecord = (id: string) => {
  const found = recordTypes.find((r) => r.id === id)
  return found === undefined
    ? Effect.fail(badRequest(`unknown record ${JSON.stringify(id)}; known: ${recordTypes.map((r) => r.id).join(", ")}`))
    : Effect.succeed(found)
}

/** The rows of a record type that a query selects, in time order. */
const select = (state: State, record: RecordType, query: Query, scope: Scope) =>
  record.rows(state, state.conversations.flatMap((c) => factsOf(c) ?? []))
    .filter((row) => inScope(scope, row.facts.csid, row.at) && matches(row.facts, query.filters ?? [], record.filters))
    .sort((a, b) => a.at - b.at || a.facts.csid - b.facts.csid)

export const handlers = [
  handle(api.listMetrics, () => Effect.succeed(metrics.map(metricView))),

  handle(api.getMetric, (input) => Effect.map(findMetric(input.metricId), metricView)),

  handle(api.queryMetric, (input, ctx) =>
    Effect.gen(function*() {
      const metric = yield* findMetric(input.body.id)
      const known = metric.aggregations.map((a) => a.measure)
      const asked = input.body.aggregations ?? known
      const unknown = asked.filter((a) => !known.includes(a))
      if (unknown.length > 0) {
        const problem = `${metric.id} has no ${unknown.join(", ")}; it has ${known.join(", ")}`
        return yield* badRequest(`body.aggregations: ${problem}`)
      }
      const scope = yield* scopeOf(input.body, ctx.now)
      const record = yield* findRecord(metric.recordId)
      const rows = select(ctx.state, record, input.body, scope)
      return { id: metric.id, aggregates: asked.map((measure) => metric.aggregate(measure, rows)) }
    })),

  handle(api.listRecords, () => Effect.succeed(recordTypes.map(recordView))),

  handle(api.getRecord, (input) => Effect.map(findRecord(input.recordId), recordView)),

  handle(api.queryRecords, (input, ctx) =>
    Effect.gen(function*() {
      const record = yield* findRecord(input.body.id)
      const scope = yield* scopeOf(input.body, ctx.now)
      return select(ctx.state, record, input.body, scope).map((row) => ({
        primaryTimestampField: { _type: "TimestampField", name: row.timestampName, timestamp: iso(row.at) },
        ...(row.value === undefined ? {} : { value: row.value }),
        fields: row.fields
      }))
    })),

  handle(api.listFilterValues, (input, ctx) =>
    Effect.gen(function*() {
      const values = filterValues(ctx.state, input.filterAttribute)
      if (values === undefined) {
        return yield* badRequest(
          `unknown filter attribute ${JSON.stringify(input.filterAttribute)} (known: ${
            Object.keys(attributeValues).join(", ")
          })`
        )
      }
      return values
    }))
]
