/**
 * The sandbox server: plain `node:http` driven by Effect. Every API request goes through the same
 * steps: route (derived from the endpoint definitions), authenticate, rate limit, inject faults,
 * decode with the core's wire codec, run the handler against the state, encode the answer.
 */
import { Endpoint, RateLimit, Router, Wire } from "@org/dixa-core"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import type { AddressInfo } from "node:net"
import * as Deliveries from "./deliveries.js"
import * as Faults from "./faults.js"
import type { Context, Route } from "./handler.js"
import * as Multipart from "./multipart.js"
import * as Pagination from "./pagination.js"
import * as Prng from "./prng.js"
import * as State from "./state.js"
import * as Store from "./store/store.js"

/** The sandbox could not start: the port is taken, an option is out of range, or the state file is unusable. */
export class SandboxStartError extends Data.TaggedError("SandboxStartError")<{
  readonly message: string
  readonly cause?: unknown
}> {}

/** Everything the server needs, with defaults applied. */
export interface Config {
  readonly host: string
  readonly port: number
  readonly seed: number
  readonly agents: number
  readonly rateLimit: RateLimit.Budget | false
  readonly faults: Faults.Settings
  readonly apiKey: string | undefined
  readonly stateFile: string | undefined
  readonly anonymizationDelayMillis: number
  readonly endpoints: ReadonlyArray<Endpoint.Any>
  readonly routes: ReadonlyArray<Route>
  /** Runs before every handler, under the lock: completes what has come due; says whether it changed anything. */
  readonly settle: (state: State.State, now: number) => boolean
}

/** What the sandbox has served since it started. */
export interface Stats {
  /** Every API request received (not counting `/_sandbox/*`). */
  readonly requests: number
  /** The 429 answers, from the rate limit and from storms. */
  readonly rateLimited: number
  /** Requests per operation id (`agents.list`), whatever their outcome. */
  readonly byOperation: Record<string, number>
  /** Injected 5xx answers. */
  readonly injectedErrors: number
  /** Injected dropped connections. */
  readonly dropped: number
}

export interface Server {
  readonly url: string
  readonly port: number
  readonly stats: Effect.Effect<Stats>
  readonly faults: Effect.Effect<Faults.Settings>
  readonly setFaults: (faults: Faults.Settings) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
  readonly state: Effect.Effect<State.State>
}

/**
 * How early a request may arrive before its rate-limit slot and still be served. A client that keeps
 * to the budget exactly (the core's limiter) sees its requests arrive with jitter: a cold first
 * connection lands late, the next ones on time, and a strict server would answer 429 although the
 * client did nothing wrong. Half an interval of slack absorbs that while a burst of simultaneous
 * requests still gets exactly `burst` through (the next one is a whole interval early).
 */
const graceMillis = (budget: RateLimit.Budget) => 500 / budget.requestsPerSecond

interface Answer {
  readonly status: number
  readonly headers?: Record<string, string>
  /** A JSON value to send, or already serialised JSON text. */
  readonly body?: unknown
  readonly text?: string
}

/**
 * Encoded answers by operation and payload. Checking a payload against the core's schemas costs tens
 * of microseconds per item, and benchmarks read the same pages over and over: the same payload
 * always encodes to the same text, so it is done once. Oldest entries go first past the limit.
 */
const encodedCacheLimit = 500

const json = (status: number, body: unknown, headers?: Record<string, string>): Answer =>
  headers === undefined ? { status, body } : { status, body, headers }
const message = (status: number, text: string, headers?: Record<string, string>): Answer =>
  json(status, { message: text }, headers)

const readBytes = (req: Http.IncomingMessage): Effect.Effect<Buffer> =>
  Effect.async<Buffer>((resume) => {
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => resume(Effect.succeed(Buffer.concat(chunks))))
    req.on("error", () => resume(Effect.succeed(Buffer.alloc(0))))
  })

const readBody = (req: Http.IncomingMessage): Effect.Effect<string> =>
  Effect.map(readBytes(req), (bytes) => bytes.toString("utf8"))

const write = (res: Http.ServerResponse, answer: Answer): void => {
  if (res.destroyed || res.headersSent) return
  const headers: Record<string, string> = { ...answer.headers }
  if (answer.body === undefined && answer.text === undefined) {
    res.writeHead(answer.status, headers)
    res.end()
    return
  }
  const text = answer.text ?? JSON.stringify(answer.body)
  headers["content-type"] = "application/json"
  headers["content-length"] = String(Buffer.byteLength(text))
  res.writeHead(answer.status, headers)
  res.end(text)
}

