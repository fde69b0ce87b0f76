/**
 * How the command fails: every failure becomes one line on stderr (or one JSON object with
 * `--output json`) and a distinct exit code. See the README for the table.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"

/** Exit codes. */
export const ExitCode = {
  Ok: 0,
  Other: 1,
  /** Usage or invalid input; nothing was sent. */
  Usage: 2,
  /** The API refused the request (4xx other than 429). */
  Refused: 3,
  /** Rate limited, 5xx, transport failure (including `--timeout` passing), or a response we could not read. */
  Unavailable: 4,
  /** A bulk operation was answered, but some of its items failed. */
  Partial: 5
} as const

/** A failure of the command line itself (usage, input, confirmation). Nothing was sent. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** The user declined a confirmation prompt. */
export class Declined extends Data.TaggedError("Declined")<{ readonly message: string }> {}

/** `--timeout` passed: how long we waited, and how often the request was sent. */
export class TimedOut extends Data.TaggedError("TimedOut")<{
  readonly message: string
  readonly operation: string
  readonly attempts: number
}> {}

/** One failed item of a bulk answer: its position in the answer and Dixa's error for it. */
export interface ItemFailure {
  readonly index: number
  readonly error: unknown
}

/** A bulk operation whose answer holds failed items (`BulkActionFailure`); the answer itself was printed. */
export class PartialFailure extends Data.TaggedError("PartialFailure")<{
  readonly message: string
  readonly failures: ReadonlyArray<ItemFailure>
}> {}

/** What we print about a failure. */
export interface Report {
  readonly _tag: string
  readonly message: string
  readonly status?: number
  readonly operation?: string
  readonly failures?: ReadonlyArray<ItemFailure>
  readonly exitCode: number
}

const dixaCodes: Record<string, number> = {
  InvalidInput: ExitCode.Usage,
  BadRequest: ExitCode.Refused,
  Unauthorized: ExitCode.Refused,
  NotFound: ExitCode.Refused,
  Conflict: ExitCode.Refused,
  RateLimited: ExitCode.Unavailable,
  ServerError: ExitCode.Unavailable,
  TransportError: ExitCode.Unavailable,
  DecodeError: ExitCode.Unavailable
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim()

/**
 * An input problem said once per field: `query.pageLimit: Expected a positive number, actual 0;
 * query.pageLimit: Expected undefined, actual "0"` keeps its first message, a repeated one is dropped.
 */
export const tidyIssues = (message: string): string => {
  const colon = message.indexOf(": ")
  const [head, rest] = /^invalid input for /.test(message) && colon >= 0
    ? [message.slice(0, colon + 2), message.slice(colon + 2)]
    : ["", message]
  const seen = new Set<string>()
  const kept = rest.split("; ").filter((issue) => {
    const path = /^([\w.[\]-]+): /.exec(issue)?.[1] ?? issue
    if (seen.has(path)) return false
    seen.add(path)
    return true
  })
  return head + kept.join("; ")
}

/** Turns anything that failed into a report. `describe` renders Dixa errors (it sees only errors with their tags). */
export const report = <E>(error: unknown, describe: (e: E) => string): Report => {
  const e = error as { _tag?: unknown; message?: unknown; status?: unknown; operation?: unknown }
  const tag = typeof e?._tag === "string" ? e._tag : "Error"
  if (tag in dixaCodes) {
    return {
      _tag: tag,
      message: tag === "InvalidInput" ? tidyIssues(oneLine(describe(error as E))) : oneLine(describe(error as E)),
      ...(typeof e.status === "number" ? { status: e.status } : {}),
      ...(typeof e.operation === "string" ? { operation: e.operation } : {}),
      exitCode: dixaCodes[tag]!
    }
  }
  const message = typeof e?.message === "string" && e.message !== "" ? oneLine(e.message) : oneLine(String(error))
  if (tag === "PartialFailure") {
    const failures = (error as PartialFailure).failures
    return { _tag: tag, message, failures, exitCode: ExitCode.Partial }
  }
  if (tag === "TimedOut") {
    return { _tag: tag, message, operation: (error as TimedOut).operation, exitCode: ExitCode.Unavailable }
  }
  if (tag === "UsageError" || tag === "Declined" || tag === "ValidationError") {
    return { _tag: tag, message, exitCode: ExitCode.Usage }
  }
  return { _tag: tag, message, exitCode: ExitCode.Other }
}

const describeItem = (failure: ItemFailure): string => {
  const e = failure.error as { _type?: unknown; id?: unknown; message?: unknown } | null
  const kind = typeof e?._type === "string" ? `${e._type}: ` : ""
  const id = typeof e?.id === "string" ? ` (id ${e.id})` : ""
  const text = typeof e?.message === "string" ? e.message : JSON.stringify(failure.error)
  return `dixa: item ${failure.index + 1} failed: ${kind}${oneLine(text)}${id}`
}

// Whether the command's output format, once resolved (flag, environment or profile), is machine-readable.
let machineOutput: boolean | undefined

/**
 * Records the output format the command resolved, so that its errors follow it: JSON when the format was
 * chosen (not `auto`) and is json, ndjson or yaml.
 */
export const useFormat = (format: string, chosen: boolean): void => {
  machineOutput = chosen && format !== "table"
}

const machineFormats = /^(json|ndjson|yaml)$/

/**
 * Whether to write errors as JSON: by the resolved format when the command got that far, else by
 * `--output` on the command line (or `$DIXA_OUTPUT`), so that a command line the parser refused follows it too.
 */
export const wantsJson = (argv: ReadonlyArray<string>, env: NodeJS.ProcessEnv = process.env): boolean => {
  if (machineOutput !== undefined) return machineOutput
  let format = env["DIXA_OUTPUT"]
  argv.forEach((arg, i) => {
    if (arg === "--output") format = argv[i + 1]
    else if (arg.startsWith("--output=")) format = arg.slice("--output=".length)
  })
  return format !== undefined && machineFormats.test(format)
}

/** The text written to stderr for a report: one line, after one line per failed item of a bulk answer. */
export const render = (r: Report, asJson: boolean): string => {
  if (!asJson) return [...(r.failures ?? []).map(describeItem), `dixa: ${r.message}`].join("\n")
  const { exitCode: _, ...error } = r
  return JSON.stringify({ error })
}
