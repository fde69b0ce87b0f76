import { expect, it } from "@effect/vitest"
import { BusinessHours, type Model } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { describeTargets, start } from "./support.js"

const at = (iso: string) => DateTime.unsafeMake(iso)
const show = (dt: DateTime.Utc | undefined) => dt === undefined ? undefined : DateTime.formatIso(dt)

describeTargets("business-hours", (target) => {
  it.scopedLive("schedules and their definitions; open status at given moments, across zones and holidays", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const hours = env.bind(BusinessHours.BusinessHoursApi)
      const { schedules = [] } = yield* hours.listSchedules()
      expect(schedules.map((s) => s.name)).toEqual(["Support", "Phone line"])
      const [support, phone] = schedules.map((s) => s.id as Model.BusinessHoursScheduleId)
      const { schedule } = yield* hours.getSchedule({ scheduleId: support! })
      expect(schedule.timezone).toBe("Europe/Copenhagen")
      expect(schedule.businessHours?.map((h) => `${h.dayOfWeek}:${h.status}`)).toEqual([
        "1:Open",
        "2:Open",
        "3:Open",
        "4:Open",
        "5:Open",
        "6:Closed",
        "7:Closed"
      ])

      const status = (scheduleId: string, timestamp: string) =>
        Effect.map(hours.getStatus({ scheduleId, timestamp: at(timestamp) }), (s) => ({
          isOpen: s.isOpen,
          opensAt: show(s.opensAt),
          closesAt: show(s.closesAt)
        }))
      // A Wednesday in winter: Copenhagen is UTC+1, open 08:00-16:00.
      expect(yield* status(support!, "2025-01-08T08:31:25Z"))
        .toEqual({ isOpen: true, opensAt: undefined, closesAt: "2025-01-08T15:00:00.000Z" })
      // Saturday: closed until Monday 08:00.
      expect(yield* status(support!, "2025-01-11T10:00:00Z"))
        .toEqual({ isOpen: false, opensAt: "2025-01-13T07:00:00.000Z", closesAt: undefined })
      // New Year's Day (a Wednesday) is a holiday.
      expect(yield* status(support!, "2025-01-01T10:00:00Z"))
        .toEqual({ isOpen: false, opensAt: "2025-01-02T07:00:00.000Z", closesAt: undefined })
      // Constitution Day: open 08:00-12:00 local in summer time (UTC+2).
      expect(yield* status(support!, "2025-06-05T09:00:00Z"))
        .toEqual({ isOpen: true, opensAt: undefined, closesAt: "2025-06-05T10:00:00.000Z" })
      // New York's lunch break, in winter (UTC-5).
      expect(yield* status(phone!, "2025-01-08T17:30:00Z"))
        .toEqual({ isOpen: false, opensAt: "2025-01-08T18:00:00.000Z", closesAt: undefined })

      const unknown = "00000000-0000-4000-8000-000000000000" as Model.BusinessHoursScheduleId
      expect((yield* Effect.flip(hours.getSchedule({ scheduleId: unknown })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(hours.getStatus({ scheduleId: unknown })))._tag).toBe("NotFound")
      // Past the client's own check of `days`: a raw request, within the client's rate budget.
      yield* env.client.limiter.take
      const tooMany = yield* env.raw("GET", `/beta/business-hours/schedules/${support}/upcoming?days=91`)
      expect(tooMany.status).toBe(400)
    }))

  it.scopedLive("upcoming days follow the weekly hours and the time of the request", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const hours = env.bind(BusinessHours.BusinessHoursApi)
      const { schedules = [] } = yield* hours.listSchedules()
      const scheduleId = schedules[0]!.id as Model.BusinessHoursScheduleId
      const { schedule } = yield* hours.getUpcoming({ scheduleId, days: 14 })
      const days = schedule.businessHours ?? []
      expect(days).toHaveLength(14)
      const today = yield* hours.getStatus({ scheduleId })
      const dates = days.map((d) => d.nextDate!)
      // One entry per consecutive day, starting with today's date in Copenhagen (a day either side of UTC's).
      const utcToday = DateTime.formatIsoDateUtc(today.timestamp)
      const first = Date.parse(dates[0]!)
      expect(Math.abs(first - Date.parse(utcToday))).toBeLessThanOrEqual(86_400_000)
      dates.forEach((date, i) => expect(Date.parse(date) - first).toBe(i * 86_400_000))
      for (const day of days) {
        if (day.businessHourType !== "Regular") continue
        const weekday = ((new Date(day.nextDate!).getUTCDay() + 6) % 7) + 1
        expect(day.dayOfWeek).toBe(weekday)
        expect(day.status).toBe(weekday >= 6 ? "Closed" : "Open")
      }
      expect((yield* hours.getUpcoming({ scheduleId })).schedule.businessHours).toHaveLength(7)
      // Whatever the time now, the answer says when it next changes.
      expect(Option.fromNullable(today.isOpen ? today.closesAt : today.opensAt)._tag).toBe("Some")
    }))
})
