/**
 * The engine behind every operation: builds the request from the endpoint's schemas, spends the rate
 * budget, retries by the operation's retry class, times out, traces, and turns the response into a
 * decoded value or a typed {@link DixaError}.
 *
 * @since 0.1.0
 */
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as Chunk from "effect/Chunk"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import type * as ClientEvent from "./ClientEvent.js"
import * as DixaError from "./DixaError.js"
import * as Endpoint from "./Endpoint.js"
import type * as Group from "./Group.js"
import * as Sender from "./internal/sender.js"
import * as Span from "./internal/span.js"
import type { Page } from "./Model.js"
import * as RateLimit from "./RateLimit.js"
import * as Retry from "./Retry.js"
import * as Wire from "./Wire.js"

/** Where Dixa's API lives. */
export const defaultBaseUrl = "https://dev.dixa.io"

/** How a client is set up. */
export interface Options {
  /** The Dixa API token, sent as the `Authorization` header. */
  readonly apiKey: Redacted.Redacted<string>
  /** Default {@link defaultBaseUrl}. Point it at the sandbox or the gateway to use those. */
  readonly baseUrl?: string | undefined
  /**
   * The budget to stay within, or `false` for none. Default {@link RateLimit.clientBudget}: Dixa's 10/s, with bursts
   * of 3 of its 4 (one token held back against network jitter).
   */
  readonly rateLimit?: RateLimit.Budget | false | undefined
  /** A limiter to share with other clients; takes precedence over `rateLimit`. */
  readonly limiter?: RateLimit.Limiter | undefined
  /** Default {@link Retry.defaultPolicy}. */
  readonly retry?: Retry.Policy | undefined
  /** How long one HTTP exchange may take, default 30 seconds. The wait for a rate-limit slot is not part of it. */
  readonly timeout?: Duration.DurationInput | undefined
  /** A deadline for every call that does not set its own (see {@link CallOptions.deadline}). Default none. */
  readonly deadline?: Duration.DurationInput | undefined
  /**
   * The clock the client waits on: rate-limit slots, backoff, pauses, timeouts and deadlines. Default the system's,
   * so a client used inside a test that runs on the `TestClock` talks to a real server in real time. Pass the test's
   * clock (`yield* Effect.clock`) to drive the client's waits with `TestClock.adjust` instead.
   */
  readonly clock?: Clock.Clock | undefined
  /** Wraps the `HttpClient` every request goes through: add headers, logging or a proxy of your own. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /**
   * Replaces the HTTP exchange itself (default {@link platformExchange} over the `HttpClient`). The key, the budget,
   * retries, deadlines and the decoding of answers stay the client's. For a server that forwards many requests and
   * can afford a transport of its own; `transformClient` does not apply to it.
   */
  readonly exchange?: Exchange | undefined
  /**
   * Told of every request sent, answer read, slot waited for and retry planned (see {@link ClientEvent}): for a debug
   * log or progress on a terminal. Called synchronously; the key is masked in what it is given.
   */
  readonly observe?: ClientEvent.Observer | undefined
}

/** What an exchange gives back: the answer, read whole. */
export interface ExchangeAnswer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
}

/** Why an exchange brought no answer. A `Timeout` is the exchange's own bound passing. */
export interface ExchangeFailure {
  readonly reason: "ConnectionRefused" | "Timeout" | "Other"
  readonly message: string
}

/** One HTTP exchange with Dixa: sends the request and reads its whole answer, within `timeout`. */
export type Exchange = (
  request: HttpClientRequest.HttpClientRequest,
  timeout: Duration.Duration
) => Effect.Effect<ExchangeAnswer, ExchangeFailure>

