// No silent waits: on a terminal each retry is said with its reason and wait, and an answer that takes long gets a
// ticking status line; off a terminal stderr stays quiet but the final message says the time spent and attempts.
// Through the built bundle, on a real pseudo-terminal (`script`).
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as http from "node:http"
import { against, apiKey, faults, hasScript, onTerminal, serve } from "./support.js"

/** A server that accepts every request and never answers. */
const silentServer = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly server: http.Server }>((resume) => {
    const server = http.createServer(() => {})
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, server }))
    })
  }),
  ({ server }) => Effect.sync(() => (server.closeAllConnections(), server.close()))
)

describe("retry progress", () => {
  it.scoped.skipIf(!hasScript)(
    "on a terminal, one line per retry: operation, wait, reason, attempt of all",
    () =>
      Effect.gen(function*() {
        const { url } = yield* serve([])
        yield* faults(url, { rateLimitStorm: true })
        const result = yield* onTerminal(["--base-url", url, "agents", "list"], "", { DIXA_API_KEY: apiKey })
        expect(result.code).toBe(4)
        for (const attempt of [2, 3, 4, 5]) {
          expect(result.stdout).toMatch(
            new RegExp(
              `^retrying agents\\.list in \\d+\\.\\ds \\(429 RateLimited, attempt ${attempt} of 5\\)\\r?$`,
              "m"
            )
          )
        }
        // The final message says how long it all took and how often the request was sent.
        expect(result.stdout).toMatch(
          /dixa: GET \/beta\/agents answered 429 RateLimited: .*; \d+\.\ds in all \(after 5 attempts\)/
        )
        expect(result.stdout).not.toContain(apiKey)
      })
  )

  it.scoped.skipIf(!hasScript)(
    "on a terminal, 5xx answers are retried and said the same way",
    () =>
      Effect.gen(function*() {
        const { url } = yield* serve([])
        yield* faults(url, { errorRate: 1 })
        const result = yield* onTerminal(["--base-url", url, "tags", "list"], "", { DIXA_API_KEY: apiKey })
        expect(result.code).toBe(4)
        const said = result.stdout.match(
          /^retrying tags\.list in \d+\.\ds \(50[023] ServerError, attempt \d of 5\)\r?$/gm
        )
        expect(said).toHaveLength(4)
        expect(result.stdout).toMatch(/answered 50[023] ServerError: .*; \d+\.\ds in all \(after 5 attempts\)/)
      })
  )

  it.scoped("off a terminal, stderr is only the failure, with the time spent and the attempts", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      yield* faults(url, { rateLimitStorm: true })
      const result = yield* against(url)(["tags", "list"])
      expect(result.code).toBe(4)
      expect(result.stderr.trimEnd().split("\n"), result.stderr).toHaveLength(1)
      const spent = Number(/; (\d+\.\d)s in all \(after 5 attempts\)$/m.exec(result.stderr)?.[1])
      // Four retries, each waiting at least the server's Retry-After of 1 s.
      expect(spent).toBeGreaterThanOrEqual(4)
    }))

  it.scoped.skipIf(!hasScript)(
    "on a terminal, an answer that does not come shows a ticking wait, wiped at the end",
    () =>
      Effect.gen(function*() {
        const { url } = yield* silentServer
        const result = yield* onTerminal(["--base-url", url, "agents", "list", "--timeout", "5s"], "", {
          DIXA_API_KEY: apiKey
        })
        expect(result.code).toBe(4)
        const wipe = "\r\u001b[K"
        expect(result.stdout).toContain(`${wipe}waiting for agents.list (attempt 1): 2s`)
        expect(result.stdout).toContain(`${wipe}dixa: gave up after `)
        expect(result.stdout).toMatch(/dixa: gave up after \d+\.\ds \(--timeout 5s\): GET \/beta\/agents got no answer/)
      })
  )
})
