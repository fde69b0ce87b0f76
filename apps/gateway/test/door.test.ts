// The door over real HTTP: body limits, JSON nesting, timeouts for slow or silent sockets, the connection cap.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Net from "node:net"
import { tooDeep } from "../src/Door.js"
import { call, callers, stack } from "./support.js"

const [billing] = callers as [typeof callers[0]]

/** What came back on a raw connection: the status line's code and the JSON body, when there was an answer. */
interface Exchange {
  readonly text: string
  readonly status: number | undefined
  readonly json: any
}

const parse = (text: string): Exchange => {
  const [head = "", body = ""] = text.split("\r\n\r\n", 2)
  const status = /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]
  let json: any = undefined
  try {
    json = JSON.parse(body)
  } catch {
    // not JSON
  }
  return { text, status: status === undefined ? undefined : Number(status), json }
}

/**
 * Opens a raw connection, lets `talk` write on it (it may return a function that stops it), and waits until the
 * gateway closes the connection; the test's own timeout is the bound.
 */
const exchange = (port: number, talk: (socket: Net.Socket) => (() => void) | void) =>
  Effect.async<Exchange>((resume) => {
    const socket = Net.connect(port, "127.0.0.1")
    let text = ""
    let stop: (() => void) | void = undefined
    socket.on("connect", () => (stop = talk(socket)))
    socket.on("data", (data) => (text += data))
    socket.on("error", () => {})
    socket.on("close", () => {
      stop?.()
      resume(Effect.succeed(parse(text)))
    })
    return Effect.sync(() => {
      stop?.()
      socket.destroy()
    })
  })

/** Writes `chunk` every `millis` while the socket is open. */
const trickle = (socket: Net.Socket, chunk: string, millis = 100) => {
  const timer = setInterval(() => socket.writable && socket.write(chunk), millis)
  return () => clearInterval(timer)
}

interface Held {
  readonly socket: Net.Socket
  readonly closed: () => boolean
  readonly stop: () => void
}

/** A raw connection held open in the scope: connected, then silent or trickling headers. */
const hold = (port: number, trickleHeaders: boolean) =>
  Effect.acquireRelease(
    Effect.async<Held>((resume) => {
      const socket = Net.connect(port, "127.0.0.1")
      let closed = false
      let stop = () => {}
      socket.on("error", () => {})
      socket.on("close", () => {
        closed = true
        stop()
      })
      socket.on("connect", () => {
        if (trickleHeaders) {
          socket.write("GET /beta/tags HTTP/1.1\r\nhost: gateway\r\n")
          stop = trickle(socket, "x-slow: 1\r\n", 200)
        }
        resume(Effect.succeed({ socket, closed: () => closed, stop: () => stop() }))
      })
    }),
    (held) =>
      Effect.sync(() => {
        held.stop()
        held.socket.destroy()
      })
  )

/** Waits until `done` holds, checking every 50 ms; the test's timeout bounds it. */
const until = (done: Effect.Effect<boolean>): Effect.Effect<void> =>
  Effect.flatMap(done, (ok) => ok ? Effect.void : Effect.zipRight(Effect.sleep("50 millis"), until(done)))

const upstreamRequests = (sandbox: { readonly stats: Effect.Effect<{ readonly requests: number }> }) =>
  Effect.map(sandbox.stats, (s) => s.requests)

/** A fetch, with the answer's status and JSON body. */
const fetchJson = (url: string, init: RequestInit) =>
  Effect.promise(async () => {
    const response = await fetch(url, init)
    const text = await response.text()
    let json: any = undefined
    try {
      json = JSON.parse(text)
    } catch {
      // not JSON
    }
    return { status: response.status, json }
  })

const expectJson = (answer: { readonly status?: number | undefined; readonly json: any }, status: number) => {
  expect(answer.status).toBe(status)
  expect(typeof answer.json?.message).toBe("string")
}