/** Options of one call, over the client's. */
export interface CallOptions {
  /** How long one HTTP exchange of this call may take. */
  readonly timeout?: Duration.DurationInput | undefined
  /**
   * How long the whole call may take, from now: waiting for a slot, every attempt, backoff and pauses. Once it has
   * passed nothing more is sent. A call whose request could not be sent in time fails with a `TransportError` of
   * reason `Deadline`; one whose request was sent but not answered in time, with reason `Timeout`; one whose retry
   * would wait past it, with the failure that called for the retry.
   */
  readonly deadline?: Duration.DurationInput | undefined
  /** Extra request headers. They cannot replace `Authorization`. */
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/** A response as read off the wire. */
export interface RawResponse {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
  /** How many times the request was sent to get this answer. */
  readonly attempts: number
}

/** A request as the engine sends it. */
export interface RawRequest {
  /** The filled path, e.g. `/beta/agents/...`. */
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  /** JSON text, raw bytes, or a multipart form (its content type, with the boundary, is set by the form). */
  readonly body?: string | Uint8Array | FormData | undefined
  readonly contentType?: string | undefined
}

/** The client. */
export interface Service {
  /** Calls an operation and returns its decoded result; it fails only with the errors the operation can produce. */
  readonly call: <E extends Endpoint.Any>(
    endpoint: E,
    input: Endpoint.Input<E>,
    options?: CallOptions
  ) => Effect.Effect<Endpoint.Output<E>, Endpoint.Error<E>>
  /**
   * Every item of a paginated list, fetching pages as the stream is pulled. `options` apply to each page, but for the
   * deadline, which bounds the whole stream from its start: each page gets what is left of it.
   */
  readonly stream: <E extends Endpoint.Paginated>(
    endpoint: E,
    input: Endpoint.Input<E>,
    options?: CallOptions
  ) => Stream.Stream<Endpoint.Item<E>, Endpoint.Error<E>>
  /**
   * Sends an already-encoded request with the client's budget, retries and timeout, and returns the
   * final response whatever its status. This is what a proxy needs; applications want {@link call}.
   */
  readonly send: (
    endpoint: Endpoint.Any,
    request: RawRequest,
    options?: CallOptions
  ) => Effect.Effect<RawResponse, DixaError.TransportError>
  /** The limiter every call of this client goes through. */
  readonly limiter: RateLimit.Limiter
}

/** The Dixa client service. */
export class DixaClient extends Context.Tag("@org/dixa-core/DixaClient")<DixaClient, Service>() {}

const decoder = new TextDecoder()

/**
 * What went wrong below the HTTP client, read off the cause chain: transports nest the useful part (`connect
 * ECONNREFUSED 127.0.0.1:1`) a level or two below "fetch failed". `refused` means nothing reached the server.
 */
const transportFailure = (
  error: HttpClientError.HttpClientError
): { readonly refused: boolean; readonly message: string } => {
  let detail = error.message
  let code: string | undefined
  let refused = false
  let cause: unknown = error.cause
  for (let depth = 0; depth < 5 && typeof cause === "object" && cause !== null; depth++) {
    const { message, code: c } = cause as { message?: unknown; code?: unknown }
    if (typeof message === "string" && message !== "") detail = message
    if (typeof c === "string") code = c
    if (c === "ECONNREFUSED") refused = true
    cause = (cause as { cause?: unknown }).cause
  }
  return { refused, message: code !== undefined && !detail.includes(code) ? `${detail} (${code})` : detail }
}

/** Dixa's `{message}`, or a short excerpt of whatever else came back. */
const errorMessage = (body: Uint8Array, status: number): string => {
  const text = decoder.decode(body)
  try {
    const json = JSON.parse(text) as { message?: unknown }
    if (typeof json.message === "string") return json.message
  } catch {
    // not JSON: fall through to an excerpt
  }
  const excerpt = text.replace(/\s+/g, " ").trim().slice(0, 200)
  return excerpt === "" ? `HTTP ${status}` : excerpt
}

interface Ctx {
  readonly operation: string
  readonly method: string
  readonly path: string
}

/**
 * The default exchange, through the platform's `HttpClient`: the answer read whole, the time bounded by a timer.
 */
export const platformExchange = (http: HttpClient.HttpClient): Exchange => (req, timeout) =>
  http.execute(req).pipe(
    Effect.flatMap((response) =>
      Effect.map(response.arrayBuffer, (buffer) => ({
        status: response.status,
        headers: response.headers,
        body: new Uint8Array(buffer)
      }))
    ),
    Effect.mapError((error): ExchangeFailure => {
      const failure = transportFailure(error)
      const transport = error._tag === "RequestError" && error.reason === "Transport"
      return { reason: transport && failure.refused ? "ConnectionRefused" : "Other", message: failure.message }
    }),
    Effect.timeoutFail({
      duration: timeout,
      onTimeout: (): ExchangeFailure => ({ reason: "Timeout", message: "" })
    })
  )

/** Builds a client from explicit options. Needs an `HttpClient` (e.g. `NodeHttpClient.layer` or `FetchHttpClient.layer`). */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const base = yield* HttpClient.HttpClient
    const http = options.transformClient === undefined ? base : options.transformClient(base)
    const exchangeWith = options.exchange ?? platformExchange(http)
    const limiter = options.limiter ??
      (options.rateLimit === false
        ? RateLimit.unlimited
        : yield* RateLimit.make(options.rateLimit ?? RateLimit.clientBudget))
    const policy = options.retry ?? Retry.defaultPolicy
    const clock = options.clock ?? Clock.make()
    const settings = {
      baseUrl: (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, ""),
      apiKey: options.apiKey,
      timeout: Duration.decode(options.timeout ?? Duration.seconds(30)),
      deadline: options.deadline
    }
    const send = Sender.make(exchangeWith, limiter, policy, settings, clock, options.observe)
    const call = caller(send)
    const stream = (
      endpoint: Endpoint.Paginated,
      input: Readonly<Record<string, unknown>>,
      callOptions?: CallOptions
    ) => {
      const pages = (pageOptions: Effect.Effect<CallOptions | undefined>) =>
        Stream.paginateChunkEffect(input ?? {}, (current) =>
          pageOptions.pipe(
            Effect.flatMap((o) => call(endpoint, current, o) as Effect.Effect<Page<unknown>, DixaError.DixaError>),
            Effect.map((page) =>
              [
                Chunk.fromIterable(page.data),
                Option.map(page.nextPageKey, (pageKey) => ({ ...current, pageKey }))
              ] as const
            )
          ))
      const deadline = callOptions?.deadline ?? settings.deadline
      if (deadline === undefined) return pages(Effect.succeed(callOptions))
      // The deadline bounds the whole stream: each page gets what is left of it.
      const total = Duration.toMillis(Duration.decode(deadline))
      const now = Effect.withClock(Clock.currentTimeMillis, clock)
      return Stream.unwrap(Effect.map(now, (started) =>
        pages(Effect.map(now, (at) => ({
          ...callOptions,
          deadline: Duration.millis(Math.max(0, total - (at - started)))
        })))))
    }
    return { call, stream, send, limiter } as unknown as Service
  })

