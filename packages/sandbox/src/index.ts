/**
 * `@org/dixa-sandbox`: a stateful fake Dixa API server, derived from the `@org/dixa-core` endpoint
 * definitions. It routes, decodes and encodes with the core's own schemas, so whatever the client can
 * send, the sandbox can read, and whatever the sandbox answers, the client can decode.
 *
 * @since 0.1.0
 */
import { Api, RateLimit } from "@org/dixa-core"
import * as Console from "effect/Console"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import { routes, settle } from "./handlers/index.js"
import * as FaultSettings from "./internal/faults.js"
import { listen } from "./internal/listen.js"
import * as Server from "./internal/server.js"
import { SandboxStartError, type Stats } from "./internal/server.js"

/** How to start a sandbox. Every field is optional. */
export interface Options {
  /** The port to listen on; 0 (the default) picks a free one. */
  readonly port?: number
  /** Default `127.0.0.1`. */
  readonly host?: string
  /** Seeds the demo organization and every id minted later; the same seed gives the same ids. Default 1. */
  readonly seed?: number
  /** How many numbered agents to add to the demo organization. Default 0. */
  readonly agents?: number
  /** The limit applied per API token, or `false` for none. Default Dixa's: 10/s, bursts of 4. */
  readonly rateLimit?: RateLimit.Budget | false
  /** Faults to inject from the start. */
  readonly faults?: Faults
  /** When set, only this token is accepted; otherwise any non-empty `Authorization` is. */
  readonly apiKey?: string
  /**
   * A SQLite file holding the state, created with the seeded state when missing; several processes may share it.
   * Without it the state lives in memory. A JSON state file from an older sandbox found there is imported.
   */
  readonly stateFile?: string
  /** How long an anonymization request takes before it shows as processed. Default 1 second. */
  readonly anonymizationDelay?: Duration.DurationInput
}

/** Faults to inject into API requests (`/_sandbox/*` is never affected). */
export interface Faults {
  /** The share of requests, 0 to 1, answered with a 500, 502 or 503. */
  readonly errorRate?: number
  /** Answer every request 429. */
  readonly rateLimitStorm?: boolean
  /** Wait this long before handling each request. */
  readonly latency?: Duration.DurationInput
  /** The share of requests, 0 to 1, whose connection is destroyed without an answer. */
  readonly dropRate?: number
}

// What the sandbox has served since it started. Re-exported rather than aliased, like SandboxStartError below, so
// that declarations emitted from a user's code name them from `@org/dixa-sandbox`, not from its internal modules.
export type { Stats }

/** A running sandbox. */
export interface Running {
  /** The base URL to give a client, e.g. `http://127.0.0.1:53211`. */
  readonly url: string
  readonly port: number
  readonly stats: Effect.Effect<Stats>
  /** Replaces the injected faults; dies on a rate outside [0, 1] (a programming error). */
  readonly setFaults: (faults: Faults) => Effect.Effect<void>
  /** Restores the seeded state (in the state file too, when there is one). */
  readonly reset: Effect.Effect<void>
}

// The sandbox could not start: the port is taken, an option is out of range, or the state file is unusable.
export { SandboxStartError }

const faultsOrFail = (faults: Faults | undefined) =>
  Effect.try({
    try: () => FaultSettings.fromInput(faults),
    catch: (cause) => new SandboxStartError({ message: (cause as Error).message, cause })
  })

/**
 * Starts a sandbox in the current scope; closing the scope stops it.
 *
 * @example
 * const sandbox = yield* Sandbox.start({ agents: 100 })
 * const client = yield* DixaClient.make({ apiKey: Redacted.make("any"), baseUrl: sandbox.url })
 */
export const start = (options: Options = {}): Effect.Effect<Running, SandboxStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const faults = yield* faultsOrFail(options.faults)
    const agents = options.agents ?? 0
    if (!Number.isInteger(agents) || agents < 0) {
      return yield* new SandboxStartError({ message: `agents must be a whole number >= 0, got ${agents}` })
    }
    const rateLimit = options.rateLimit ?? RateLimit.dixaBudget
    if (rateLimit !== false && !(rateLimit.requestsPerSecond > 0 && rateLimit.burst >= 1)) {
      return yield* new SandboxStartError({ message: `invalid rate limit: ${JSON.stringify(rateLimit)}` })
    }
    const anonymizationDelayMillis = yield* Effect.try({
      try: () => Duration.toMillis(Duration.decode(options.anonymizationDelay ?? Duration.seconds(1))),
      catch: (cause) => new SandboxStartError({ message: "invalid anonymizationDelay", cause })
    })
    const host = options.host ?? "127.0.0.1"
    const server = yield* Server.make({
      host,
      port: options.port ?? 0,
      seed: options.seed ?? 1,
      agents,
      rateLimit,
      faults,
      apiKey: options.apiKey,
      stateFile: options.stateFile,
      anonymizationDelayMillis,
      endpoints: Api.endpoints,
      routes,
      settle
    })
    const listening = yield* listen(server, host, options.port ?? 0)
    return {
      url: listening.url,
      port: listening.port,
      stats: server.stats,
      setFaults: (next: Faults) => Effect.flatMap(Effect.orDie(faultsOrFail(next)), server.setFaults),
      reset: server.reset
    } satisfies Running
  })

/** The running sandbox as a service. */
export class Sandbox extends Context.Tag("@org/dixa-sandbox/Sandbox")<Sandbox, Running>() {}

/** A layer that starts a sandbox and stops it when the layer is released. */
export const layer = (options: Options = {}): Layer.Layer<Sandbox, SandboxStartError> =>
  Layer.scoped(Sandbox, start(options))

/**
 * Runs a sandbox until interrupted, printing its URL first: what `dixa sandbox serve` runs.
 */
export const serveMain = (options: Options): Effect.Effect<never, SandboxStartError> =>
  Effect.scoped(
    Effect.gen(function*() {
      const running = yield* start(options)
      yield* Console.log(`Dixa sandbox listening on ${running.url}`)
      return yield* Effect.never
    })
  )
