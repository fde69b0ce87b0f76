// `--timeout` against a server that takes requests and never answers, and the `--all` progress line,
// through the built bundle.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import * as path from "node:path"
import { against, dixa, hasScript, onTerminal, scratch } from "./support.js"

/** A server that accepts every request and never answers; it counts what it got. */
const silentServer = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly seen: Array<string>; readonly server: http.Server }>((resume) => {
    const seen: Array<string> = []
    const server = http.createServer((request) => void seen.push(`${request.method} ${request.url}`))
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, seen, server }))
    })
  }),
  ({ server }) => Effect.sync(() => (server.closeAllConnections(), server.close()))
)

describe("--timeout", () => {
  it.scoped("a write to a server that never answers gives up in time, sent once, exit 4", () =>
    Effect.gen(function*() {
      const { seen, url } = yield* silentServer
      // Without --timeout it would wait out its 30 s attempt and say so differently.
      const result = yield* against(url)(["--timeout", "2s", "tags", "create", "--name", "vip", "--yes"])
      expect(result.code).toBe(4)
      // The time it reports is the time it spent: at least the timeout.
      expect(Number(/gave up after (\d+\.\d)s/.exec(result.stderr)?.[1])).toBeGreaterThanOrEqual(2)
      expect(result.stdout).toBe("")
      expect(result.stderr.trimEnd().split("\n"), result.stderr).toHaveLength(1)
      expect(result.stderr).toMatch(
        /^dixa: gave up after \d+\.\ds \(--timeout 2s\): POST \/beta\/tags got no answer \(1 attempt\)$/m
      )
      expect(seen).toEqual(["POST /beta/tags"])
    }))

  it.scoped("bounds --all too; with --output json the error is one object", () =>
    Effect.gen(function*() {
      const { url } = yield* silentServer
      const result = yield* against(url)(["--output", "json", "agents", "list", "--all", "--timeout", "1"])
      expect(result.code).toBe(4)
      expect(JSON.parse(result.stderr).error).toMatchObject({ _tag: "TimedOut", operation: "agents.list" })
    }))

  it.effect("a malformed --timeout is 2, and nothing is sent", () =>
    Effect.gen(function*() {
      for (const value of ["soon", "0", "-1s", "5x"]) {
        const result = yield* against("http://127.0.0.1:9")(["--timeout", value, "agents", "list"])
        expect(result.code, value).toBe(2)
        expect(result.stderr).toMatch(/--timeout .* is not a duration/)
      }
    }))
})

describe("--all progress", () => {
  const env = { DIXA_SANDBOX_STATE: path.join(scratch, "progress-sandbox.db") }

  it.effect("off a terminal, stderr stays empty", () =>
    Effect.gen(function*() {
      const result = yield* dixa(["--sandbox", "agents", "list", "--all", "--page-limit", "2"], { env })
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
      expect(JSON.parse(result.stdout).length).toBeGreaterThan(2)
    }))

  it.effect.skipIf(!hasScript)(
    "on a terminal, a line rewritten as pages arrive, cleared at the end",
    () =>
      Effect.gen(function*() {
        const result = yield* onTerminal(["--sandbox", "agents", "list", "--all", "--page-limit", "2"], "", env)
        expect(result.code).toBe(0)
        // Back to the start of the line and erase it, then the new count.
        const wipe = "\r\u001b[K"
        expect(result.stdout.startsWith(`${wipe}pages 1, items 2${wipe}pages 2, items 4`)).toBe(true)
        // The line is wiped before the table is printed.
        expect(result.stdout).toContain(`${wipe}displayName `)
      })
  )
})
