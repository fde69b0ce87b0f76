/**
 * The gateway on Node: the Node HTTP server with the door's timeouts and connection cap, and undici for the calls
 * to Dixa. With `redisUrl`, the budget, idempotency records and cache are the ones shared by replicas through Redis
 * (`shared/`); without it, in memory as before. The binary (`main`) serves with `layer`; tests and programs that
 * embed a gateway use `start`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpServer from "@effect/platform/HttpServer"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Scope from "effect/Scope"
import * as Door from "./Door.js"
import * as Gateway from "./Gateway.js"
import type { Address, Options } from "./Options.js"
import * as Shared from "./shared/Shared.js"

/** The options with the pieces shared through Redis in place of the in-memory ones, when `redisUrl` is set. */
const withShared = (options: Options) =>
  options.redisUrl === undefined
    ? Effect.succeed(options)
    : Effect.map(Shared.make(options.redisUrl, options), (shared) => ({ ...options, ...shared }))

/**
 * The gateway serving on `host:port` until the layer is released; it exposes its `HttpServer`. It fails to build
 * with a `RedisUnreachable` error when `redisUrl` is set and Redis cannot be reached.
 */
export const layer = (options: Options & Address) =>
  // Redis first: a gateway that cannot reach it does not even listen.
  Layer.unwrapScoped(Effect.map(withShared(options), (shared) =>
    Gateway.serve(shared).pipe(
      Layer.provideMerge(
        NodeHttpServer.layer(() => Door.makeServer(options), { host: options.host, port: options.port })
      ),
      Layer.provide(NodeHttpClient.layerUndici)
    )))

/**
 * Starts the gateway in this process and returns its URL (port 0, the default, picks a free one). It keeps real
 * time even when started from a test on a `TestClock`: the budget, the cache and the queue deadlines are about real
 * time.
 */
export const start = (
  options: Options & Partial<Address>
): Effect.Effect<{ readonly url: string; readonly port: number }, unknown, Scope.Scope> =>
  Effect.withClock(
    Effect.gen(function*() {
      const context = yield* Layer.build(
        layer({ ...options, host: options.host ?? "127.0.0.1", port: options.port ?? 0 })
      )
      const address = Context.get(context, HttpServer.HttpServer).address
      if (address._tag !== "TcpAddress") return yield* Effect.dieMessage("the gateway is not listening on TCP")
      return { url: `http://${address.hostname}:${address.port}`, port: address.port }
    }),
    Clock.make()
  )
