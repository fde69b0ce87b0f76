import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createServer, type IncomingMessage } from "node:http"
import * as NodeGateway from "../src/NodeGateway.js"
import { callers, keys } from "./support.js"

// What reaches Dixa is rebuilt from what the gateway checked, never the caller's bytes. The upstream here is a plain
// node:http server that records each request it gets and answers like Dixa would for a lookup.

interface Seen {
  readonly method: string
  readonly url: string
  readonly contentType: string | undefined
  readonly body: string
}

const recordingUpstream = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly seen: Array<Seen>; readonly close: () => void }>((resume) => {
    const seen: Array<Seen> = []
    const server = createServer((req: IncomingMessage, res) => {
      const chunks: Array<Buffer> = []
      req.on("data", (c: Buffer) => chunks.push(c))
      req.on("end", () => {
        seen.push({
          method: req.method ?? "",
          url: req.url ?? "",
          contentType: req.headers["content-type"],
          body: Buffer.concat(chunks).toString("utf8")
        })
        res.writeHead(200, { "content-type": "application/json" })
        res.end(JSON.stringify({ data: [] }))
      })
    })
    server.listen(0, "127.0.0.1", () => {
      const address = server.address() as { port: number }
      resume(Effect.succeed({ url: `http://127.0.0.1:${address.port}`, seen, close: () => server.close() }))
    })
  }),
  (upstream) => Effect.sync(upstream.close)
)

const setup = Effect.gen(function*() {
  const upstream = yield* recordingUpstream
  const gateway = yield* NodeGateway.start({
    dixaApiKey: Redacted.make("upstream-token"),
    dixaBaseUrl: upstream.url,
    keys,
    budget: { requestsPerSecond: 1000, burst: 100 },
    cacheTtl: "0 millis"
  })
  const call = (path: string, init: { method?: string; body?: string; contentType?: string } = {}) =>
    Effect.promise(async () => {
      const response = await fetch(gateway.url + path, {
        method: init.method ?? "GET",
        headers: {
          authorization: callers[0]!.key,
          ...(init.contentType !== undefined ? { "content-type": init.contentType } : {})
        },
        ...(init.body !== undefined ? { body: init.body } : {})
      })
      return { status: response.status, headers: response.headers, json: await response.json() as any }
    })
  return { upstream, call }
})

describe("forward what was validated", () => {
  it.scopedLive("path and query go upstream re-encoded from the decoded values; unknown parameters stay behind", () =>
    Effect.gen(function*() {
      const { call, upstream } = yield* setup
      const answer = yield* call("/beta/tags?includeDeactivated=TRUE&debug=1&includeDeactivated2=x")
      expect(answer.status).toBe(200)
      expect(answer.headers.get("x-gateway-ignored-query")).toBe("debug,includeDeactivated2")
      expect(upstream.seen.at(-1)?.url).toBe("/beta/tags?includeDeactivated=true")
      yield* call("/beta/conversations/+16")
      expect(upstream.seen.at(-1)?.url).toBe("/beta/conversations/16")
    }))

  it.scopedLive("path parameters that would change the path are refused and nothing is sent", () =>
    Effect.gen(function*() {
      const { call, upstream } = yield* setup
      for (const id of ["..%2F..%2Fbeta%2Fagents", "a%00b", "a%0d%0ab", "a%5Cb"]) {
        const answer = yield* call(`/beta/tags/${id}`)
        expect(answer.status, id).toBe(400)
        expect(answer.json.message, id).toMatch(/path\.tagId/)
      }
      // An encoded dot segment is resolved by URL parsing before routing: /beta/tags/%2E%2E is /beta/, no operation.
      expect((yield* call("/beta/tags/%2E%2E")).status).toBe(404)
      expect(upstream.seen).toEqual([])
    }))

  it.scopedLive("a JSON body goes as JSON with the gateway's content type, fields the definition lacks kept", () =>
    Effect.gen(function*() {
      const { call, upstream } = yield* setup
      const answer = yield* call("/beta/tags", {
        method: "POST",
        body: JSON.stringify({ name: "vip", color: "#fff", name2: "kept" }),
        contentType: "text/plain"
      })
      expect(answer.status).toBe(200)
      const seen = upstream.seen.at(-1)!
      expect(seen.contentType).toBe("application/json")
      expect(JSON.parse(seen.body)).toEqual({ name: "vip", color: "#fff", name2: "kept" })
    }))

  it.scopedLive("multipart bodies are checked like JSON ones and rebuilt for upstream", () =>
    Effect.gen(function*() {
      const { call, upstream } = yield* setup
      const form = new FormData()
      form.append("files", new Blob(["hello"], { type: "text/plain" }), "hello.txt")
      const request = new Request("http://x", { method: "POST", body: form })
      const good = yield* call("/beta/knowledge/articles/attachments", {
        method: "POST",
        body: yield* Effect.promise(() => request.text()),
        contentType: request.headers.get("content-type")!
      })
      expect(good.status).toBe(200)
      const bad = yield* call("/beta/knowledge/articles/attachments", {
        method: "POST",
        body: "not a form",
        contentType: "multipart/form-data; boundary=zzz"
      })
      expect(bad.status).toBe(400)
      expect(upstream.seen.length).toBe(1)
      expect(upstream.seen[0]!.contentType).toMatch(/^multipart\/form-data; boundary=/)
      expect(upstream.seen[0]!.body).toContain("hello")
    }))
})
