/**
 * Business hours: schedules of weekly hours and exceptions in a time zone. The upcoming days and the
 * open/closed status are computed from the definition and the time asked about.
 */
import { BusinessHours } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { type GroupHandlers, iso, notFound } from "../internal/handler.js"
import { dateOf, type Day, dayAt, instantAt, isoDate, unsafeZone, weekdayOf } from "../internal/localTime.js"
import type { ExceptionHours, RegularHours, Schedule, State, TimeInterval } from "../internal/state.js"

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

const findOrFail = (state: State, id: string) => {
  const schedule = (state.schedules ?? []).find((s) => s.id === id)
  return schedule === undefined ? Effect.fail(notFound(`schedule ${id} does not exist`)) : Effect.succeed(schedule)
}

const minutesOf = (time: string): number => {
  const [h, m] = time.split(":").map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** The rule that decides a day: an exception for the date, else the weekly hours in force then, else none. */
const ruleFor = (schedule: Schedule, day: Day): RegularHours | ExceptionHours | undefined => {
  const date = isoDate(day)
  const { day: dayOfMonth, month } = dateOf(day)
  const exception = schedule.exceptions.find((e) => {
    if (e.startDate > date) return false
    const r = e.recurring
    if (r === undefined || (r.dayOfMonth === undefined && r.monthOfYear === undefined)) return e.startDate === date
    return (r.dayOfMonth === undefined || r.dayOfMonth === dayOfMonth) &&
      (r.monthOfYear === undefined || r.monthOfYear === month)
  })
  if (exception !== undefined) return exception
  const weekday = weekdayOf(day)
  return schedule.businessHours
    .filter((h) => h.dayOfWeek === weekday && h.startDate <= date)
    .sort((a, b) => a.startDate.localeCompare(b.startDate))
    .at(-1)
}

/** The open periods of a day as instants; an end at or before the start runs past midnight. */
const periodsOf = (schedule: Schedule, day: Day): Array<readonly [number, number]> => {
  const rule = ruleFor(schedule, day)
  if (rule === undefined || rule.status !== "Open") return []
  const zone = unsafeZone(schedule.timezone)
  return rule.intervals.map((interval: TimeInterval) => {
    const start = minutesOf(interval.startTime)
    let end = minutesOf(interval.endTime)
    if (end <= start) end += 24 * 60
    return [instantAt(zone, day, start), instantAt(zone, day, end)] as const
  }).sort((a, b) => a[0] - b[0])
}

/** How far ahead to look for the next opening or closing. */
const horizonDays = 400

/** The open status as Dixa sends it. */
export interface Status {
  isOpen: boolean
  timestamp: string
  opensAt?: string
  closesAt?: string
}

/** Whether the schedule is open at `millis`, and when that changes. */
export const statusAt = (schedule: Schedule, millis: number): Status => {
  const first = dayAt(unsafeZone(schedule.timezone), millis) - 1
  const periods: Array<readonly [number, number]> = []
  for (let day = first; day <= first + horizonDays; day++) periods.push(...periodsOf(schedule, day))
  const current = periods.find(([start, end]) => start <= millis && millis < end)
  if (current === undefined) {
    const next = periods.find(([start]) => start > millis)
    return { isOpen: false, timestamp: iso(millis), ...(next === undefined ? {} : { opensAt: iso(next[0]) }) }
  }
  // Periods that touch or overlap run together.
  let closes = current[1]
  for (const [start, end] of periods) if (start > current[0] && start <= closes) closes = Math.max(closes, end)
  return { isOpen: true, timestamp: iso(millis), closesAt: iso(closes) }
}

/** The hours of the `days` local days starting with today's, one entry per day. */
export const upcoming = (schedule: Schedule, millis: number, days: number) => {
  const today = dayAt(unsafeZone(schedule.timezone), millis)
  const businessHours = Array.from({ length: days }, (_, i) => {
    const day = today + i
    const nextDate = isoDate(day)
    const rule = ruleFor(schedule, day)
    if (rule === undefined) {
      const dayOfWeek = weekdayOf(day)
      return {
        name: weekdays[dayOfWeek - 1]!,
        dayOfWeek,
        businessHourType: "Regular",
        status: "Closed",
        intervals: [],
        startDate: nextDate,
        nextDate
      }
    }
    return { ...rule, nextDate }
  })
  return { schedule: { id: schedule.id, name: schedule.name, timezone: schedule.timezone, businessHours } }
}

export const handlers: GroupHandlers<typeof BusinessHours.BusinessHoursApi> = {
  listSchedules: (_, ctx) =>
    Effect.sync(() => ({ schedules: (ctx.state.schedules ?? []).map((s) => ({ name: s.name, id: s.id })) })),

  getSchedule: (input, ctx) => Effect.map(findOrFail(ctx.state, input.scheduleId), (schedule) => ({ schedule })),

  getUpcoming: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.scheduleId), (schedule) => upcoming(schedule, ctx.now, input.days ?? 7)),

  getStatus: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.scheduleId),
      (schedule) =>
        statusAt(schedule, input.timestamp === undefined ? ctx.now : DateTime.toEpochMillis(input.timestamp))
    )
}
