// The built `dixa-gateway` binary as an operator runs it: configuration errors and a graceful SIGTERM.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { freePort, keysFile, run, serveBinary, waitFor } from "./binary.js"
import { callers, dixaToken } from "./support.js"

describe("dixa-gateway process", () => {
  it.effect("a bad configuration stops start-up with one line that names the problem", () =>
    Effect.gen(function*() {
      // All five start at once (each is a whole Node start-up), then each is checked.
      const file = (content: string) => {
        const path = join(mkdtempSync(join(tmpdir(), "gateway-")), "keys.json")
        writeFileSync(path, content)
        return path
      }
      const missing = run({ DIXA_API_KEY: dixaToken })
      const badPort = run({ DIXA_API_KEY: dixaToken, GATEWAY_KEYS_FILE: keysFile(), GATEWAY_PORT: "eighty" })
      const invalid = run({
        DIXA_API_KEY: dixaToken,
        GATEWAY_KEYS_FILE: file(JSON.stringify([{ name: "x", key: "short", scopes: ["admin"] }]))
      })
      // A keys file that is not JSON: where, but not what (the parser's own message quotes the text: the keys).
      const unparsable = run({
        DIXA_API_KEY: dixaToken,
        GATEWAY_KEYS_FILE: file(`[{"name": "x", "key": secret-key-do-not-print, "scopes": ["read"]}]`)
      })
      // A key of the wrong type: the field, not the value.
      const mistyped = run({
        DIXA_API_KEY: dixaToken,
        GATEWAY_KEYS_FILE: file(JSON.stringify([{ name: "x", key: 123456789012345, scopes: ["read"] }]))
      })

      expect(yield* Effect.promise(() => missing.exit)).toBe(1)
      expect(missing.output().trim().split("\n")).toHaveLength(1)
      expect(missing.output()).toContain("GATEWAY_KEYS_FILE")

      expect(yield* Effect.promise(() => badPort.exit)).toBe(1)
      expect(badPort.output()).toContain("GATEWAY_PORT")

      expect(yield* Effect.promise(() => invalid.exit)).toBe(1)
      expect(invalid.output().trim().split("\n")).toHaveLength(1)
      expect(invalid.output()).toContain("scopes")
      expect(invalid.output()).not.toContain("short")

      expect(yield* Effect.promise(() => unparsable.exit)).toBe(1)
      expect(unparsable.output()).toContain("is not JSON")
      expect(unparsable.output()).not.toContain("secret-key")

      expect(yield* Effect.promise(() => mistyped.exit)).toBe(1)
      expect(mistyped.output()).toContain("key")
      expect(mistyped.output()).not.toContain("123456789012345")

      for (const spawned of [missing, badPort, invalid]) expect(spawned.output()).not.toContain(dixaToken)
    }), 60_000)

  it.effect("the start-up line shows the upstream without its user and password", () =>
    Effect.gen(function*() {
      const port = yield* freePort()
      const started = run({
        DIXA_API_KEY: dixaToken,
        DIXA_BASE_URL: "http://ops:hunter2-password@127.0.0.1:1",
        GATEWAY_KEYS_FILE: keysFile(),
        GATEWAY_PORT: String(port)
      })
      yield* waitFor(started, "listening")
      started.child.kill("SIGTERM")
      yield* Effect.promise(() => started.exit)
      expect(started.output()).toContain("127.0.0.1:1")
      expect(started.output()).not.toContain("hunter2")
      expect(started.output()).not.toContain("ops:")
    }), 30_000)

  it.scopedLive(
    "on SIGTERM it stops accepting, finishes the requests in flight and exits 0",
    () =>
      Effect.gen(function*() {
        const { gateway, port } = yield* serveBinary({ GATEWAY_CACHE_TTL: "0 millis" }, {
          faults: { latency: "3 seconds" }
        })
        yield* waitFor(gateway, "listening")
        const url = `http://127.0.0.1:${port}/beta/tags`
        const inFlight = Array.from({ length: 3 }, () =>
          fetch(url, { headers: { authorization: callers[0]!.key } }).then(async (r) => ({
            status: r.status,
            text: await r.text()
          })))
        // Well inside the sandbox's 3 s latency: the requests have reached the gateway and are waiting upstream.
        yield* Effect.sleep("1 second")
        gateway.child.kill("SIGTERM")
        const answers = yield* Effect.promise(() =>
          Promise.all(inFlight)
        )
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
        expect(yield* Effect.promise(() => gateway.exit)).toBe(0)
        const after = yield* Effect.promise(() => fetch(url).then(() => "answered", () => "refused"))
        expect(after).toBe("refused")
        expect(gateway.output()).toContain("\"caller\":\"billing\"")
        expect(gateway.output()).not.toContain(dixaToken)
        expect(gateway.output()).not.toContain(callers[0]!.key)
      }),
    30_000
  )
})
