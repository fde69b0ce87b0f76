/**
 * The door: what the gateway refuses before it spends memory, a parse or a connection on a request.
 *
 * - A body is read with a byte limit: a declared `content-length` past it is answered 413 at once, and a streamed
 *   body is cut off with 413 as soon as it passes it; nothing past the limit is kept.
 * - A JSON body is checked for nesting, without recursion, before anything parses or decodes it (400).
 * - The Node server gets a headers timeout, a request (body) timeout, a keep-alive timeout and a connection cap
 *   that makes room by closing the oldest idle connection, so silent or slow sockets cannot starve callers. Bad
 *   requests, headers too large and timeouts are answered in JSON too.
 */
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type { Endpoint } from "@org/dixa-core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Http from "node:http"
import type * as Net from "node:net"
import type { Duplex } from "node:stream"

/** How much a request may bring. */
export interface Limits {
  /** The largest request body of a JSON operation, in bytes (default 1 MiB); past it, 413. */
  readonly maxBody?: number
  /** The largest request body of a multipart operation (file uploads), in bytes (default 25 MiB); past it, 413. */
  readonly maxMultipartBody?: number
  /** How deep a JSON body may nest objects and arrays (default 64); deeper is a 400 before anything parses it. */
  readonly maxDepth?: number
}

/** How long a connection may take, and how many there may be. */
export interface ServerLimits {
  /** How long a caller may take to send a request's headers, or stay silent on a new connection (default 10s). */
  readonly headersTimeout?: Duration.DurationInput
  /** How long a caller may take to send a whole request, body included (default 60 seconds). */
  readonly requestTimeout?: Duration.DurationInput
  /** How long an idle keep-alive connection is kept between requests (default 5 seconds). */
  readonly keepAliveTimeout?: Duration.DurationInput
  /**
   * The most connections open at once (default 512). A new one past it closes the oldest idle connection (no
   * request in progress); when none is idle, the new one is closed. Keep it well below the file descriptor limit.
   */
  readonly maxConnections?: number
}

export const defaults = {
  maxBody: 1024 * 1024,
  maxMultipartBody: 25 * 1024 * 1024,
  maxDepth: 64,
  headersTimeout: Duration.seconds(10),
  requestTimeout: Duration.seconds(60),
  keepAliveTimeout: Duration.seconds(5),
  maxConnections: 512
} as const

/**
 * After the gateway has answered a request whose body is still coming, what comes is read and dropped for this
 * long (so the caller reads the answer rather than a connection reset), then the connection is closed.
 */
const lingerMillis = 2_000

/** A body within the limits, or the door's answer. */
export type Read =
  | { readonly _tag: "Read"; readonly body: Uint8Array }
  | { readonly _tag: "Refused"; readonly status: number; readonly message: string }

const noBody: Read = { _tag: "Read", body: new Uint8Array(0) }

const refused = (status: number, message: string): Read => ({ _tag: "Refused", status, message })

/** Reads the request's body within the endpoint's limit, and checks a JSON body's nesting. */
export const readBody = (
  request: HttpServerRequest.HttpServerRequest,
  endpoint: Endpoint.Any,
  limits: Limits = {}
): Effect.Effect<Read> => {
  const multipart = endpoint.bodyEncoding === "multipart"
  const limit = multipart ? limits.maxMultipartBody ?? defaults.maxMultipartBody : limits.maxBody ?? defaults.maxBody
  const maxDepth = limits.maxDepth ?? defaults.maxDepth
  // A request with neither a length nor a chunked body has none (RFC 9112, 6.3): nothing to wait for.
  if (request.headers["content-length"] === undefined && request.headers["transfer-encoding"] === undefined) {
    return Effect.succeed(noBody)
  }
  return readLimited(NodeHttpServerRequest.toIncomingMessage(request), limit).pipe(
    Effect.map((read) =>
      read._tag === "Read" && !multipart && tooDeep(read.body, maxDepth)
        ? refused(400, `body: the JSON is nested deeper than ${maxDepth} levels`)
        : read
    )
  )
}

const tooLarge = (limit: number) => refused(413, `the request body is larger than the limit of ${size(limit)}`)

/**
 * Reads a body of at most `limit` bytes: a larger declared `content-length` is refused before a byte is read, and a
 * streamed body as soon as it passes the limit. What comes after a refusal is dropped, never kept.
 */
export const readLimited = (source: Http.IncomingMessage, limit: number): Effect.Effect<Read> =>
  Effect.async<Read>((resume) => {
    const header = source.headers["content-length"]
    const declared = header === undefined ? undefined : Number(header)
    if (declared !== undefined && declared > limit) {
      source.resume()
      return resume(Effect.succeed(tooLarge(limit)))
    }
    if (source.readableEnded) return resume(Effect.succeed({ _tag: "Read", body: new Uint8Array(0) }))
    // Gathered as it comes (nothing is allocated on the word of a content-length alone), joined at the end.
    const chunks: Array<Uint8Array> = []
    let received = 0
    const stop = () => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onError)
      source.off("close", onClose)
    }
    const onData = (chunk: Buffer) => {
      if (received + chunk.length > limit) {
        stop()
        // Keep the stream flowing, with no one listening: the rest is dropped until the connection closes.
        source.resume()
        return resume(Effect.succeed(tooLarge(limit)))
      }
      chunks.push(chunk)
      received += chunk.length
    }
    const onEnd = () => {
      stop()
      resume(Effect.succeed({ _tag: "Read", body: Buffer.concat(chunks, received) }))
    }
    const onError = (error: Error) => {
      stop()
      resume(Effect.succeed(refused(400, `the request body could not be read: ${error.message}`)))
    }
    const onClose = () => onError(new Error("the connection closed"))
    source.on("data", onData)
    source.on("end", onEnd)
    source.on("error", onError)
    source.on("close", onClose)
    return Effect.sync(stop)
  })

