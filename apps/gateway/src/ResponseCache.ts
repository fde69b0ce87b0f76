/**
 * A short-lived cache of upstream GET responses for slowly changing resources, with request coalescing:
 * identical GETs that arrive while one is in flight share its upstream call. A write through the gateway
 * drops everything cached for its group, and a load that was in flight during the write is not stored.
 */
import type { DixaClient, Endpoint } from "@org/dixa-core"
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"

export type Outcome = "hit" | "miss" | "coalesced"

interface Entry {
  readonly response: DixaClient.RawResponse
  readonly expiresAt: number
}

export interface ResponseCache {
  /** Whether GETs of this operation are cached at all. */
  readonly covers: (endpoint: Endpoint.Any) => boolean
  /** The cached response for `key`, or the result of `load` (shared with concurrent callers of the same key). */
  readonly get: <E>(
    endpoint: Endpoint.Any,
    key: string,
    load: Effect.Effect<DixaClient.RawResponse, E>
  ) => Effect.Effect<readonly [DixaClient.RawResponse, Outcome], E>
  /** Forgets everything cached for the group a write touched. */
  readonly invalidate: (endpoint: Endpoint.Any) => Effect.Effect<void>
}

/** A group's entries are swept for expired ones once it holds this many. */
const pruneAbove = 256

export const make = (options: { readonly ttl: Duration.Duration; readonly groups: ReadonlyArray<string> }) =>
  Effect.sync((): ResponseCache => {
    const ttl = Duration.toMillis(options.ttl)
    const groups = new Set(options.groups)
    const entries = new Map<string, Map<string, Entry>>()
    const inflight = new Map<string, Deferred.Deferred<DixaClient.RawResponse, unknown>>()
    const generation = new Map<string, number>()

    const covers = (endpoint: Endpoint.Any) => ttl > 0 && endpoint.method === "GET" && groups.has(endpoint.group)

    const get = <E>(endpoint: Endpoint.Any, key: string, load: Effect.Effect<DixaClient.RawResponse, E>) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const group = entries.get(endpoint.group)
        const entry = group?.get(key)
        if (entry !== undefined && entry.expiresAt > now) return [entry.response, "hit"] as const
        const pending = inflight.get(key)
        if (pending !== undefined) {
          const response = yield* (Deferred.await(pending) as Effect.Effect<DixaClient.RawResponse, E>)
          return [response, "coalesced"] as const
        }
        const deferred = yield* Deferred.make<DixaClient.RawResponse, unknown>()
        inflight.set(key, deferred)
        const startedIn = generation.get(endpoint.group) ?? 0
        const exit = yield* Effect.exit(load)
        inflight.delete(key)
        yield* Deferred.done(deferred, exit)
        if (Exit.isSuccess(exit)) {
          const response = exit.value
          const fresh = (generation.get(endpoint.group) ?? 0) === startedIn
          if (fresh && response.status >= 200 && response.status < 300) {
            const stored = yield* Clock.currentTimeMillis
            const map = entries.get(endpoint.group) ?? new Map<string, Entry>()
            // Expired entries are dropped as new ones come in, so the cache holds only what is still fresh.
            if (map.size >= pruneAbove) { for (const [k, e] of map) if (e.expiresAt <= stored) map.delete(k) }
            map.set(key, { response, expiresAt: stored + ttl })
            entries.set(endpoint.group, map)
          }
        }
        return [yield* exit, "miss"] as const
      }).pipe(Effect.uninterruptible)

    const invalidate = (endpoint: Endpoint.Any) =>
      Effect.sync(() => {
        if (!groups.has(endpoint.group)) return
        entries.delete(endpoint.group)
        generation.set(endpoint.group, (generation.get(endpoint.group) ?? 0) + 1)
      })

    return { covers, get, invalidate }
  })
