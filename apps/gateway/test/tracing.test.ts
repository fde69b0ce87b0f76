// The built `dixa-gateway` binary's OTLP trace export and its log level, as an operator runs it.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { createServer as createHttpServer } from "node:http"
import { keysFile, run, serveBinary, waitFor } from "./binary.js"
import { callers, dixaToken } from "./support.js"

/** An OTLP/HTTP receiver that keeps the bodies POSTed to `/v1/traces`, with every request's headers. */
const receiver = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly bodies: Array<string>; readonly close: () => void }>((resume) => {
    const bodies: Array<string> = []
    const server = createHttpServer((req, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        if (req.method === "POST" && req.url === "/v1/traces") {
          bodies.push(JSON.stringify(req.headers) + Buffer.concat(chunks).toString("utf8"))
        }
        res.writeHead(200, { "content-type": "application/json" })
        res.end("{}")
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, bodies, close: () => server.close() }))
    })
  }),
  (r) => Effect.sync(() => r.close())
)

describe("dixa-gateway tracing and log level", () => {
  it.scopedLive(
    "with an OTLP endpoint, the spans are exported on shutdown, without the Dixa token",
    () =>
      Effect.gen(function*() {
        const otlp = yield* receiver
        const { gateway, get } = yield* serveBinary({
          OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
          OTEL_BSP_SCHEDULE_DELAY: "200"
        })
        yield* waitFor(gateway, "listening")
        const status = yield* get("/beta/tags")
        expect(status).toBe(200)
        gateway.child.kill("SIGTERM")
        expect(yield* Effect.promise(() => gateway.exit)).toBe(0)
        const received = otlp.bodies.join("\n")
        expect(received).toContain("dixa.tags.list")
        expect(received).toContain("dixa-gateway")
        expect(received).not.toContain(dixaToken)
        expect(received).not.toContain(callers[0]!.key)
        expect(gateway.output()).not.toContain(dixaToken)
      }),
    30_000
  )

  it.scopedLive("without an OTLP endpoint, the gateway serves and exits 0 as before", () =>
    Effect.gen(function*() {
      const { gateway, get } = yield* serveBinary()
      yield* waitFor(gateway, "listening")
      const status = yield* get("/beta/tags")
      expect(status).toBe(200)
      yield* waitFor(gateway, "\"request\"")
      gateway.child.kill("SIGTERM")
      expect(yield* Effect.promise(() => gateway.exit)).toBe(0)
    }), 30_000)

  it.scopedLive("GATEWAY_LOG_LEVEL=warning prints no info lines", () =>
    Effect.gen(function*() {
      const { gateway, get } = yield* serveBinary({ GATEWAY_LOG_LEVEL: "warning" })
      // No "listening" line to wait for: poll until it answers.
      let status = 0
      for (let i = 0; i < 200 && status === 0; i++) {
        status = yield* get("/beta/tags").pipe(Effect.catchAllDefect(() => Effect.as(Effect.sleep("50 millis"), 0)))
      }
      expect(status).toBe(200)
      gateway.child.kill("SIGTERM")
      expect(yield* Effect.promise(() => gateway.exit)).toBe(0)
      expect(gateway.output()).not.toContain("listening")
      expect(gateway.output()).not.toContain("\"request\"")
      expect(gateway.output()).not.toContain("stopped")
    }), 30_000)

  it.effect("a bad GATEWAY_LOG_LEVEL stops start-up with one line that names it", () =>
    Effect.gen(function*() {
      const loud = run({ DIXA_API_KEY: dixaToken, GATEWAY_KEYS_FILE: keysFile(), GATEWAY_LOG_LEVEL: "loud" })
      expect(yield* Effect.promise(() => loud.exit)).toBe(1)
      expect(loud.output().trim().split("\n")).toHaveLength(1)
      expect(loud.output()).toContain("GATEWAY_LOG_LEVEL")
      expect(loud.output()).not.toContain(dixaToken)
    }), 30_000)
})
