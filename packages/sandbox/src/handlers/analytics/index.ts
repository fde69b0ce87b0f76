/**
 * Analytics: a fixed catalogue of metrics (`metrics`) and record types (`records`), computed on request
 * from the sandbox's own conversations (`facts`), narrowed by filters (`filters`) and by conversation
 * ids or a period read in the time zone of the request (`periods`).
 */
import type { Analytics } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type GroupHandlers, iso } from "../../internal/handler.js"
import { attributeValues, filterValues } from "./filters.js"
import { findMetric, metrics, metricView } from "./metrics.js"
import { scopeOf } from "./periods.js"
import { findRecord, recordTypes, recordView, select } from "./records.js"

export const handlers: GroupHandlers<typeof Analytics.AnalyticsApi> = {
  listMetrics: () => Effect.succeed(metrics.map(metricView)),

  getMetric: (input) => Effect.map(findMetric(input.metricId), metricView),

  queryMetric: (input, ctx) =>
    Effect.gen(function*() {
      const metric = yield* findMetric(input.body.id)
      const known = metric.aggregations.map((a) => a.measure)
      const asked = input.body.aggregations ?? known
      const unknown = asked.filter((a) => !known.includes(a))
      if (unknown.length > 0) {
        return yield* badRequest(
          `body.aggregations: ${metric.id} has no ${unknown.join(", ")}; it has ${known.join(", ")}`
        )
      }
      const scope = yield* scopeOf(input.body, ctx.now)
      const record = yield* findRecord(metric.recordId)
      const rows = select(ctx.state, record, input.body, scope)
      return { id: metric.id, aggregates: asked.map((measure) => metric.aggregate(measure, rows)) }
    }),

  listRecords: () => Effect.succeed(recordTypes.map(recordView)),

  getRecord: (input) => Effect.map(findRecord(input.recordId), recordView),

  queryRecords: (input, ctx) =>
    Effect.gen(function*() {
      const record = yield* findRecord(input.body.id)
      const scope = yield* scopeOf(input.body, ctx.now)
      return select(ctx.state, record, input.body, scope).map((row) => ({
        primaryTimestampField: { _type: "TimestampField" as const, name: row.timestampName, timestamp: iso(row.at) },
        ...(row.value === undefined ? {} : { value: row.value }),
        fields: row.fields
      }))
    }),

  listFilterValues: (input, ctx) =>
    Effect.gen(function*() {
      const values = filterValues(ctx.state, input.filterAttribute)
      if (values === undefined) {
        const known = Object.keys(attributeValues).join(", ")
        return yield* badRequest(`unknown filter attribute ${JSON.stringify(input.filterAttribute)} (known: ${known})`)
      }
      return values
    })
}
