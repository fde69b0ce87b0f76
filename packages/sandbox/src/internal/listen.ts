/**
 * Serving the sandbox app on Node: `HttpServer.serve` on `NodeHttpServer.layer`, in the caller's scope. The server
 * keeps real time even when started from a test on a `TestClock` (the rate limit, latency faults and anonymization
 * delays would otherwise stand still), and makes no span per request.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServer from "@effect/platform/HttpServer"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Http from "node:http"
import { SandboxStartError, type Server } from "./server.js"

/** Where the sandbox listens. */
export interface Listening {
  readonly url: string
  readonly port: number
}

const nodeServer = () => {
  const server = Http.createServer()
  server.keepAliveTimeout = 5_000
  return server
}

const hostForUrl = (host: string) => host.includes(":") ? `[${host}]` : host

/** Serves the app on `host:port` (0 picks a free port) until the scope closes. */
export const listen = (
  server: Pick<Server, "app">,
  host: string,
  port: number
): Effect.Effect<Listening, SandboxStartError, Scope.Scope> =>
  Effect.gen(function*() {
    const layer = HttpServer.serve(server.app).pipe(
      Layer.provideMerge(NodeHttpServer.layer(nodeServer, { host, port }))
    )
    const context = yield* Layer.build(layer).pipe(
      Effect.mapError((cause) => new SandboxStartError({ message: `cannot listen on ${host}:${port}`, cause }))
    )
    const address = Context.get(context, HttpServer.HttpServer).address
    const bound = address._tag === "TcpAddress" ? address.port : port
    return { url: `http://${hostForUrl(host)}:${bound}`, port: bound }
  }).pipe(
    Effect.withClock(Clock.make()),
    Effect.locally(HttpMiddleware.currentTracerDisabledWhen, () => true)
  )
