/**
 * Finding the operation an incoming request is for, from the method and path alone. The sandbox and the
 * gateway route with this, so both serve exactly the operations the definition has.
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import type * as Endpoint from "./Endpoint.js"

/** An operation matched to a request, with its raw (still encoded) path parameters. */
export interface Match {
  readonly endpoint: Endpoint.Any
  readonly pathParams: Readonly<Record<string, string>>
}

/** What a request can resolve to. */
export type Result =
  | { readonly _tag: "Found"; readonly match: Match }
  /** The path is known but not for this method; `allowed` lists the methods it has. */
  | { readonly _tag: "MethodNotAllowed"; readonly allowed: ReadonlyArray<string> }
  | { readonly _tag: "NotFound" }

interface Route {
  readonly endpoint: Endpoint.Any
  readonly segments: ReadonlyArray<string | { readonly param: string }>
  /** Literal segments count: more specific routes win (`/agents/presence` over `/agents/{agentId}`). */
  readonly literals: number
}

const compile = (endpoint: Endpoint.Any): Route => {
  const segments = endpoint.path.split("/").filter((s) => s !== "").map((s) => {
    const param = /^\{([^}]+)\}$/.exec(s)
    return param ? { param: param[1]! } : s
  })
  return { endpoint, segments, literals: segments.filter((s) => typeof s === "string").length }
}

const matchRoute = (route: Route, parts: ReadonlyArray<string>): Record<string, string> | undefined => {
  if (route.segments.length !== parts.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < parts.length; i++) {
    const segment = route.segments[i]!
    if (typeof segment === "string") {
      if (segment !== parts[i]) return undefined
    } else {
      try {
        params[segment.param] = decodeURIComponent(parts[i]!)
      } catch {
        return undefined
      }
    }
  }
  return params
}

/** Builds a router over the given endpoints. */
export const make = (endpoints: ReadonlyArray<Endpoint.Any>) => {
  const routes = endpoints.map(compile).sort((a, b) => b.literals - a.literals)
  const byLength = new Map<number, Array<Route>>()
  for (const route of routes) {
    const list = byLength.get(route.segments.length) ?? []
    list.push(route)
    byLength.set(route.segments.length, list)
  }
  return (method: string, pathname: string): Result => {
    const parts = pathname.split("/").filter((s) => s !== "")
    const allowed: Array<string> = []
    for (const route of byLength.get(parts.length) ?? []) {
      const params = matchRoute(route, parts)
      if (params === undefined) continue
      if (route.endpoint.method === method.toUpperCase()) {
        return { _tag: "Found", match: { endpoint: route.endpoint, pathParams: params } }
      }
      allowed.push(route.endpoint.method)
    }
    return allowed.length > 0 ? { _tag: "MethodNotAllowed", allowed } : { _tag: "NotFound" }
  }
}

/** `/beta/agents/{agentId}` as the platform's `HttpRouter` writes it: `/beta/agents/:agentId`. */
const routePath = (path: string) => path.replace(/\{([^}]+)\}/g, ":$1") as HttpRouter.PathInput

/** The JSON `{message}` answer a server built on the definition gives itself. */
const message = (status: number, text: string) => HttpServerResponse.unsafeJson({ message: text }, { status })

/**
 * Serves the endpoints as an `HttpRouter`: one route per endpoint, all handled by `handle` with the route's path
 * parameters, and a catch-all that hands a path this module's matching forgives (an empty segment, a trailing slash)
 * to its endpoint, answers 405 with `Allow` for a known path asked with another method, and `notFound` otherwise.
 * The sandbox and the gateway are both served this way.
 *
 * @since 0.1.0
 */
export const toHttpRouter = <E, R>(
  endpoints: ReadonlyArray<Endpoint.Any>,
  handle: (
    endpoint: Endpoint.Any
  ) => (
    pathParams: Readonly<Record<string, string | undefined>>
  ) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  notFound: (method: string, path: string) => string
) => {
  const route = make(endpoints)
  const fallback = Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = new URL(request.url, "http://router.local").pathname
    const found = route(request.method, path)
    if (found._tag === "Found") return handle(found.match.endpoint)(found.match.pathParams)
    if (found._tag === "NotFound") return Effect.succeed(message(404, notFound(request.method, path)))
    return Effect.succeed(
      message(405, `${request.method} is not allowed on ${path}`).pipe(
        HttpServerResponse.setHeader("allow", found.allowed.join(", "))
      )
    )
  })
  return HttpRouter.fromIterable([
    ...endpoints.map((endpoint) =>
      HttpRouter.makeRoute(
        endpoint.method,
        routePath(endpoint.path),
        Effect.flatMap(HttpRouter.params, handle(endpoint))
      )
    ),
    HttpRouter.makeRoute("*", "*", fallback)
  ])
}
