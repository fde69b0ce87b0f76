// `--debug` and `DIXA_DEBUG`: each request and answer on stderr with its time, retries said, the key never shown;
// through the built bundle against a sandbox server.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as path from "node:path"
import { against, apiKey, dixa, faults, json, scratch, serve } from "./support.js"

describe("--debug", () => {
  it.scoped("shows the request, headers with the key masked, the answer with its time; stdout is unchanged", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const result = yield* against(url)(["--debug", "tags", "list"])
      expect(result.code, result.stderr).toBe(0)
      const base = url.replace(/[.]/g, "\\.")
      expect(result.stderr).toMatch(new RegExp(`^> GET ${base}/beta/tags \\(tags\\.list, attempt 1\\)$`, "m"))
      expect(result.stderr).toMatch(/^> {2}authorization: <redacted>$/m)
      expect(result.stderr).toMatch(/^< 200 in \d+ ms \(tags\.list, attempt 1\)$/m)
      expect(result.stderr).toMatch(/^< {2}content-type: application\/json/m)
      expect(result.stderr).toMatch(/^< {2}\{"data":\[/m)
      expect(result.stderr).not.toContain(apiKey)
      expect(Array.isArray(json(result))).toBe(true)
    }))

  it.scoped("DIXA_DEBUG=1 does the same; a write shows its body, truncated past 2 KB", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const long = "x".repeat(3000)
      const result = yield* against(url)(["tags", "create", "--name", long, "--yes"], { env: { DIXA_DEBUG: "1" } })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toMatch(/^> POST .*\/beta\/tags \(tags\.create, attempt 1\)$/m)
      expect(result.stderr).toMatch(/^> {2}\{"name":"x+… \(\d+ bytes in all\)$/m)
      expect(result.stderr).toMatch(/^< 200 in \d+ ms \(tags\.create, attempt 1\)$/m)
      expect(result.stderr).not.toContain(apiKey)
    }))

  it.scoped("says each retry with its reason and wait, and each 429 answer", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      yield* faults(url, { rateLimitStorm: true })
      const result = yield* against(url)(["--debug", "agents", "list"])
      expect(result.code).toBe(4)
      expect(result.stderr).toMatch(/^< 429 in \d+ ms \(agents\.list, attempt 1\)$/m)
      expect(result.stderr).toMatch(/^< {2}retry-after: 1$/m)
      for (const attempt of [2, 3, 4, 5]) {
        expect(result.stderr).toMatch(
          new RegExp(`^↻ retry agents\\.list in \\d+\\.\\ds \\(429 RateLimited, attempt ${attempt} of 5\\)$`, "m")
        )
      }
      expect(result.stderr).not.toContain(apiKey)
    }))

  it.scoped("says each wait for a rate-limit slot: pages asked faster than Dixa's 10 a second", () =>
    Effect.gen(function*() {
      const { url } = yield* serve(["--agents", "30"])
      const result = yield* against(url)(["--debug", "agents", "list", "--all", "--page-limit", "1"])
      expect(result.code, result.stderr).toBe(0)
      expect(json(result).length).toBeGreaterThan(30)
      expect(result.stderr).toMatch(/^… waited \d+ ms for a rate-limit slot \(agents\.list, attempt 1\)$/m)
    }))

  it.effect("works with --sandbox, whose requests go to the embedded server", () =>
    Effect.gen(function*() {
      const env = { DIXA_SANDBOX_STATE: path.join(scratch, "debug-sandbox.db") }
      const result = yield* dixa(["--sandbox", "--debug", "agents", "list", "--page-limit", "1"], { env })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stderr).toMatch(/^> GET http:\/\/127\.0\.0\.1:\d+\/beta\/agents\?pageLimit=1 /m)
      expect(result.stderr).toMatch(/^< 200 in \d+ ms/m)
    }))

  it.effect("without it, off a terminal, stderr stays empty", () =>
    Effect.gen(function*() {
      const env = { DIXA_SANDBOX_STATE: path.join(scratch, "debug-sandbox.db") }
      const result = yield* dixa(["--sandbox", "agents", "list", "--all", "--page-limit", "2"], { env })
      expect(result.code).toBe(0)
      expect(result.stderr).toBe("")
    }))
})