type Call = (
  endpoint: Endpoint.Any,
  input: Readonly<Record<string, unknown>>,
  options?: CallOptions
) => Effect.Effect<unknown, DixaError.DixaError>

/**
 * Runs an effect as the span of one Dixa operation, `dixa.<operation id>`: the operation, the method and the path
 * template, never the key or the filled path. Every call is one; a proxy sending raw requests can use it too.
 */
export const withOperationSpan = (endpoint: Endpoint.Any) => <A, E, R>(self: Effect.Effect<A, E, R>) =>
  // With tracing off there is no span to make, not even a no-op one: a proxy runs this for every request.
  Effect.flatMap(FiberRef.get(FiberRef.currentTracerEnabled), (tracing) =>
    tracing
      ? Effect.withSpan(self, `dixa.${endpoint.id}`, {
        kind: "client",
        // The call site would be this module's own line: not worth a stack trace on every request.
        captureStackTrace: false,
        attributes: {
          "dixa.operation": endpoint.id,
          "http.request.method": endpoint.method,
          "url.template": endpoint.path
        }
      })
      : self)

/** Annotates the current operation span when tracing is on; with it off, costs nothing. */
export const annotateSpan: (key: string, value: unknown) => Effect.Effect<void> = Span.annotate

/** Calling an operation: encode the input, send, and turn the answer into a value or a typed error. */
const caller = (send: Sender.Send): Call => (endpoint, input, options) =>
  Effect.gen(function*() {
    const encoded = yield* Wire.encodeRequest(endpoint, input ?? {}).pipe(
      Effect.mapError((e) => new DixaError.InvalidInput({ operation: endpoint.id, message: e.message }))
    )
    const response = yield* send(endpoint, {
      path: encoded.path,
      query: encoded.query,
      body: Option.match(encoded.body, {
        onNone: () => undefined,
        onSome: (b) => endpoint.bodyEncoding === "multipart" ? Wire.toFormData(b) : JSON.stringify(b)
      })
    }, options)
    yield* annotateSpan("http.response.status_code", response.status)
    return yield* answer(endpoint, { operation: endpoint.id, method: endpoint.method, path: encoded.path }, response)
  }).pipe(withOperationSpan(endpoint))

