/**
 * Which conversations a query covers: a list of conversation ids, or a period (an interval, or a preset
 * such as `ThisWeek` read in the query's time zone, relative to the time of the request).
 */
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { badRequest, type HttpFailure } from "../../internal/handler.js"
import * as LocalTime from "../../internal/localTime.js"
import { millisOf } from "./facts.js"
import type { Filter } from "./filters.js"

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

type Range = readonly [number, number]

/** `[start, end)` of a preset in a zone, relative to `now`; weeks start on Monday. */
const presetRange = (preset: string, zone: DateTime.TimeZone, now: number): Range | undefined => {
  const today = LocalTime.dayAt(zone, now)
  const { month, year } = LocalTime.dateOf(today)
  const monday = today - (LocalTime.weekdayOf(today) - 1)
  const quarter = month - ((month - 1) % 3)
  const midnight = (day: LocalTime.Day) => LocalTime.instantAt(zone, day)
  const firstOf = (m: number) => midnight(LocalTime.dayOf({ year, month: m, day: 1 }))
  const ranges: Readonly<Record<string, () => Range>> = {
    Today: () => [midnight(today), now + 1],
    Yesterday: () => [midnight(today - 1), midnight(today)],
    ThisWeek: () => [midnight(monday), now + 1],
    PreviousWeek: () => [midnight(monday - 7), midnight(monday)],
    ThisMonth: () => [firstOf(month), now + 1],
    PreviousMonth: () => [firstOf(month - 1), firstOf(month)],
    ThisQuarter: () => [firstOf(quarter), now + 1],
    PreviousQuarter: () => [firstOf(quarter - 3), firstOf(quarter)],
    ThisYear: () => [firstOf(1), now + 1]
  }
  return ranges[preset]?.()
}

/** A date-time from a request body: decoded (`DateTime`) or, when the union kept it raw, a string. */
const instantOf = (value: unknown): number | undefined =>
  DateTime.isDateTime(value) ? DateTime.toEpochMillis(value) : typeof value === "string" ? millisOf(value) : undefined

/** Which conversations a query covers: a set of ids, or those whose event time falls in a period. */
export type Scope =
  | { readonly _tag: "Ids"; readonly ids: ReadonlySet<number> }
  | { readonly _tag: "Period"; readonly start: number; readonly end: number }

/** What the metric and record queries have in common. */
export interface Query {
  readonly id: string
  readonly timezone: string
  readonly filters?: ReadonlyArray<Filter> | undefined
  readonly csidFilter?: ReadonlyArray<number> | undefined
}

interface PeriodFilter {
  readonly _type?: unknown
  readonly value?: unknown
  readonly start?: unknown
  readonly end?: unknown
}

const periodScope = (period: PeriodFilter, zone: DateTime.TimeZone, now: number) =>
  Effect.gen(function*() {
    if (period._type === "Preset") {
      const range = typeof period.value === "string" ? presetRange(period.value, zone, now) : undefined
      if (range === undefined) {
        return yield* badRequest(`body.periodFilter.value: expected one of ${presets.join(", ")}`)
      }
      return { _tag: "Period", start: range[0], end: range[1] } as const
    }
    if (period._type !== "Interval") return yield* badRequest(`body.periodFilter._type: expected Interval or Preset`)
    const start = instantOf(period.start)
    const end = instantOf(period.end)
    if (start === undefined || end === undefined) {
      return yield* badRequest("body.periodFilter: an interval needs start and end date-times")
    }
    return { _tag: "Period", start, end } as const
  })

/**
 * The scope of a query: its ids, or its period, or every conversation when it names neither (the spec's first
 * variant needs no `csidFilter`); both at once match both of the spec's variants, which is a 400.
 */
export const scopeOf = (body: Query, now: number): Effect.Effect<Scope, HttpFailure> =>
  Effect.gen(function*() {
    const zone = LocalTime.zone(body.timezone)
    if (Option.isNone(zone)) {
      return yield* badRequest(`body.timezone: unknown time zone ${JSON.stringify(body.timezone)}`)
    }
    const period = (body as { periodFilter?: PeriodFilter }).periodFilter
    if (period !== undefined && body.csidFilter !== undefined) {
      return yield* badRequest("body: give either csidFilter or periodFilter, not both")
    }
    if (period !== undefined) return yield* periodScope(period, zone.value, now)
    if (body.csidFilter === undefined) return { _tag: "Period", start: -Infinity, end: Infinity } as const
    return { _tag: "Ids", ids: new Set(body.csidFilter) } as const
  })

/** Whether a record of conversation `csid` at time `at` is in scope. */
export const inScope = (scope: Scope, csid: number, at: number | undefined) =>
  scope._tag === "Ids" ? scope.ids.has(csid) : at !== undefined && at >= scope.start && at < scope.end
