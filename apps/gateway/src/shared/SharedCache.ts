/**
 * The response cache of a replica, kept fresh across replicas: each replica caches in memory, and a generation in
 * Redis says which entries may still be served. A write forwarded by any replica sets a new generation; an entry is
 * served only while the generation it was loaded in is the current one, read from Redis on every GET. So a write
 * through one replica is never followed by a stale read through another, and a Redis that lost its data (a restart)
 * starts a generation no entry has.
 *
 * When the generation cannot be read, nothing is served (fail closed). A replica whose connection to Redis drops
 * forgets its entries; a new generation it could not set is set as soon as Redis answers again.
 */
import type { DixaClient, Endpoint } from "@org/dixa-core"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import { randomUUID } from "node:crypto"
import type * as ResponseCache from "../ResponseCache.js"
import type { Redis } from "./Redis.js"

// KEYS[1]: the generation. ARGV[1]: the one to start when there is none (a fresh or restarted Redis).
const currentScript = `
local g = redis.call("GET", KEYS[1])
if g then return g end
redis.call("SET", KEYS[1], ARGV[1])
return ARGV[1]
`

interface Entry {
  readonly response: DixaClient.RawResponse
  readonly expiresAt: number
  readonly generation: string
}

interface Load {
  readonly deferred: Deferred.Deferred<DixaClient.RawResponse, unknown>
  readonly generation: string
}

/** The entries are swept for expired ones once there are this many. */
const pruneAbove = 1024

/** A cache of `ttl` for the GETs of `groups`, its generation under `key`. */
export const make = (
  redis: Redis,
  key: string,
  options: { readonly ttl: Duration.Duration; readonly groups: ReadonlyArray<string> }
): ResponseCache.ResponseCache => {
  const ttl = Duration.toMillis(options.ttl)
  const groups = new Set(options.groups)
  const entries = new Map<string, Entry>()
  const inflight = new Map<string, Load>()
  let unannounced = false
  redis.client.defineCommand("gatewayCacheGeneration", { numberOfKeys: 1, lua: currentScript })
  const command = redis.client as unknown as { gatewayCacheGeneration: (k: string, g: string) => Promise<string> }
  redis.client.on("close", () => entries.clear())

  const announce = redis.run((client) => client.set(key, randomUUID())).pipe(Effect.asVoid)
  const generation = Effect.suspend(() =>
    unannounced
      ? Effect.zipRight(announce, Effect.sync(() => (unannounced = false)))
      : Effect.void
  ).pipe(Effect.zipRight(redis.run(() => command.gatewayCacheGeneration(key, randomUUID()))))

  const covers = (endpoint: Endpoint.Any) => ttl > 0 && endpoint.method === "GET" && groups.has(endpoint.group)

  const store = (key: string, generation: string, response: DixaClient.RawResponse, now: number) => {
    if (response.status < 200 || response.status >= 300) return
    if (entries.size >= pruneAbove) { for (const [k, e] of entries) if (e.expiresAt <= now) entries.delete(k) }
    entries.set(key, { response, expiresAt: now + ttl, generation })
  }

  const get = <E>(_endpoint: Endpoint.Any, key: string, load: Effect.Effect<DixaClient.RawResponse, E>) =>
    Effect.gen(function*() {
      const current = yield* generation
      const now = yield* Clock.currentTimeMillis
      const entry = entries.get(key)
      if (entry !== undefined && entry.expiresAt > now && entry.generation === current) {
        return [entry.response, "hit"] as const
      }
      const pending = inflight.get(key)
      if (pending !== undefined && pending.generation === current) {
        const response = yield* (Deferred.await(pending.deferred) as Effect.Effect<DixaClient.RawResponse, E>)
        return [response, "coalesced"] as const
      }
      const lead: Load = { deferred: yield* Deferred.make<DixaClient.RawResponse, unknown>(), generation: current }
      inflight.set(key, lead)
      const exit = yield* Effect.exit(load)
      if (inflight.get(key) === lead) inflight.delete(key)
      if (Exit.isSuccess(exit)) store(key, current, exit.value, yield* Clock.currentTimeMillis)
      yield* Deferred.done(lead.deferred, exit)
      return [yield* exit, "miss"] as const
    }).pipe(Effect.uninterruptible)

  // Never fails the write it follows: when Redis cannot be told now, it is told before this replica reads again.
  const written = Effect.suspend(() => {
    entries.clear()
    unannounced = true
    return Effect.zipRight(announce, Effect.sync(() => (unannounced = false)))
  }).pipe(Effect.catchAllDefect((defect) => Effect.logWarning("cache generation not announced", String(defect))))

  return { covers, get, written, invalidate: () => written }
}