/**
 * The decoded result of a final response, or its typed error. A 2xx the spec did not promise is accepted when its
 * body still decodes.
 */
const answer = (
  endpoint: Endpoint.Any,
  path: Ctx,
  response: RawResponse
): Effect.Effect<unknown, DixaError.DixaError> =>
  Effect.gen(function*() {
    const ctx = { ...path, attempts: response.attempts }
    if (response.status < 200 || response.status >= 300) {
      const now = yield* Clock.currentTimeMillis
      return yield* DixaError.fromStatus(
        ctx,
        response.status,
        errorMessage(response.body, response.status),
        Retry.parseRetryAfter(response.headers["retry-after"], now),
        Endpoint.errorStatuses(endpoint)
      )
    }
    if (endpoint.response._tag === "Empty") return undefined
    const text = decoder.decode(response.body)
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return yield* new DixaError.DecodeError({
        ...ctx,
        status: response.status,
        message: `the body is not JSON: ${text.slice(0, 120)}`
      })
    }
    return yield* Wire.decodeResponse(endpoint, json).pipe(
      Effect.mapError((e) =>
        new DixaError.DecodeError({
          ...ctx,
          status: response.status,
          message: Wire.issuesOf("body", e).map((i) => `${i.path}: ${i.message}`).join("; ")
        })
      )
    )
  })

/** A layer with explicit options. */
export const layer = (options: Options): Layer.Layer<DixaClient, never, HttpClient.HttpClient> =>
  Layer.effect(DixaClient, make(options))

/** The configuration read by {@link layerConfig}: `DIXA_API_KEY` and `DIXA_BASE_URL`. */
export const config: Config.Config<{ readonly apiKey: Redacted.Redacted<string>; readonly baseUrl: string }> = Config
  .all({
    apiKey: Config.redacted("DIXA_API_KEY"),
    baseUrl: Config.string("DIXA_BASE_URL").pipe(Config.withDefault(defaultBaseUrl))
  })

/** A layer configured from the environment (`DIXA_API_KEY`, `DIXA_BASE_URL`), with optional overrides. */
export const layerConfig = (
  overrides: Omit<Options, "apiKey" | "baseUrl"> = {}
): Layer.Layer<DixaClient, import("effect/ConfigError").ConfigError, HttpClient.HttpClient> =>
  Layer.effect(DixaClient, Effect.flatMap(config, (c) => make({ ...overrides, ...c })))

/** A group's method for one operation; the input is optional when every field of it is. */
export type Method<E> = {} extends Endpoint.Input<E> ?
  (input?: Endpoint.Input<E>, options?: CallOptions) => Effect.Effect<Endpoint.Output<E>, Endpoint.Error<E>>
  : (input: Endpoint.Input<E>, options?: CallOptions) => Effect.Effect<Endpoint.Output<E>, Endpoint.Error<E>>

/** A group's `xxxAll` method for a paginated operation: every item, page after page. */
export type StreamMethod<E> = {} extends Endpoint.Input<E> ?
  (input?: Endpoint.Input<E>, options?: CallOptions) => Stream.Stream<Endpoint.Item<E>, Endpoint.Error<E>>
  : (input: Endpoint.Input<E>, options?: CallOptions) => Stream.Stream<Endpoint.Item<E>, Endpoint.Error<E>>

/**
 * A group's operations as methods: `agents.get({ agentId })`. A paginated operation `list` also gets
 * `listAll`, a stream of every item across pages.
 */
export type GroupClient<G extends Group.Any> =
  & { readonly [K in keyof G["endpoints"]]: Method<G["endpoints"][K]> }
  & {
    readonly [K in keyof G["endpoints"] as G["endpoints"][K] extends Endpoint.Paginated ? `${K & string}All` : never]:
      StreamMethod<G["endpoints"][K]>
  }

/** Binds a group's operations to a client. */
export const bindGroup = <G extends Group.Any>(client: Service, group: G): GroupClient<G> => {
  const methods: Record<string, unknown> = {}
  for (const [name, endpoint] of Object.entries(group.endpoints)) {
    methods[name] = (input?: object, options?: CallOptions) => client.call(endpoint, (input ?? {}) as never, options)
    if (Endpoint.isPaginated(endpoint)) {
      methods[`${name}All`] = (input?: object, options?: CallOptions) =>
        client.stream(endpoint, (input ?? {}) as never, options)
    }
  }
  return methods as GroupClient<G>
}