const OPEN_BRACE = 0x7b
const OPEN_BRACKET = 0x5b
const CLOSE_BRACE = 0x7d
const CLOSE_BRACKET = 0x5d
const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * Whether a JSON text nests objects and arrays deeper than `max`, found in one pass without recursion (brackets in
 * strings do not count). It does not validate: whatever it lets through is still parsed and decoded.
 */
export const tooDeep = (bytes: Uint8Array, max: number): boolean => {
  let depth = 0
  let inString = false
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]
    if (inString) {
      if (byte === BACKSLASH) i++
      else if (byte === QUOTE) inString = false
    } else if (byte === QUOTE) {
      inString = true
    } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > max) return true
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
      depth--
    }
  }
  return false
}

const size = (bytes: number): string =>
  bytes % (1024 * 1024) === 0
    ? `${bytes / (1024 * 1024)} MiB`
    : bytes % 1024 === 0
    ? `${bytes / 1024} KiB`
    : `${bytes} bytes`

const millis = (input: Duration.DurationInput | undefined, fallback: Duration.Duration) =>
  Math.max(1, Math.round(Duration.toMillis(Duration.decode(input ?? fallback))))

/** A complete HTTP/1.1 answer written straight to a socket, for the requests Node refuses before the app sees them. */
const rawAnswer = (status: number, reason: string, message: string) => {
  const body = JSON.stringify({ message })
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json\r\ncontent-length: ${
    Buffer.byteLength(body)
  }\r\nconnection: close\r\n\r\n${body}`
}

const clientErrorAnswer = (code: string | undefined) => {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return rawAnswer(431, "Request Header Fields Too Large", "the request's headers are too large")
    case "HPE_CHUNK_EXTENSIONS_OVERFLOW":
      return rawAnswer(413, "Payload Too Large", "the request's chunk extensions are too large")
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return rawAnswer(408, "Request Timeout", "the request was not received in time")
    default:
      return rawAnswer(400, "Bad Request", "the request is not valid HTTP")
  }
}

/** The Node server with the door's timeouts, JSON answers to malformed or slow requests, and the connection cap. */
export const makeServer = (limits: ServerLimits & Limits = {}): Http.Server => {
  const requestTimeout = millis(limits.requestTimeout, defaults.requestTimeout)
  const headersTimeout = Math.min(millis(limits.headersTimeout, defaults.headersTimeout), requestTimeout)
  const maxConnections = limits.maxConnections ?? defaults.maxConnections
  const server = Http.createServer({
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: millis(limits.keepAliveTimeout, defaults.keepAliveTimeout),
    // How often Node looks for connections past those timeouts (its default, 30 seconds, is coarser than they are).
    connectionsCheckingInterval: Math.max(25, Math.min(1_000, Math.floor(headersTimeout / 4)))
  })

  // Connections with no request in progress, oldest first: they are the ones closed to make room.
  const idle = new Set<Net.Socket>()
  // Connections answered before their request's body was all received: nothing more is written on them.
  const answered = new WeakSet<Duplex>()
  let open = 0

  server.on("connection", (socket: Net.Socket) => {
    open++
    socket.once("close", () => {
      open--
      idle.delete(socket)
    })
    if (open > maxConnections) {
      const oldest = idle.values().next()
      if (oldest.done === true) return socket.destroy()
      idle.delete(oldest.value)
      oldest.value.destroy()
    }
    idle.add(socket)
  })

  server.on("request", (request: Http.IncomingMessage, response: Http.ServerResponse) => {
    const socket = request.socket
    idle.delete(socket)
    response.once("finish", () => {
      if (socket.destroyed) return
      idle.add(socket)
      if (request.complete) return
      // Answered early (refused at the door, or before the body was needed): what is still coming is dropped for a
      // little while, then the connection is closed.
      answered.add(socket)
      const linger = setTimeout(() => socket.destroy(), lingerMillis).unref()
      request.once("end", () => {
        clearTimeout(linger)
        answered.delete(socket)
      })
    })
  })

  // A caller that asks before sending its body (`Expect: 100-continue`) and declares more than any operation takes is
  // told 413 at once, and sends nothing; otherwise it is told to go on, and the body is read within its limit.
  const largest = Math.max(limits.maxBody ?? defaults.maxBody, limits.maxMultipartBody ?? defaults.maxMultipartBody)
  server.on("checkContinue", (request: Http.IncomingMessage, response: Http.ServerResponse) => {
    const declared = Number(request.headers["content-length"])
    if (Number.isFinite(declared) && declared > largest) {
      const body = JSON.stringify({ message: `the request body is larger than the limit of ${size(largest)}` })
      response.writeHead(413, {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(body),
        connection: "close"
      }).end(body)
      return
    }
    response.writeContinue()
    server.emit("request", request, response)
  })

  server.on("clientError", (error: Error & { readonly code?: string }, socket: Duplex) => {
    // Nothing is written after an answer already begun, or after an early one to a request still coming.
    const pending = (socket as { _httpMessage?: { readonly headersSent: boolean } | null })._httpMessage
    if (error.code === "ECONNRESET" || !socket.writable || answered.has(socket) || pending?.headersSent === true) {
      return socket.destroy()
    }
    if (error.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      // The request may be in the gateway's hands, waiting for its body: not one more byte of it may be read.
      socket.write(clientErrorAnswer(error.code))
      return socket.destroy()
    }
    socket.end(clientErrorAnswer(error.code))
    setTimeout(() => socket.destroy(), lingerMillis).unref()
  })

  return server
}
