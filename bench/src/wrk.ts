/**
 * Driving the `wrk` load generator (Debian package `wrk`) and reading its report: requests per second, the median
 * latency (from `--latency`), and the failures it counts (4xx/5xx answers, socket errors).
 */
import { execFile, spawnSync } from "node:child_process"

export interface Options {
  readonly url: string
  readonly connections: number
  readonly threads: number
  readonly seconds: number
  /** Extra request headers, as `Name: value` lines. */
  readonly headers?: ReadonlyArray<string>
}

export interface Report {
  readonly requestsPerSecond: number
  readonly p50Millis: number
  readonly requests: number
  /** Answers with a status of 400 or more (wrk's "Non-2xx or 3xx responses"). */
  readonly non2xx: number
  /** Connect, read, write and timeout errors added up. */
  readonly socketErrors: number
}

/** Whether a `wrk` binary is on the `PATH`. */
export const available = (): boolean => spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined

const unitMillis: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** `52.10us`, `1.23ms`, `2.00s` as milliseconds. */
const millis = (text: string): number => {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text)
  if (match === null) throw new Error(`cannot read the wrk duration ${text}`)
  return Number(match[1]) * unitMillis[match[2]!]!
}

/** Reads wrk's text report; fails naming what is missing, with the report, when it is not the expected shape. */
export const parse = (output: string): Report => {
  const find = (pattern: RegExp, what: string) => {
    const match = pattern.exec(output)
    if (match === null) throw new Error(`no ${what} in wrk's report:\n${output}`)
    return match
  }
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  return {
    requestsPerSecond: Number(find(/Requests\/sec:\s+([\d.]+)/, "Requests/sec")[1]),
    p50Millis: millis(find(/^\s+50%\s+(\S+)/m, "50% latency line")[1]!),
    requests: Number(find(/(\d+) requests in/, "request count")[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0),
    socketErrors: socket === null ? 0 : socket.slice(1).reduce((sum, n) => sum + Number(n), 0)
  }
}

/**
 * One wrk run. It runs as a separate process and is awaited without blocking, so servers living in this process
 * keep answering while it runs.
 */
export const run = (options: Options): Promise<Report> => {
  const args = [
    `-c${options.connections}`,
    `-t${options.threads}`,
    `-d${options.seconds}s`,
    "--latency",
    ...(options.headers ?? []).flatMap((h) => ["-H", h]),
    options.url
  ]
  return new Promise((resolve, reject) =>
    execFile("wrk", args, (error, stdout, stderr) => {
      if (error !== null) return reject(new Error(`wrk ${args.join(" ")} failed: ${stderr.trim() || error.message}`))
      try {
        resolve(parse(stdout))
      } catch (e) {
        reject(e)
      }
    })
  )
}
