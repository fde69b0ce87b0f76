/**
 * Local time in named time zones, through `effect/DateTime`: which local day an instant falls on, and
 * the instant a time of a local day comes. Days are counted from 1970-01-01 so that they can be
 * stepped through and compared. Business hours and analytics periods both read time this way.
 */
import * as DateTime from "effect/DateTime"
import type * as Option from "effect/Option"

const dayMillis = 86_400_000

/** A local calendar day, counted in days since 1970-01-01. */
export type Day = number

/** A calendar date; `month` runs from 1 to 12. */
export interface CalendarDate {
  readonly year: number
  readonly month: number
  readonly day: number
}

/** The zone of an IANA name (`Europe/Copenhagen`, `UTC`), or none when the runtime does not know it. */
export const zone = (name: string): Option.Option<DateTime.TimeZone> => DateTime.zoneMakeNamed(name)

/** The zone of a name that has been accepted before (a stored schedule's); throws on an unknown one. */
export const unsafeZone = (name: string): DateTime.TimeZone => DateTime.zoneUnsafeMakeNamed(name)

/** The day of a calendar date. A month or day out of range rolls over: month 0 is December of the year before. */
export const dayOf = (date: CalendarDate): Day => Date.UTC(date.year, date.month - 1, date.day) / dayMillis

/** The calendar date of a day. */
export const dateOf = (day: Day): CalendarDate => {
  const date = new Date(day * dayMillis)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

/** A day as `YYYY-MM-DD`. */
export const isoDate = (day: Day): string => new Date(day * dayMillis).toISOString().slice(0, 10)

/** The weekday of a day: 1 for Monday to 7 for Sunday. */
export const weekdayOf = (day: Day): number => ((new Date(day * dayMillis).getUTCDay() + 6) % 7) + 1

/** The local day an instant falls on in a zone. */
export const dayAt = (zone: DateTime.TimeZone, millis: number): Day => {
  const { day, month, year } = DateTime.toParts(DateTime.unsafeMakeZoned(millis, { timeZone: zone }))
  return dayOf({ year, month, day })
}

/**
 * The instant the zone's clocks show `minutes` after the start of a local day (past 24 hours, a time of
 * the days after). Around a clock change, a time that comes twice is its first coming, and a time that
 * is skipped is read on the clock from before the change (02:30 where clocks go from 02:00 to 03:00 is
 * 03:30).
 */
export const instantAt = (zone: DateTime.TimeZone, day: Day, minutes = 0): number =>
  DateTime.toEpochMillis(
    DateTime.unsafeMakeZoned(day * dayMillis + minutes * 60_000, { timeZone: zone, adjustForTimeZone: true })
  )
