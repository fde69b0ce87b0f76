/**
 * The sandbox as an `@effect/platform` app: the API router (derived from the endpoint definitions, behind
 * authentication, the rate limit and the faults) beside the `/_sandbox/*` controls, over one SQLite store.
 * Platform-neutral: the entry points serve it on Node.
 */
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type { Endpoint, RateLimit } from "@org/dixa-core"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as FiberSet from "effect/FiberSet"
import type * as Scope from "effect/Scope"
import * as Deliveries from "./deliveries.js"
import type * as Faults from "./faults.js"
import type { Route } from "./handler.js"
import { message } from "./http/answer.js"
import * as ApiRouter from "./http/apiRouter.js"
import * as ControlRouter from "./http/controlRouter.js"
import { emptyCounters, type Shared, snapshot, type Stats } from "./http/shared.js"
import * as Prng from "./prng.js"
import * as State from "./state.js"
import * as Store from "./store/store.js"

export type { Stats }

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

/** The app and the handles on it. */
export interface Server {
  readonly app: HttpApp.Default
  readonly stats: Effect.Effect<Stats>
  readonly faults: Effect.Effect<Faults.Settings>
  readonly setFaults: (faults: Faults.Settings) => Effect.Effect<void>
  readonly reset: Effect.Effect<void>
  readonly state: Effect.Effect<State.State>
}

/** Replaces the whole state in place (a reset): the store then writes what differs. */
const replace = (state: State.State, next: State.State): void => {
  for (const key of Object.keys(state)) delete (state as unknown as Record<string, unknown>)[key]
  Object.assign(state, next)
}

/** Sends webhook deliveries (each subscription on its own) and logs every outcome in the state. */
const deliverWith = (store: Store.Store) => (pending: ReadonlyArray<Deliveries.Pending>) =>
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
      ).pipe(Effect.catchAll((e) => Effect.logWarning(`sandbox: could not record a webhook delivery: ${e.message}`)))
    }), { concurrency: "unbounded", discard: true })

/** The moving parts: the store, counters, faults, deliveries in the background. */
const makeShared = (config: Config) =>
  Effect.gen(function*() {
    const store = yield* Store.open({
      file: config.stateFile,
      initial: () => State.seed(config.seed, config.agents)
    }).pipe(Effect.mapError((e) => new SandboxStartError({ message: e.message, cause: e.cause })))
    const deliveries = yield* FiberSet.make<void>()
    const reset = store.write((state) => Effect.sync(() => replace(state, State.seed(config.seed, config.agents))))
      .pipe(Effect.catchAll((e) => Effect.logWarning(`sandbox: could not reset the state: ${e.message}`)))
    return {
      apiKey: config.apiKey,
      rateLimit: config.rateLimit,
      anonymizationDelayMillis: config.anonymizationDelayMillis,
      endpoints: config.endpoints,
      handlers: new Map(config.routes.map((route) => [route.endpoint.id, route.handler])),
      settle: config.settle,
      store,
      counters: emptyCounters(),
      faults: { current: config.faults },
      faultRng: Prng.fromCell({ rng: Prng.seedState(config.seed, 3) }),
      deliver: (pending) => Effect.asVoid(FiberSet.run(deliveries, deliverWith(store)(pending))),
      reset
    } satisfies Shared
  })

/** A defect anywhere is a sandbox bug, answered 500 with what went wrong. */
const bugsAnswered = <E, R>(app: HttpApp.Default<E, R>): HttpApp.Default<never, R> =>
  Effect.catchAllCause(app, (cause) => {
    const defect = Cause.squash(cause)
    const text = defect instanceof Error ? defect.message : String(defect)
    return Effect.succeed(message(500, `sandbox bug: ${text}`))
  })

/** Builds the sandbox app over its store; background work stops when the scope closes. */
export const make = (config: Config): Effect.Effect<Server, SandboxStartError, Scope.Scope> =>
  Effect.map(makeShared(config), (shared) => ({
    app: bugsAnswered(HttpRouter.concat(ControlRouter.make(shared), ApiRouter.make(shared))),
    stats: Effect.sync(() => snapshot(shared.counters)),
    faults: Effect.sync(() => shared.faults.current),
    setFaults: (next) => Effect.sync(() => void (shared.faults.current = next)),
    reset: shared.reset,
    state: Effect.orDie(shared.store.read(Effect.succeed))
  }))
