/**
 * The connection to the Redis that replicas share (`GATEWAY_REDIS_URL`). Commands never queue while the connection
 * is down: they fail at once, as {@link Unavailable.Unavailable} defects, and the client reconnects by itself.
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { Redis as IORedis } from "ioredis"
import { withoutUserinfo } from "../Printable.js"
import { Unavailable } from "./Unavailable.js"

/** Start-up could not reach Redis: the gateway does not start. */
export class Unreachable
  extends Data.TaggedError("RedisUnreachable")<{ readonly url: string; readonly reason: string }>
{
  override get message() {
    return `GATEWAY_REDIS_URL: cannot reach Redis at ${this.url}: ${this.reason}`
  }
}

export interface Redis {
  readonly client: IORedis
  /** Runs a command; an unreachable Redis is an {@link Unavailable} defect. */
  readonly run: <A>(command: (client: IORedis) => Promise<A>) => Effect.Effect<A>
  /** Why the shared state cannot be used now, if it cannot: for `/readyz`. */
  readonly problem: Effect.Effect<Option.Option<string>>
}

/** How long one command may take before Redis counts as unreachable. */
const commandTimeout = 1000

const reasonOf = (error: unknown): string => error instanceof Error ? error.message : String(error)

/** Connects and checks with a PING; the connection closes with the scope. */
export const connect = (url: Redacted.Redacted<string>): Effect.Effect<Redis, Unreachable, Scope.Scope> =>
  Effect.gen(function*() {
    const printable = withoutUserinfo(Redacted.value(url))
    let lastError = "not connected yet"
    const client = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const client = new IORedis(Redacted.value(url), {
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          commandTimeout,
          connectTimeout: 2000,
          // Reconnect for ever, at most a second apart: service resumes by itself when Redis is back.
          retryStrategy: (times) => Math.min(times * 100, 1000)
        })
        client.on("error", (error) => {
          lastError = reasonOf(error)
        })
        return client
      }),
      (client) => Effect.sync(() => client.disconnect())
    )
    yield* Effect.tryPromise({
      try: () => client.connect().then(() => client.ping()),
      catch: (error) => new Unreachable({ url: printable, reason: reasonOf(error) })
    }).pipe(
      Effect.timeoutFail({
        duration: "5 seconds",
        onTimeout: () => new Unreachable({ url: printable, reason: `no answer within 5 s (${lastError})` })
      })
    )
    const run = <A>(command: (client: IORedis) => Promise<A>) =>
      Effect.tryPromise({ try: () => command(client), catch: (e) => new Unavailable({ reason: reasonOf(e) }) }).pipe(
        Effect.orDie
      )
    const problem = Effect.map(
      Effect.either(Effect.tryPromise(() => client.ping())),
      (pong) =>
        pong._tag === "Right"
          ? Option.none()
          : Option.some(`the shared state (GATEWAY_REDIS_URL) is unreachable: ${lastError}`)
    )
    return { client, run, problem }
  })
