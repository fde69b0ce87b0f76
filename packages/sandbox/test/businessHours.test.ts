/**
 * Business hours computed from a schedule's definition: time zones, summer time, exceptions, periods
 * that run past midnight.
 */
import { describe, expect, it } from "@effect/vitest"
import { statusAt, upcoming } from "../src/handlers/BusinessHours.js"
import { type RegularHours, type Schedule, seed } from "../src/internal/state.js"

const support = seed(1, 0).schedules![0]!
const t = (iso: string) => Date.parse(iso)

const regular = (dayOfWeek: number, intervals: Array<[string, string]>, startDate = "2024-01-01"): RegularHours => ({
  name: `day ${dayOfWeek}`,
  dayOfWeek,
  businessHourType: "Regular",
  status: intervals.length > 0 ? "Open" : "Closed",
  intervals: intervals.map(([startTime, endTime]) => ({ startTime, endTime })),
  startDate
})

const utcSchedule = (businessHours: Array<RegularHours>): Schedule => ({
  id: "s",
  name: "test",
  timezone: "UTC",
  businessHours,
  exceptions: []
})

describe("business hours", () => {
  it("the seeded Support schedule is in Copenhagen and opens Monday to Friday", () => {
    expect(support.timezone).toBe("Europe/Copenhagen")
    expect(statusAt(support, t("2025-01-08T08:31:25Z"))).toEqual({
      isOpen: true,
      timestamp: "2025-01-08T08:31:25.000Z",
      closesAt: "2025-01-08T15:00:00.000Z"
    })
  })

  it("opening and closing times follow summer time", () => {
    // Saturday before the switch to summer time: Monday 08:00 is 06:00 UTC.
    expect(statusAt(support, t("2025-03-29T12:00:00Z")).opensAt).toBe("2025-03-31T06:00:00.000Z")
    // Friday before the switch back (closed at 15:00 local): Monday 08:00 is 07:00 UTC.
    const friday = statusAt(support, t("2025-10-24T13:30:00Z"))
    expect(friday.isOpen).toBe(false)
    expect(friday.opensAt).toBe("2025-10-27T07:00:00.000Z")
  })

  it("a one-off exception closes its day; upcoming days show which rule decides each", () => {
    expect(statusAt(support, t("2026-03-13T09:00:00Z"))).toEqual({
      isOpen: false,
      timestamp: "2026-03-13T09:00:00.000Z",
      opensAt: "2026-03-16T07:00:00.000Z"
    })
    const days = upcoming(support, t("2026-03-12T10:00:00Z"), 3).schedule.businessHours
    expect(days.map((d) => [d.nextDate, d.name, d.businessHourType, d.status])).toEqual([
      ["2026-03-12", "Thursday", "Regular", "Open"],
      ["2026-03-13", "Team day", "Exception", "Closed"],
      ["2026-03-14", "Saturday", "Regular", "Closed"]
    ])
  })

  it("the local date decides the first upcoming day", () => {
    // 23:30 UTC on Sunday is already Monday in Copenhagen.
    const [first] = upcoming(support, t("2025-01-12T23:30:00Z"), 1).schedule.businessHours
    expect(first?.nextDate).toBe("2025-01-13")
    expect(first?.dayOfWeek).toBe(1)
  })

  it("a period may run past midnight, and touching periods run together", () => {
    const late = utcSchedule([regular(5, [["22:00", "02:00"]])])
    expect(statusAt(late, t("2025-01-11T01:00:00Z")))
      .toMatchObject({ isOpen: true, closesAt: "2025-01-11T02:00:00.000Z" })
    const joined = utcSchedule([regular(5, [["20:00", "24:00"]]), regular(6, [["00:00", "03:00"]])])
    expect(statusAt(joined, t("2025-01-10T21:00:00Z")))
      .toMatchObject({ isOpen: true, closesAt: "2025-01-11T03:00:00.000Z" })
  })

  it("the latest weekly rule in force applies; a schedule that never opens has no opensAt", () => {
    const changed = utcSchedule([regular(1, [["09:00", "17:00"]]), regular(1, [], "2025-06-02")])
    expect(statusAt(changed, t("2025-05-26T10:00:00Z")).isOpen).toBe(true)
    expect(statusAt(changed, t("2025-06-09T10:00:00Z")))
      .toEqual({ isOpen: false, timestamp: "2025-06-09T10:00:00.000Z" })
  })
})
