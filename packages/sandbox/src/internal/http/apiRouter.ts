/**
 * The API: one route per operation of the definition (`/beta/agents/{agentId}` as `/beta/agents/:agentId`), each
 * counted, then through authentication, the rate limit and the faults to the generic handler. A catch-all tells
 * 405 (with `Allow`) from 404 using the core's router, which also forgives a path's spelling as Dixa does.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import { type Endpoint, Router } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Auth from "./auth.js"
import * as Faults from "./faults.js"
import * as Operation from "./operation.js"
import * as RateLimit from "./rateLimit.js"
import type { Shared } from "./shared.js"

type Params = Readonly<Record<string, string | undefined>>

/** Each operation's handler behind the middleware, in order: authentication, rate limit, faults. */
const guarded = (shared: Shared) => {
  const operation = Operation.make(shared)
  const auth = Auth.middleware(shared.apiKey)
  const limit = RateLimit.middleware(shared.rateLimit, shared.counters)
  const faults = Faults.middleware(shared)
  return (endpoint: Endpoint.Any) => (params: Params) => {
    shared.counters.byOperation[endpoint.id] = (shared.counters.byOperation[endpoint.id] ?? 0) + 1
    return auth(limit(faults(operation(endpoint)(params))))
  }
}

/** Counts every API request, matched or not. */
const counted = <A, E, R>(shared: Shared, handler: Effect.Effect<A, E, R>) =>
  Effect.zipRight(Effect.sync(() => void shared.counters.requests++), handler)

/** Every operation as a route, beside the catch-all (the core's), every request counted. */
export const make = (shared: Shared) =>
  Router.toHttpRouter(
    shared.endpoints,
    guarded(shared),
    (method, path) => `no operation at ${method} ${path}`
  ).pipe(HttpRouter.use((app) => counted(shared, app)))
