/**
 * Business-hours schedules: weekly hours and exceptions in a time zone.
 */

/** Local wall-clock times `HH:mm`; an `endTime` of `24:00` or at or before `startTime` runs to midnight. */
export interface TimeInterval {
  startTime: string
  endTime: string
}

/** The hours of one weekday (1 is Monday, 7 Sunday), in force from `startDate`. */
export interface RegularHours {
  name: string
  dayOfWeek: number
  businessHourType: "Regular"
  status: "Open" | "Closed"
  intervals: Array<TimeInterval>
  startDate: string
}

/** A day that departs from the weekly hours: once on `startDate`, or every year when `recurring`. */
export interface ExceptionHours {
  name: string
  businessHourType: "Exception" | "Holiday"
  status: "Open" | "Closed"
  intervals: Array<TimeInterval>
  recurring?: { dayOfMonth?: number; monthOfYear?: number; holiday?: string }
  startDate: string
}

/** A business-hours schedule: weekly hours and exceptions in an IANA time zone. */
export interface Schedule {
  id: string
  name: string
  timezone: string
  businessHours: Array<RegularHours>
  exceptions: Array<ExceptionHours>
}
