import { expect, it } from "@effect/vitest"
import { Agents, Analytics, Conversations, Model } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describeTargets, type Env, start } from "./support.js"

/** The sandbox's whole state, read from its control endpoint: the ground truth the numbers must match. */
const sandboxState = (env: Env) =>
  Effect.promise(async () => {
    const response = await fetch(`${env.sandbox.url}/_sandbox/state`)
    return (await response.json()) as {
      conversations: Array<{
        data: { id: number; state: string; channel: string; createdAt: string; requesterId?: string }
        messages: Array<{ authorId: string; createdAt: string }>
        extras?: { ratings?: Array<{ submittedAt?: string; result?: { _type: string; value: number } }> }
      }>
    }
  })

const january2024 = {
  _type: "Interval" as const,
  start: DateTime.unsafeMake("2024-01-01T00:00:00Z"),
  end: DateTime.unsafeMake("2024-02-01T00:00:00Z")
}

const countOf = (data: Analytics.MetricData) => {
  const aggregate = data.aggregates?.[0] as { value?: unknown } | undefined
  return aggregate?.value
}

describeTargets("analytics", (target) => {
  it.scopedLive("the catalogues of metrics and records, and filter values, paginated", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const analytics = env.bind(Analytics.AnalyticsApi)
      const metricIds = (yield* analytics.listMetrics()).data.map((m) => m.id)
      expect(metricIds).toEqual(expect.arrayContaining(["closed_conversations", "created_conversations", "csat"]))
      const closed = yield* analytics.getMetric({ metricId: "closed_conversations" })
      expect(closed.aggregations!.map((a) => a.measure)).toEqual(["Count"])
      expect(closed.relatedRecordIds).toEqual(["closed_conversations"])
      const pagedMetrics = yield* Stream.runCollect(analytics.listMetricsAll({ pageLimit: 1 }))
      expect(Chunk.toReadonlyArray(pagedMetrics).map((m) => m.id)).toEqual(metricIds)

      const records = (yield* analytics.listRecords()).data
      expect(records.map((r) => r.id)).toContain("closed_conversations")
      const record = yield* analytics.getRecord({ recordId: "closed_conversations" })
      expect(record.relatedMetricIds).toEqual(["closed_conversations"])
      expect(record.fieldsMetadata!.find((f) => f.field === "agent_id")?.nullable).toBe(true)

      const agents = yield* env.bind(Agents.AgentsApi).list()
      const agentValues = yield* Stream.runCollect(
        analytics.listFilterValuesAll({ filterAttribute: "agent_id", pageLimit: 2 })
      )
      expect(Chunk.toReadonlyArray(agentValues).map((v) => v.value).sort()).toEqual(
        agents.data.map((a) => a.id).sort()
      )
      const tags = (yield* analytics.listFilterValues({ filterAttribute: "tag_id" })).data
      expect(tags.map((t) => t.label)).toContain("billing")
      const directions = (yield* analytics.listFilterValues({ filterAttribute: "initial_direction" })).data
      expect(directions.map((d) => d.value)).toEqual(["INBOUND", "OUTBOUND", "INTERNAL"])

      const unknownMetric = yield* Effect.flip(analytics.getMetric({ metricId: "nope" }))
      expect(unknownMetric._tag).toBe("BadRequest")
      const unknownAttribute = yield* Effect.flip(analytics.listFilterValues({ filterAttribute: "nope" }))
      expect(unknownAttribute._tag).toBe("BadRequest")
    }))

  it.scopedLive("metric data and records agree with the sandbox's conversations, and follow changes", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const analytics = env.bind(Analytics.AnalyticsApi)
      const state = yield* sandboxState(env)
      const inJanuary = (iso: string) => iso >= "2024-01-01" && iso < "2024-02-01"
      const closedIds = state.conversations.filter((c) => c.data.state === "Closed").map((c) => c.data.id)
      expect(closedIds.length).toBeGreaterThan(0)

      const base = { id: "closed_conversations", timezone: "UTC", periodFilter: january2024 }
      const metric = yield* analytics.queryMetric({ body: base })
      expect(metric.aggregates).toEqual([{ _type: "LongAggregateValue", measure: "Count", value: closedIds.length }])
      const rows = yield* Stream.runCollect(analytics.queryRecordsAll({ body: base, pageLimit: 1 }))
      const ids = Chunk.toReadonlyArray(rows).map((r) =>
        (r.fields!.find((f) => f.name === "conversation_id")!.field as { value: number }).value
      )
      expect([...ids].sort()).toEqual([...closedIds].sort())
      for (const row of rows) expect(row.primaryTimestampField.name).toBe("closed_at")

      const emailClosed = state.conversations.filter((c) => c.data.state === "Closed" && c.data.channel === "Email")
      const byEmail = yield* analytics.queryMetric({
        body: { ...base, filters: [{ attribute: "channel", values: ["email"] }] }
      })
      expect(countOf(byEmail)).toBe(emailClosed.length)

      const created = state.conversations.filter((c) => inJanuary(c.data.createdAt))
      const createdCount = yield* analytics.queryMetric({
        body: { id: "created_conversations", timezone: "Europe/Copenhagen", periodFilter: january2024 }
      })
      expect(countOf(createdCount)).toBe(created.length)
      const two = yield* analytics.queryMetric({
        body: { id: "created_conversations", timezone: "UTC", csidFilter: [1001, 1002] }
      })
      expect(countOf(two)).toBe(2)

      // First response time of one conversation: its first message by someone else than the requester.
      const first = state.conversations.find((c) => c.data.id === 1001)!
      const answer = first.messages.find((m) => m.authorId !== first.data.requesterId)!
      const expected = (Date.parse(answer.createdAt) - Date.parse(first.data.createdAt)) / 1000
      const frt = yield* analytics.queryMetric({
        body: { id: "first_response_time", timezone: "UTC", csidFilter: [1001], aggregations: ["Average", "Max"] }
      })
      expect(frt.aggregates!.map((a) => (a as { value: number }).value)).toEqual([expected, expected])

      // CSAT: the share of Csat answers of 4 or 5, and one record per answer.
      const csatAnswers = state.conversations
        .flatMap((c) => c.extras?.ratings ?? [])
        .filter((r) => r.result?._type === "Csat" && r.submittedAt !== undefined && inJanuary(r.submittedAt))
      expect(csatAnswers.length).toBeGreaterThan(0)
      const satisfied = csatAnswers.filter((r) => r.result!.value >= 4).length
      const csat = yield* analytics.queryMetric({ body: { ...base, id: "csat" } })
      expect(csat.aggregates).toEqual([
        { _type: "DoubleAggregateValue", measure: "Percentage", value: (satisfied / csatAnswers.length) * 100 }
      ])
      const ratingRows = (yield* analytics.queryRecords({ body: { ...base, id: "ratings" } })).data
      expect(ratingRows.map((r) => (r.value as { value: number }).value).sort())
        .toEqual(csatAnswers.map((r) => r.result!.value).sort())

      // Closing a conversation now shows up in today's numbers.
      const open = state.conversations.find((c) => c.data.state !== "Closed")!
      const today = {
        id: "closed_conversations",
        timezone: "Europe/Copenhagen",
        periodFilter: {
          _type: "Preset" as const,
          value: "Today"
        }
      }
      const before = countOf(yield* analytics.queryMetric({ body: today }))
      yield* env.bind(Conversations.ConversationsApi).close({ conversationId: Model.ConversationId.make(open.data.id) })
      expect(countOf(yield* analytics.queryMetric({ body: today }))).toBe((before as number) + 1)
      const todays = (yield* analytics.queryRecords({ body: today })).data
      expect(todays.map((r) => (r.fields![0]!.field as { value: number }).value)).toContain(open.data.id)
    }))

  it.scopedLive("bad queries are 400: unknown time zone, measure, preset or metric", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const analytics = env.bind(Analytics.AnalyticsApi)
      const base = { id: "closed_conversations", timezone: "UTC", periodFilter: january2024 }
      const failures = yield* Effect.all([
        Effect.flip(analytics.queryMetric({ body: { ...base, timezone: "Mars/Olympus_Mons" } })),
        Effect.flip(analytics.queryMetric({ body: { ...base, aggregations: ["Sum"] } })),
        Effect.flip(analytics.queryMetric({ body: { ...base, id: "nope" } })),
        Effect.flip(analytics.queryRecords({
          body: { id: "closed_conversations", timezone: "UTC", periodFilter: { _type: "Preset", value: "NextWeek" } }
        }))
      ])
      expect(failures.map((f) => f._tag)).toEqual(["BadRequest", "BadRequest", "BadRequest", "BadRequest"])
      expect(failures[0]!.message).toContain("time zone")
      expect(failures[1]!.message).toContain("Sum")
    }))
})
