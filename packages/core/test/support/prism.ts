/**
 * Stoplight Prism as a scoped resource: a mock of the official spec, in a child process on a free
 * port, killed when the scope closes. Its log is kept, and split into one block per request so a test
 * can read what Prism thought of each request it sent.
 */
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { type ChildProcess, spawn } from "node:child_process"
import { createRequire } from "node:module"
import * as path from "node:path"
import { specPath } from "./spec.js"

/**
 * - `strict`: `--errors`, so a request that violates the spec gets a 4xx, and a response example that
 *   violates it gets a 500.
 * - `lax`: still validates and logs, but answers with the example whatever it finds.
 */
export type Mode = "strict" | "lax"

/** A running Prism. */
export interface Prism {
  readonly mode: Mode
  readonly baseUrl: string
  readonly pid: number
  /** Everything Prism has logged so far, without colours. */
  readonly log: () => string
}

/** Prism did not start. */
export class PrismFailed extends Data.TaggedError("PrismFailed")<{ readonly message: string }> {}

const require = createRequire(import.meta.url)

/** The CLI's entry script, run with this Node (no shell, so the pid is Prism's own). */
const entry = (): string => {
  const manifest = require.resolve("@stoplight/prism-cli/package.json")
  const bin = (require(manifest) as { bin: Record<string, string> }).bin["prism"]!
  return path.resolve(path.dirname(manifest), bin)
}

// Prism colours its log; the escape character is what the pattern is for.
// eslint-disable-next-line no-control-regex
const ansi = /\u001b\[[0-9;]*m/g

const stop = (child: ChildProcess): Effect.Effect<void> =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000)
    child.once("exit", () => {
      clearTimeout(force)
      resume(Effect.void)
    })
    child.kill("SIGTERM")
  })

/** Starts Prism on a free port (`-p 0`, the port read back from its log) and stops it with the scope. */
export const start = (mode: Mode): Effect.Effect<Prism, PrismFailed, Scope.Scope> =>
  Effect.gen(function*() {
    let log = ""
    const args = [entry(), "mock", "-h", "127.0.0.1", "-p", "0", ...(mode === "strict" ? ["--errors"] : []), specPath]
    const child = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const child = spawn(process.execPath, args, {
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, FORCE_COLOR: "0" }
        })
        const append = (chunk: Buffer) => {
          log += chunk.toString("utf8").replace(ansi, "")
        }
        child.stdout!.on("data", append)
        child.stderr!.on("data", append)
        return child
      }),
      stop
    )
    const baseUrl = yield* Effect.async<string, PrismFailed>((resume) => {
      const check = () => {
        const url = /Prism is listening on (http:\/\/\S+)/.exec(log)?.[1]
        if (url !== undefined) done(Effect.succeed(url))
      }
      const onExit = (code: number | null) =>
        done(Effect.fail(new PrismFailed({ message: `prism exited (${code}) before listening:\n${log.slice(-2000)}` })))
      const done = (result: Effect.Effect<string, PrismFailed>) => {
        child.stdout!.off("data", check)
        child.off("exit", onExit)
        resume(result)
      }
      child.stdout!.on("data", check)
      child.once("exit", onExit)
      check()
    }).pipe(
      Effect.timeoutFail({
        duration: Duration.seconds(90),
        onTimeout: () => new PrismFailed({ message: `prism did not start within 90 s:\n${log.slice(-2000)}` })
      })
    )
    return { mode, baseUrl, pid: child.pid!, log: () => log }
  })

/** What Prism logged about one request. */
export interface RequestLog {
  readonly method: string
  readonly path: string
  readonly lines: ReadonlyArray<string>
}

const received = /\[HTTP SERVER\] (\w+) (\S+) .*Request received/

/** The log split into one block per request, in arrival order. */
export const requests = (log: string): ReadonlyArray<RequestLog> => {
  const out: Array<{ method: string; path: string; lines: Array<string> }> = []
  for (const line of log.split("\n")) {
    const start = received.exec(line)
    if (start !== null) out.push({ method: start[1]!.toUpperCase(), path: start[2]!, lines: [] })
    out.at(-1)?.lines.push(line)
  }
  return out
}

/** Whether Prism has finished with a request (answered it or rejected it). */
export const isComplete = (request: RequestLog): boolean =>
  request.lines.some((line) => /Responding with "|Request terminated with error/.test(line))

const clean = (line: string) => line.replace(/^\[[^\]]*\]\s*›\s*/, "").replace(/\s+/g, " ").trim()

/** What Prism's validator found wrong with the request itself (empty when it passed validation). */
export const violations = (request: RequestLog): ReadonlyArray<string> =>
  unique(
    request.lines.filter((line) =>
      /Violation: request|Request did not pass|\[VALIDATOR\]\s*✖\s*error\s+(Request|Invalid security)/.test(line)
    ).map(clean)
  )

/** What lax Prism found wrong with the example it answered with (the spec's own example). */
export const responseViolations = (request: RequestLog): ReadonlyArray<string> =>
  unique(request.lines.filter((line) => /Violation: response/.test(line)).map(clean))

/**
 * Whether Prism found the spec's own response example invalid: strict Prism then refuses to answer
 * (it logs only that it terminated; the details go in its 500 body), lax Prism logs the violations.
 */
export const exampleInvalid = (request: RequestLog): boolean =>
  responseViolations(request).length > 0 ||
  (violations(request).length === 0 && /VIOLATIONS/.test(terminated(request) ?? ""))

const unique = (lines: ReadonlyArray<string>): ReadonlyArray<string> => [...new Set(lines)]

/** Why Prism refused to answer (in strict mode, a response example that violates the spec), if it did. */
export const terminated = (request: RequestLog): string | undefined => {
  const line = request.lines.find((l) => l.includes("Request terminated with error"))
  return line === undefined ? undefined : clean(line)
}

/** Whether Prism said the request passed validation. */
export const passed = (request: RequestLog): boolean =>
  request.lines.some((line) => line.includes("The request passed the validation rules"))
