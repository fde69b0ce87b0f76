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
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Random from "effect/Random"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as DixaError from "./DixaError.js"
import * as Endpoint from "./Endpoint.js"
import type * as Group from "./Group.js"
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
  /** How long one attempt may take, default 30 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** A response as read off the wire. */
export interface RawResponse {
  readonly status: number
  readonly headers: Headers.Headers
  readonly body: Uint8Array
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
  /** Calls an operation and returns its decoded result. */
  readonly call: <E extends Endpoint.Any>(
    endpoint: E,
    input: Endpoint.Input<E>
  ) => Effect.Effect<Endpoint.Output<E>, DixaError.DixaError>
  /** Every item of a paginated list, fetching pages as the stream is pulled. */
  readonly stream: <E extends Endpoint.Paginated>(
    endpoint: E,
    input: Endpoint.Input<E>
  ) => Stream.Stream<Endpoint.Item<E>, DixaError.DixaError>
  /**
   * Sends an already-encoded request with the client's budget, retries and timeout, and returns the
   * final response whatever its status. This is what a proxy needs; applications want {@link call}.
   */
  readonly send: (endpoint: Endpoint.Any, request: RawRequest) => Effect.Effect<RawResponse, DixaError.TransportError>
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

/** Builds a client from explicit options. Needs an `HttpClient` (e.g. `NodeHttpClient.layer` or `FetchHttpClient.layer`). */
export const make = (options: Options): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const http = yield* HttpClient.HttpClient
    const limiter = options.limiter ??
      (options.rateLimit === false
        ? RateLimit.unlimited
        : yield* RateLimit.make(options.rateLimit ?? RateLimit.clientBudget))
    const policy = options.retry ?? Retry.defaultPolicy
    const timeout = Duration.decode(options.timeout ?? Duration.seconds(30))
    const baseUrl = (options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "")

