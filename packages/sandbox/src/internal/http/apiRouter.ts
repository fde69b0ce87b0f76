/**
 * The API: one route per operation of the definition (`/beta/agents/{agentId}` as `/beta/agents/:agentId`), each
 * counted, then through authentication, the rate limit and the faults to the generic handler. A catch-all tells
 * 405 (with `Allow`) from 404 using the core's router, which also forgives a path's spelling as Dixa does.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { type Endpoint, Router } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { message } from "./answer.js"
import * as Auth from "./auth.js"
import * as Faults from "./faults.js"
import * as Operation from "./operation.js"
import * as RateLimit from "./rateLimit.js"
import type { Shared } from "./shared.js"

type Params = Readonly<Record<string, string | undefined>>

/** `/beta/agents/{agentId}` as the router writes it: `/beta/agents/:agentId`. */
const routerPath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1") as HttpRouter.PathInput

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

/** What the routes did not match: a path spelled loosely, a known path with another method, or nothing. */
const fallback = (shared: Shared, handle: ReturnType<typeof guarded>) => {
  const route = Router.make(shared.endpoints)
  return Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = new URL(request.url, "http://sandbox.local").pathname
    const found = route(request.method, path)
    if (found._tag === "Found") return handle(found.match.endpoint)(found.match.pathParams)
    if (found._tag === "NotFound") return Effect.succeed(message(404, `no operation at ${request.method} ${path}`))
    return Effect.succeed(
      message(405, `${request.method} is not allowed on ${path}`).pipe(
        HttpServerResponse.setHeader("allow", found.allowed.join(", "))
      )
    )
  })
}

/** Every operation as a route, beside the catch-all. */
export const make = (shared: Shared) => {
  const handle = guarded(shared)
  return shared.endpoints.reduce(
    (router, endpoint) =>
      HttpRouter.route(endpoint.method)(
        router,
        routerPath(endpoint.path),
        counted(shared, Effect.flatMap(HttpRouter.params, handle(endpoint)))
      ),
    HttpRouter.empty.pipe(HttpRouter.all("*", counted(shared, fallback(shared, handle))))
  )
}
