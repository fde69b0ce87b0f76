/**
 * The metrics: each aggregates the records of one record type (a count, statistics of durations, a
 * share of satisfied ratings).
 */
import type { Analytics } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest } from "../../internal/handler.js"
import { conversationFilters, ratingFilters, type Row } from "./records.js"

type Aggregate = typeof Analytics.AggregateValue.Encoded

export interface Metric {
  readonly id: string
  readonly description: string
  readonly filters: ReadonlyArray<string>
  readonly aggregations: ReadonlyArray<{ measure: string; description: string }>
  readonly recordId: string
  /** The aggregate for a measure over the rows of the metric's record type. */
  readonly aggregate: (measure: string, rows: ReadonlyArray<Row>) => Aggregate
}

const count = (measure: string, rows: ReadonlyArray<Row>): Aggregate => ({
  _type: "LongAggregateValue",
  measure,
  value: rows.length
})

/** The minimum, maximum, median or (otherwise) average of some values; 0 for none. */
const statistic = (measure: string, values: ReadonlyArray<number>) => {
  const sorted = [...values].sort((a, b) => a - b)
  const n = sorted.length
  if (n === 0) return 0
  switch (measure) {
    case "Min":
      return sorted[0]!
    case "Max":
      return sorted[n - 1]!
    case "Median":
      return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
    default:
      return sorted.reduce((a, b) => a + b, 0) / n
  }
}

const double = (measure: string, value: number): Aggregate => ({ _type: "DoubleAggregateValue", measure, value })

/** The share of CSAT ratings of 4 or 5, in percent. */
const satisfied = (rows: ReadonlyArray<Row>) => {
  const csat = rows.filter((r) => r.fields.some((f) => f.name === "rating_type" && f.field?.value === "Csat"))
  const happy = csat.filter((r) => (r.value?.value as number) >= 4).length
  return csat.length === 0 ? 0 : (happy / csat.length) * 100
}

export const metrics: ReadonlyArray<Metric> = [
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
    aggregate: (measure, rows) => double(measure, statistic(measure, rows.map((r) => r.value?.value as number)))
  },
  {
    id: "csat",
    description: "The share of CSAT ratings of 4 or 5, in percent",
    filters: ratingFilters,
    aggregations: [{ measure: "Percentage", description: "Satisfied ratings out of all CSAT ratings" }],
    recordId: "ratings",
    aggregate: (measure, rows) => double(measure, satisfied(rows))
  }
]

export const metricView = (metric: Metric) => ({
  id: metric.id,
  description: metric.description,
  filters: metric.filters.map((filterAttribute) => ({ filterAttribute })),
  aggregations: metric.aggregations,
  relatedRecordIds: [metric.recordId]
})

export const findMetric = (id: string) => {
  const found = metrics.find((m) => m.id === id)
  return found === undefined
    ? Effect.fail(badRequest(`unknown metric ${JSON.stringify(id)} (known: ${metrics.map((m) => m.id).join(", ")})`))
    : Effect.succeed(found)
}