    const attempt = (endpoint: Endpoint.Any, request: RawRequest) => {
      const ctx = { operation: endpoint.id, method: endpoint.method, path: request.path }
      let req = HttpClientRequest.make(endpoint.method)(baseUrl + request.path).pipe(
        HttpClientRequest.setUrlParams(request.query),
        HttpClientRequest.setHeader("authorization", Redacted.value(options.apiKey)),
        HttpClientRequest.acceptJson
      )
      if (request.body instanceof FormData) {
        req = HttpClientRequest.bodyFormData(req, request.body)
      } else if (request.body !== undefined) {
        req = typeof request.body === "string"
          ? HttpClientRequest.bodyText(req, request.body, request.contentType ?? "application/json")
          : HttpClientRequest.bodyUint8Array(req, request.body, request.contentType ?? "application/json")
      }
      return limiter.take.pipe(
        Effect.zipRight(http.execute(req)),
        Effect.flatMap((response) =>
          Effect.map(response.arrayBuffer, (buffer): RawResponse => ({
            status: response.status,
            headers: response.headers,
            body: new Uint8Array(buffer)
          }))
        ),
        Effect.mapError((error) => {
          const failure = transportFailure(error)
          const transport = error._tag === "RequestError" && error.reason === "Transport"
          return new DixaError.TransportError({
            ...ctx,
            reason: transport && failure.refused ? "ConnectionRefused" : "Other",
            message: failure.message
          })
        }),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () =>
            new DixaError.TransportError({
              ...ctx,
              reason: "Timeout",
              message: `no answer within ${Duration.format(timeout)}`
            })
        })
      )
    }

    const send = (
      endpoint: Endpoint.Any,
      request: RawRequest
    ): Effect.Effect<RawResponse, DixaError.TransportError> => {
      const ctx = { operation: endpoint.id, method: endpoint.method, path: request.path }
      const loop = (retry: number): Effect.Effect<RawResponse, DixaError.TransportError> =>
        Effect.flatMap(Effect.either(attempt(endpoint, request)), (result) =>
          Effect.gen(function*() {
            // What went wrong, as the error the caller would see, when it is worth another try.
            let failure: DixaError.DixaError | undefined
            let retryAfter: number | undefined
            if (result._tag === "Left") failure = result.left
            else if (result.right.status === 429 || result.right.status >= 500) {
              const now = yield* Clock.currentTimeMillis
              retryAfter = Retry.parseRetryAfter(result.right.headers["retry-after"], now)
              failure = DixaError.fromStatus(ctx, result.right.status, "", retryAfter)
            }
            if (failure === undefined || retry >= policy.maxRetries || !Retry.isRetryable(endpoint.retry, failure)) {
              return yield* result
            }
            const wait = Retry.delay(policy, retry + 1, yield* Random.next, retryAfter)
            yield* Effect.annotateCurrentSpan("dixa.retries", retry + 1)
            if (failure._tag === "RateLimited") {
              // The whole client holds back: every caller's next slot comes after the pause.
              yield* limiter.pause(wait)
            }
            yield* Effect.sleep(wait)
            return yield* loop(retry + 1)
          }))
      return loop(0)
    }

    const call = (endpoint: Endpoint.Any, input: Readonly<Record<string, unknown>>) =>
      Effect.gen(function*() {
        const encoded = yield* Wire.encodeRequest(endpoint, input ?? {}).pipe(
          Effect.mapError((e) => new DixaError.InvalidInput({ operation: endpoint.id, message: e.message }))
        )
        const ctx = { operation: endpoint.id, method: endpoint.method, path: encoded.path }
        const response = yield* send(endpoint, {
          path: encoded.path,
          query: encoded.query,
          body: Option.match(encoded.body, {
            onNone: () => undefined,
            onSome: (b) => endpoint.bodyEncoding === "multipart" ? Wire.toFormData(b) : JSON.stringify(b)
          })
        })
        yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
        if (!Endpoint.successStatuses(endpoint).includes(response.status)) {
          if (response.status >= 200 && response.status < 300) {
            // A success status the spec did not promise: accept it when the body still decodes.
          } else {
            const now = yield* Clock.currentTimeMillis
            return yield* DixaError.fromStatus(
              ctx,
              response.status,
              errorMessage(response.body, response.status),
              Retry.parseRetryAfter(response.headers["retry-after"], now)
            )
          }
        }
        const text = decoder.decode(response.body)
        if (endpoint.response._tag === "Empty") return undefined
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
      }).pipe(
        Effect.withSpan(`dixa.${endpoint.id}`, {
          kind: "client",
          attributes: {
            "dixa.operation": endpoint.id,
            "http.request.method": endpoint.method,
            "url.template": endpoint.path
          }
        })
      )

    const stream = (endpoint: Endpoint.Paginated, input: Readonly<Record<string, unknown>>) =>
      Stream.paginateChunkEffect(input ?? {}, (current) =>
        Effect.map(call(endpoint, current) as Effect.Effect<Page<unknown>, DixaError.DixaError>, (page) =>
          [
            Chunk.fromIterable(page.data),
            Option.map(page.nextPageKey, (pageKey) => ({ ...current, pageKey }))
          ] as const))

    return { call, stream, send, limiter } as unknown as Service
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

type Call<E> = {} extends Endpoint.Input<E> ?
  (input?: Endpoint.Input<E>) => Effect.Effect<Endpoint.Output<E>, DixaError.DixaError>
  : (input: Endpoint.Input<E>) => Effect.Effect<Endpoint.Output<E>, DixaError.DixaError>

type StreamCall<E> = {} extends Endpoint.Input<E> ?
  (input?: Endpoint.Input<E>) => Stream.Stream<Endpoint.Item<E>, DixaError.DixaError>
  : (input: Endpoint.Input<E>) => Stream.Stream<Endpoint.Item<E>, DixaError.DixaError>

/**
 * A group's operations as methods: `agents.get({ agentId })`. A paginated operation `list` also gets
 * `listAll`, a stream of every item across pages.
 */
export type GroupClient<G extends Group.Any> =
  & { readonly [K in keyof G["endpoints"]]: Call<G["endpoints"][K]> }
  & {
    readonly [K in keyof G["endpoints"] as G["endpoints"][K] extends Endpoint.Paginated ? `${K & string}All` : never]:
      StreamCall<G["endpoints"][K]>
  }

/** Binds a group's operations to a client. */
export const bindGroup = <G extends Group.Any>(client: Service, group: G): GroupClient<G> => {
  const methods: Record<string, unknown> = {}
  for (const [name, endpoint] of Object.entries(group.endpoints)) {
    methods[name] = (input?: object) => client.call(endpoint, (input ?? {}) as never)
    if (Endpoint.isPaginated(endpoint)) {
      methods[`${name}All`] = (input?: object) => client.stream(endpoint, (input ?? {}) as never)
    }
  }
  return methods as GroupClient<G>
}
