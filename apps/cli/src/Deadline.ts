/**
 * `--timeout`: one bound for the whole command. Every call gets what is left of it as its deadline, and a
 * call that ran out of it becomes one line saying how long we waited and how often the request was sent.
 *
 * @since 0.1.0
 */
import type * as DixaError from "@org/dixa-core/DixaError"
import { TimedOut, UsageError } from "./Failure.js"

/** The parsed `--timeout`: as given, and in milliseconds. */
export interface Limit {
  readonly text: string
  readonly millis: number
}

const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** Reads `500ms`, `10s`, `2m`, `1h` or plain seconds (`10`, `0.5`); anything else, or zero, is a usage error. */
export const parse = (text: string): Limit | UsageError => {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  const millis = match ? Number(match[1]) * units[match[2] ?? "s"]! : NaN
  if (!(millis >= 1)) {
    return new UsageError({ message: `--timeout '${text}' is not a duration: use e.g. 10s, 2m, 500ms or 30 (seconds)` })
  }
  return { text: text.trim(), millis }
}

/** A running bound: started now, asked for what is left before each call. */
export interface Clock {
  readonly limit: Limit
  readonly started: number
}

export const start = (limit: Limit): Clock => ({ limit, started: Date.now() })

/** The call options for the next call: the time left (never negative). */
export const callOptions = (clock: Clock | undefined) =>
  clock === undefined ? undefined : { deadline: Math.max(0, clock.limit.millis - (Date.now() - clock.started)) }

const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)}s`

/** A transport failure caused by the bound passing: not sent in time (`Deadline`) or not answered in time. */
const ranOut = (clock: Clock, error: { readonly _tag?: unknown; readonly reason?: unknown }): boolean =>
  error._tag === "TransportError" &&
  (error.reason === "Deadline" || (error.reason === "Timeout" && Date.now() - clock.started >= clock.limit.millis - 50))

/** The failure to report: a {@link TimedOut} when the bound passed, the error itself otherwise. */
export const explain = <E>(clock: Clock | undefined, error: E): E | TimedOut => {
  if (clock === undefined || !ranOut(clock, error as never)) return error
  const e = error as unknown as DixaError.TransportError
  const spent = seconds(Date.now() - clock.started)
  const what = e.attempts === 0 ? "was not sent" : "got no answer"
  const times = `${e.attempts} attempt${e.attempts === 1 ? "" : "s"}`
  return new TimedOut({
    message: `gave up after ${spent} (--timeout ${clock.limit.text}): ${e.method} ${e.path} ${what} (${times})`,
    operation: e.operation,
    attempts: e.attempts
  })
}

/** Failures that come after waiting (transport, 429, 5xx): their report says how long it all took. */
const waitedFor = new Set(["TransportError", "RateLimited", "ServerError"])

/**
 * The failure with the real time spent since `started` added to its message (`...; 152.8s in all`), when it is a
 * failure that waited and took a noticeable time or more than one attempt; other failures as they are.
 */
export const withTimeSpent = <E>(started: number, error: E): E => {
  const e = error as { readonly _tag?: unknown; readonly message?: unknown; readonly attempts?: unknown }
  if (typeof e?._tag !== "string" || !waitedFor.has(e._tag) || typeof e.message !== "string") return error
  const spent = Date.now() - started
  if (spent < 1000 && e.attempts === 1) return error
  const copy = Object.assign(Object.create(Object.getPrototypeOf(error) as object) as object, error)
  return Object.assign(copy, { message: `${e.message}; ${seconds(spent)} in all` }) as E
}