describe("the door", () => {
  it.scopedLive(
    "a body over the limit is answered 413 before it is read whole; nothing is sent upstream",
    () =>
      Effect.gen(function*() {
        const { gateway, sandbox } = yield* stack({ gateway: { maxBody: 64 * 1024 } })
        const before = yield* upstreamRequests(sandbox)
        const headers = { authorization: billing.key, "content-type": "application/json" }

        // A declared length past the limit: answered although not one byte of the body was sent.
        const declared = yield* exchange(gateway.port, (socket) => {
          socket.write(
            `POST /beta/tags HTTP/1.1\r\nhost: gateway\r\nauthorization: ${billing.key}\r\n` +
              "content-type: application/json\r\ncontent-length: 50000000\r\n\r\n"
          )
        })
        expectJson(declared, 413)
        expect(declared.json.message).toContain("64 KiB")

        // The same with the body sent whole.
        const whole = yield* fetchJson(`${gateway.url}/beta/tags`, {
          method: "POST",
          headers,
          body: new Uint8Array(2 * 1024 * 1024)
        })
        expectJson(whole, 413)

        // No content-length (chunked), and a body that never ends: cut off while it streams. (Each chunk waits a turn
        // of the event loop, and the stream ends once aborted: undici would otherwise keep pulling it in a tight loop.)
        const abort = new AbortController()
        yield* Effect.addFinalizer(() => Effect.sync(() => abort.abort()))
        const endless = new ReadableStream<Uint8Array>({
          pull: async (controller) => {
            await new Promise((resolve) => setImmediate(resolve))
            if (abort.signal.aborted) controller.close()
            else controller.enqueue(new Uint8Array(16 * 1024).fill(0x20))
          }
        })
        const chunked = yield* fetchJson(`${gateway.url}/beta/tags`, {
          method: "POST",
          headers,
          body: endless,
          duplex: "half",
          signal: abort.signal
        } as RequestInit)
        abort.abort()
        expectJson(chunked, 413)

        expect(yield* upstreamRequests(sandbox)).toBe(before)
        const created = yield* call(`${gateway.url}/beta/tags`, {
          method: "POST",
          key: billing.key,
          body: { name: "x" }
        })
        expect(created.status).toBe(200)
      }),
    60_000
  )

  it.scopedLive(
    "Expect: 100-continue past every limit is answered 413 before the body is sent; within it, served",
    () =>
      Effect.gen(function*() {
        const { gateway } = yield* stack({ gateway: { maxBody: 64 * 1024, maxMultipartBody: 256 * 1024 } })
        const ask = (bytes: number) =>
          exchange(gateway.port, (socket) => {
            socket.write(
              `POST /beta/tags HTTP/1.1\r\nhost: gateway\r\nauthorization: ${billing.key}\r\n` +
                `content-type: application/json\r\nexpect: 100-continue\r\ncontent-length: ${bytes}\r\n` +
                "connection: close\r\n\r\n"
            )
            // The body goes only after the gateway says to continue.
            socket.on("data", (data) => {
              if (String(data).startsWith("HTTP/1.1 100")) {
                socket.write(JSON.stringify({ name: "continued" }).padEnd(bytes))
              }
            })
          })
        const refused = yield* ask(50_000_000)
        expectJson(refused, 413)
        expect(refused.text).not.toContain("100 Continue")
        const served = yield* ask(64)
        expect(served.text).toContain("HTTP/1.1 100 Continue")
        expect(served.text).toMatch(/HTTP\/1\.1 200/)
      }),
    60_000
  )

  it.scopedLive("multipart operations have their own, larger limit", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack({ gateway: { maxBody: 64 * 1024, maxMultipartBody: 256 * 1024 } })
      const upload = (bytes: number) =>
        fetchJson(`${gateway.url}/beta/knowledge/articles/attachments`, {
          method: "POST",
          headers: { authorization: billing.key, "content-type": "multipart/form-data; boundary=zzz" },
          body: new Uint8Array(bytes)
        })
      expect((yield* upload(128 * 1024)).status).not.toBe(413)
      expectJson(yield* upload(512 * 1024), 413)
    }), 60_000)

  it.scopedLive(
    "a JSON body nested 10,000 or 1,000,000 deep is a 400, never a 500, and nothing is sent upstream",
    () =>
      Effect.gen(function*() {
        const { gateway, sandbox } = yield* stack()
        const before = yield* upstreamRequests(sandbox)
        const post = (rawBody: string) =>
          call(`${gateway.url}/beta/tags`, { method: "POST", key: billing.key, rawBody })
        for (
          const body of [
            "[".repeat(10_000) + "]".repeat(10_000),
            "{\"name\":".repeat(10_000) + "\"x\"" + "}".repeat(10_000),
            "[".repeat(1_000_000)
          ]
        ) {
          const answer = yield* post(body)
          expectJson(answer, 400)
          expect(answer.json.message).toContain("nested deeper than 64")
        }
        expect(yield* upstreamRequests(sandbox)).toBe(before)
      }),
    60_000
  )

  it("the nesting check counts objects and arrays, not brackets inside strings", () => {
    const encode = (text: string) => new TextEncoder().encode(text)
    expect(tooDeep(encode("{\"a\":[1,{\"b\":[]}]}"), 4)).toBe(false)
    expect(tooDeep(encode("{\"a\":[1,{\"b\":[]}]}"), 3)).toBe(true)
    expect(tooDeep(encode(JSON.stringify({ s: "[[[[{{{{\"\\" })), 1)).toBe(false)
    expect(tooDeep(encode("[]".repeat(100_000)), 1)).toBe(false)
  })

  it.scopedLive(
    "a silent connection and one trickling its headers are closed after the headers timeout",
    () =>
      Effect.gen(function*() {
        const { gateway } = yield* stack({ gateway: { headersTimeout: "500 millis", requestTimeout: "5 seconds" } })
        const [silent, slow] = yield* Effect.all([
          exchange(gateway.port, () => {}),
          exchange(gateway.port, (socket) => {
            socket.write("GET /healthz HTTP/1.1\r\nhost: gateway\r\n")
            return trickle(socket, "x-slow: 1\r\n")
          })
        ], { concurrency: "unbounded" })
        if (silent.text !== "") expectJson(silent, 408)
        expectJson(slow, 408)
      }),
    30_000
  )

  it.scopedLive(
    "a body trickled past the request timeout is answered 408 and nothing is sent upstream",
    () =>
      Effect.gen(function*() {
        const { gateway, sandbox } = yield* stack({
          gateway: { headersTimeout: "500 millis", requestTimeout: "1500 millis" }
        })
        const before = yield* upstreamRequests(sandbox)
        const answer = yield* exchange(gateway.port, (socket) => {
          socket.write(
            `POST /beta/tags HTTP/1.1\r\nhost: gateway\r\nauthorization: ${billing.key}\r\n` +
              "content-type: application/json\r\ncontent-length: 1000\r\n\r\n{"
          )
          return trickle(socket, " ")
        })
        expectJson(answer, 408)
        expect(yield* upstreamRequests(sandbox)).toBe(before)
      }),
    30_000
  )

  it.scopedLive("headers too large and malformed requests are answered in JSON", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack()
      const large = yield* exchange(gateway.port, (socket) => {
        socket.write(`GET /healthz HTTP/1.1\r\nhost: gateway\r\nx-large: ${"a".repeat(64 * 1024)}\r\n\r\n`)
      })
      expectJson(large, 431)
      const malformed = yield* exchange(gateway.port, (socket) => {
        socket.write("this is not HTTP\r\n\r\n")
      })
      expectJson(malformed, 400)
    }), 30_000)

  it.scopedLive(
    "idle connections past the cap make room: a caller still gets through at once",
    () =>
      Effect.gen(function*() {
        // The headers timeout is far longer than the test: the room is made by the cap, not by a timeout.
        const { gateway } = yield* stack({ gateway: { maxConnections: 4, headersTimeout: "5 minutes" } })
        const held = yield* Effect.forEach(
          Array.from({ length: 12 }, (_, i) => i % 2 === 0),
          (trickleHeaders) => hold(gateway.port, trickleHeaders)
        )
        const answer = yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
        expect(answer.status).toBe(200)
        // 12 idle connections and the caller's, with room for 4: the 9 oldest idle ones were closed.
        yield* until(Effect.sync(() => held.filter((h) => h.closed()).length >= 9))
        expect(held.slice(0, 9).every((h) => h.closed())).toBe(true)
      }),
    30_000
  )

  it.scopedLive(
    "when every connection is busy a new one past the cap is closed, and callers get in once they finish",
    () =>
      Effect.gen(function*() {
        const { gateway, sandbox } = yield* stack({
          sandbox: { faults: { latency: "5 seconds" } },
          gateway: { maxConnections: 3, cacheTtl: 0 }
        })
        const before = yield* upstreamRequests(sandbox)
        const busy = yield* Effect.forEach(
          [0, 1, 2],
          () => call(`${gateway.url}/beta/tags`, { key: billing.key }),
          { concurrency: "unbounded" }
        ).pipe(Effect.fork)
        // Every one of the three connections has a request upstream: none is idle.
        yield* until(Effect.map(upstreamRequests(sandbox), (n) => n >= before + 3))
        const refused = yield* exchange(gateway.port, (socket) => {
          socket.write("GET /healthz HTTP/1.1\r\nhost: gateway\r\n\r\n")
        })
        expect(refused.text).toBe("")
        yield* sandbox.setFaults({})
        const answers = yield* Fiber.join(busy)
        expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
        expect((yield* call(`${gateway.url}/healthz`)).status).toBe(200)
        expect((yield* call(`${gateway.url}/beta/tags`, { key: billing.key })).status).toBe(200)
      }),
    60_000
  )
})
