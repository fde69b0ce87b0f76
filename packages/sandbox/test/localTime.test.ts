/**
 * Local time in named zones, as business hours and analytics periods read it.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Option from "effect/Option"
import * as LocalTime from "../src/internal/localTime.js"

const copenhagen = LocalTime.unsafeZone("Europe/Copenhagen")
const newYork = LocalTime.unsafeZone("America/New_York")
const day = (iso: string) =>
  LocalTime.dayOf({ year: +iso.slice(0, 4), month: +iso.slice(5, 7), day: +iso.slice(8, 10) })
const at = (zone: Parameters<typeof LocalTime.instantAt>[0], date: string, time: string) => {
  const [hours, minutes] = time.split(":").map(Number)
  return new Date(LocalTime.instantAt(zone, day(date), hours! * 60 + minutes!)).toISOString()
}

describe("local time", () => {
  it("an instant falls on the local date of its zone", () => {
    const instant = Date.parse("2025-01-12T23:30:00Z")
    expect(LocalTime.isoDate(LocalTime.dayAt(copenhagen, instant))).toBe("2025-01-13")
    expect(LocalTime.isoDate(LocalTime.dayAt(newYork, instant))).toBe("2025-01-12")
    expect(LocalTime.weekdayOf(day("2025-01-13"))).toBe(1)
    expect(LocalTime.dateOf(LocalTime.dayOf({ year: 2025, month: 0, day: 1 }))).toEqual({
      year: 2024,
      month: 12,
      day: 1
    })
  })

  it("a local time is read with the offset in force on its day", () => {
    expect(at(copenhagen, "2025-01-08", "08:00")).toBe("2025-01-08T07:00:00.000Z")
    expect(at(copenhagen, "2025-07-08", "08:00")).toBe("2025-07-08T06:00:00.000Z")
    expect(at(newYork, "2025-07-08", "24:00")).toBe("2025-07-09T04:00:00.000Z")
  })

  it("around a clock change: a skipped time is read on the clock from before, a repeated one is its first", () => {
    // 2025-03-30 02:00 in Copenhagen is 03:00; 2025-10-26 03:00 is 02:00 again.
    expect(at(copenhagen, "2025-03-30", "02:30")).toBe("2025-03-30T01:30:00.000Z")
    expect(at(copenhagen, "2025-10-26", "02:30")).toBe("2025-10-26T00:30:00.000Z")
  })

  it("a zone is found by its IANA name, and an unknown name is none", () => {
    expect(Option.isSome(LocalTime.zone("Europe/Copenhagen"))).toBe(true)
    expect(Option.isNone(LocalTime.zone("Nowhere/Zone"))).toBe(true)
  })
})