/** Replaces the whole state in place (a reset): the store then writes what differs. */
const replace = (state: State.State, next: State.State): void => {
  for (const key of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[key]
  Object.assign(state, next)
}

/** Starts the server; it stops when the scope closes. */
export const make = (config: Config): Effect.Effect<Server, SandboxStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const store = yield* Store.open({
      file: config.stateFile,
      initial: () => State.seed(config.seed, config.agents)
    }).pipe(Effect.mapError((e) => new SandboxStartError({ message: e.message, cause: e.cause })))
    const handlers = new Map(config.routes.map((route) => [route.endpoint.id, route.handler]))
    const route = Router.make(config.endpoints)
    let faults = config.faults
    const faultRng = Prng.fromCell({ rng: Prng.seedState(config.seed, 3) })
    const limiters = new Map<string, RateLimit.Limiter>()
    const stats = {
      requests: 0,
      rateLimited: 0,
      injectedErrors: 0,
      dropped: 0,
      byOperation: {} as Record<string, number>
    }
    const encodedCache = new Map<string, string>()
    const deliveries = yield* FiberSet.make<void>()

    /** Sends webhook deliveries (each subscription on its own) and logs every outcome in the state. */
    const deliver = (pending: ReadonlyArray<Deliveries.Pending>) =>
      Effect.forEach(pending, (p) =>
        Effect.gen(function*() {
          const attempt = yield* Deliveries.send(p)
          const at = yield* Clock.currentTimeMillis
          yield* store.write((state) =>
            Effect.sync(() => {
              // A reset or a delete may have come in meanwhile.
              if (!state.webhooks?.subscriptions.some((s) => s.id === p.subscriptionId)) return
              Deliveries.record(state, { ...attempt, deliveryTimestamp: new Date(at).toISOString() })
            })
          ).pipe(
            Effect.catchAll((e) => Effect.logWarning(`sandbox: could not record a webhook delivery: ${e.message}`))
          )
        }), { concurrency: "unbounded", discard: true })

    const limiterFor = (token: string, budget: RateLimit.Budget) =>
      Effect.suspend(() => {
        const existing = limiters.get(token)
        if (existing !== undefined) return Effect.succeed(existing)
        return Effect.tap(RateLimit.make(budget), (limiter) => Effect.sync(() => limiters.set(token, limiter)))
      })

    /**
     * The wire payload of a handler's result, as JSON text: the page cut for `Page`, the envelope for
     * `Data`. Run while the state is locked, so the text is a snapshot no later request can change.
     */
    const toWire = (
      endpoint: Endpoint.Any,
      result: unknown,
      input: Record<string, unknown>,
      url: URL
    ): Answer | { readonly wire: string } | undefined => {
      const shape: Endpoint.Response = endpoint.response
      switch (shape._tag) {
        case "Empty":
          return undefined
        case "Data":
          return { wire: JSON.stringify({ data: result }) }
        case "Body":
          return { wire: JSON.stringify(result) }
        case "Page": {
          const pageKey = input["pageKey"] as string | undefined
          const cursor = pageKey === undefined ? undefined : Pagination.decodeCursor(pageKey)
          if (pageKey !== undefined && cursor === undefined) {
            return message(400, "query.pageKey: is not a page key this server handed out")
          }
          const limit = (input["pageLimit"] as number | undefined) ?? Pagination.defaultPageLimit
          const page = Pagination.slice(result as ReadonlyArray<unknown>, cursor, limit, url)
          return { wire: JSON.stringify({ data: page.items, meta: page.meta }) }
        }
      }
    }

    /**
     * Runs a handler against the store. A GET is a read, without the write lock, unless something has come due
     * (`settle` changed the state); everything else is one write transaction, in which the webhook deliveries the
     * change calls for are decided too.
     */
    const runHandler = (
      endpoint: Endpoint.Any,
      handler: Route["handler"],
      input: Record<string, unknown>,
      url: URL,
      now: number
    ) => {
      let pending: ReadonlyArray<Deliveries.Pending> = []
      const run = (state: State.State) => {
        const ctx: Context = {
          state,
          now,
          rng: Prng.fromCell(state),
          anonymizationDelayMillis: config.anonymizationDelayMillis
        }
        return handler(input as never, ctx).pipe(
          Effect.map((result) => {
            // The webhook deliveries the change calls for, with the conversation as it now is.
            if (endpoint.method !== "GET") pending = Deliveries.collect(endpoint, input, result, state, now, ctx.rng)
            return toWire(endpoint, result, input, url)
          }),
          Effect.either
        )
      }
      const read = endpoint.method !== "GET" ?
        Effect.succeedNone :
        store.read((state) => config.settle(state, now) ? Effect.succeedNone : Effect.asSome(run(state)))
      return read.pipe(
        Effect.flatMap(Option.match({
          onSome: Effect.succeed,
          onNone: () => store.write((state) => Effect.suspend(() => (config.settle(state, now), run(state))))
        })),
        Effect.map((reply) => ({ reply, pending }))
      )
    }

    /** Checks and encodes a wire payload with the core's schemas (once per distinct payload). */
    const encode = (endpoint: Endpoint.Any, wire: string) =>
      Effect.gen(function*() {
        const key = `${endpoint.id} ${wire}`
        const cached = encodedCache.get(key)
        if (cached !== undefined) return { status: endpoint.status, text: cached } satisfies Answer
        // Through the core's schemas both ways: a payload the client could not decode is a sandbox bug,
        // and it shows as a 500 naming the fields.
        const encoded = yield* Wire.decodeResponse(endpoint, JSON.parse(wire)).pipe(
          // The client's page carries `nextPageKey` too; the wire envelope has only `data` and `meta`.
          Effect.map((decoded) => {
            if (endpoint.response._tag !== "Page") return decoded
            const page = decoded as { readonly data: unknown; readonly meta: unknown }
            return { data: page.data, meta: page.meta }
          }),
          Effect.flatMap((output) => Wire.encodeResponse(endpoint, output)),
          Effect.either
        )
        if (encoded._tag === "Left") {
          const issues = Wire.issuesOf("body", encoded.left).map((i) => `${i.path}: ${i.message}`).join("; ")
          return message(500, `sandbox bug: the answer of ${endpoint.id} does not match its schema (${issues})`)
        }
        const text = JSON.stringify(encoded.right)
        if (encodedCache.size >= encodedCacheLimit) encodedCache.delete(encodedCache.keys().next().value!)
        encodedCache.set(key, text)
        return { status: endpoint.status, text } satisfies Answer
      })

    const operation = (req: Http.IncomingMessage, url: URL) =>
      Effect.gen(function*() {
        stats.requests++
        const found = route(req.method ?? "GET", url.pathname)
        if (found._tag === "NotFound") return message(404, `no operation at ${req.method} ${url.pathname}`)
        if (found._tag === "MethodNotAllowed") {
          return message(405, `${req.method} is not allowed on ${url.pathname}`, { allow: found.allowed.join(", ") })
        }
        const { endpoint, pathParams } = found.match
        stats.byOperation[endpoint.id] = (stats.byOperation[endpoint.id] ?? 0) + 1

        const token = req.headers.authorization
        if (token === undefined || token.trim() === "") return message(401, "the Authorization header is missing")
        if (config.apiKey !== undefined && token !== config.apiKey) return message(401, "the API token is not valid")

        if (config.rateLimit !== false) {
          const limiter = yield* limiterFor(token, config.rateLimit)
          const slot = yield* limiter.reserve(Duration.millis(graceMillis(config.rateLimit)))
          if (Option.isNone(slot)) {
            stats.rateLimited++
            return message(429, "too many requests for this API token", { "retry-after": "1" })
          }
        }

        const current = faults
        if (current.latencyMillis > 0) yield* Effect.sleep(Duration.millis(current.latencyMillis))
        if (current.dropRate > 0 && faultRng.float() < current.dropRate) {
          stats.dropped++
          req.socket.destroy()
          return undefined
        }
        if (current.rateLimitStorm) {
          stats.rateLimited++
          return message(429, "too many requests (injected storm)", { "retry-after": "1" })
        }
        if (current.errorRate > 0 && faultRng.float() < current.errorRate) {
          stats.injectedErrors++
          return message(faultRng.pick([500, 502, 503]), "injected server error")
        }

        const handler = handlers.get(endpoint.id)
        if (handler === undefined) return message(501, `not implemented by the sandbox: ${endpoint.id}`)

        const bytes = yield* readBytes(req)
        // A multipart body (file uploads) is read into its parts, which the body schema then decodes.
        const multipart = endpoint.bodyEncoding === "multipart"
          ? Multipart.toBody(req.headers["content-type"], bytes)
          : undefined
        if (multipart !== undefined && "problem" in multipart) return message(400, multipart.problem)
        const decoded = yield* Effect.either(
          multipart === undefined
            ? Wire.decodeRequest(endpoint, {
              pathParams,
              searchParams: url.searchParams,
              bodyText: bytes.toString("utf8")
            })
            : Multipart.decodeRequest(endpoint, { pathParams, searchParams: url.searchParams }, multipart.body)
        )
        if (decoded._tag === "Left") return message(400, decoded.left.message)
        const input = decoded.right

        const now = yield* Clock.currentTimeMillis
        const outcome = yield* runHandler(endpoint, handler, input, url, now).pipe(Effect.either)
        if (outcome._tag === "Left") return message(500, outcome.left.message)
        const { pending, reply } = outcome.right
        if (pending.length > 0) yield* FiberSet.run(deliveries, deliver(pending))
        if (reply._tag === "Left") return message(reply.left.status, reply.left.message)
        if (reply.right === undefined) return { status: endpoint.status } satisfies Answer
        if ("wire" in reply.right) return yield* encode(endpoint, reply.right.wire)
        return reply.right
      })

    const FaultsBody = Schema.parseJson(Faults.Json)

    const control = (req: Http.IncomingMessage, url: URL) =>
      Effect.gen(function*() {
        const key = `${req.method} ${url.pathname.replace(/\/+$/, "")}`
        switch (key) {
          case "GET /_sandbox/stats":
            return json(200, { ...stats, byOperation: { ...stats.byOperation } })
          case "GET /_sandbox/faults":
            return json(200, Faults.toJson(faults))
          case "POST /_sandbox/faults": {
            const body = yield* readBody(req)
            const parsed = yield* Schema.decodeUnknown(FaultsBody)(body.trim() === "" ? "{}" : body).pipe(Effect.either)
            if (parsed._tag === "Left") {
              return message(400, ParseResult.TreeFormatter.formatErrorSync(parsed.left))
            }
            faults = {
              errorRate: parsed.right.errorRate,
              rateLimitStorm: parsed.right.rateLimitStorm,
              latencyMillis: parsed.right.latency,
              dropRate: parsed.right.dropRate
            }
            return json(200, Faults.toJson(faults))
          }
          case "POST /_sandbox/reset":
            yield* reset
            return { status: 204 }
          case "GET /_sandbox/state":
            return yield* store.read((state) => Effect.succeed(json(200, state))).pipe(
              Effect.catchAll((e) => Effect.succeed(message(500, e.message)))
            )
          default:
            return message(404, `no sandbox control at ${req.method} ${url.pathname}`)
        }
      })

    const reset = store.write((state) => Effect.sync(() => replace(state, State.seed(config.seed, config.agents))))
      .pipe(
        Effect.catchAll((e) => Effect.logWarning(`sandbox: could not reset the state: ${e.message}`))
      )

    /** The absolute URL of a request, on the Host it was sent to (page links point there). */
    const requestUrl = (req: Http.IncomingMessage): URL => {
      const fallback = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`
      try {
        return new URL(req.url ?? "/", req.headers.host === undefined ? fallback : `http://${req.headers.host}`)
      } catch {
        return new URL(req.url ?? "/", fallback)
      }
    }

    const serve = (req: Http.IncomingMessage, res: Http.ServerResponse) =>
      Effect.gen(function*() {
        const url = requestUrl(req)
        const answer = url.pathname.startsWith("/_sandbox/")
          ? yield* control(req, url)
          : yield* operation(req, url)
        if (answer !== undefined) write(res, answer)
      }).pipe(
        Effect.catchAllDefect((defect) =>
          Effect.sync(() => {
            const text = defect instanceof Error ? defect.message : String(defect)
            write(res, message(500, `sandbox bug: ${text}`))
          })
        )
      )

    const run = yield* FiberSet.makeRuntime<never>()
    // The server keeps real time even when started from a test running on a TestClock: the rate limit,
    // latency faults and anonymization delays would otherwise stand still.
    const clock = Clock.make()
    const server = Http.createServer((req, res) => {
      run(Effect.withClock(serve(req, res), clock))
    })
    server.keepAliveTimeout = 5_000

    const port = yield* Effect.acquireRelease(
      Effect.async<number, SandboxStartError>((resume) => {
        const onError = (cause: Error) =>
          resume(
            Effect.fail(new SandboxStartError({ message: `cannot listen on ${config.host}:${config.port}`, cause }))
          )
        server.once("error", onError)
        server.listen(config.port, config.host, () => {
          server.off("error", onError)
          resume(Effect.succeed((server.address() as AddressInfo).port))
        })
      }),
      () =>
        Effect.async<void>((resume) => {
          server.close(() => resume(Effect.void))
          server.closeAllConnections()
        })
    )

    const hostForUrl = config.host.includes(":") ? `[${config.host}]` : config.host
    return {
      url: `http://${hostForUrl}:${port}`,
      port,
      stats: Effect.sync(() => ({ ...stats, byOperation: { ...stats.byOperation } })),
      faults: Effect.sync(() => faults),
      setFaults: (next) => Effect.sync(() => (faults = next, undefined)),
      reset,
      state: Effect.orDie(store.read(Effect.succeed))
    } satisfies Server
  })
