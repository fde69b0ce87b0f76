/**
 * A short-lived cache of upstream GET responses for slowly changing resources, with request coalescing:
 * identical GETs that arrive while one is in flight share its upstream call.
 *
 * The rule: a GET answered from the cache never predates a write the gateway forwarded. A write can change
 * any group (tagging a conversation creates a tag; adding an agent to a team changes the agent's teams), so
 * every forwarded write empties the whole cache and starts a new generation. A load keeps the generation it
 * started in: it is stored only if no write came since, and a GET of a later generation never joins it.
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

interface Load {
  readonly deferred: Deferred.Deferred<DixaClient.RawResponse, unknown>
  readonly generation: number
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
  /**
   * Tells the cache a write was sent upstream. Whatever its answer (a 5xx or a timeout may still have applied
   * it), everything cached is dropped, and no load that started before is stored or joined.
   */
  readonly written: Effect.Effect<void>
  /** The same as {@link written}, whatever the endpoint: a write may change what any group reads. */
  readonly invalidate: (endpoint: Endpoint.Any) => Effect.Effect<void>
}

/** The entries are swept for expired ones once there are this many. */
const pruneAbove = 1024

type Step =
  | { readonly _tag: "Hit"; readonly response: DixaClient.RawResponse }
  | { readonly _tag: "Join"; readonly load: Load }
  | { readonly _tag: "Lead"; readonly load: Load }

export const make = (options: { readonly ttl: Duration.Duration; readonly groups: ReadonlyArray<string> }) =>
  Effect.sync((): ResponseCache => {
    const ttl = Duration.toMillis(options.ttl)
    const groups = new Set(options.groups)
    const entries = new Map<string, Entry>()
    const inflight = new Map<string, Load>()
    let generation = 0

    const covers = (endpoint: Endpoint.Any) => ttl > 0 && endpoint.method === "GET" && groups.has(endpoint.group)

    /** Decided in one step, so that no write can come between looking at the cache and joining or leading. */
    const step = (key: string, now: number, deferred: Deferred.Deferred<DixaClient.RawResponse, unknown>): Step => {
      const entry = entries.get(key)
      if (entry !== undefined && entry.expiresAt > now) return { _tag: "Hit", response: entry.response }
      const pending = inflight.get(key)
      if (pending !== undefined && pending.generation === generation) return { _tag: "Join", load: pending }
      const load: Load = { deferred, generation }
      inflight.set(key, load)
      return { _tag: "Lead", load }
    }

    const store = (key: string, load: Load, response: DixaClient.RawResponse, now: number) => {
      if (load.generation !== generation || response.status < 200 || response.status >= 300) return
      // Expired entries are dropped as new ones come in, so the cache holds only what is still fresh.
      if (entries.size >= pruneAbove) { for (const [k, e] of entries) if (e.expiresAt <= now) entries.delete(k) }
      entries.set(key, { response, expiresAt: now + ttl })
    }

    const get = <E>(_endpoint: Endpoint.Any, key: string, load: Effect.Effect<DixaClient.RawResponse, E>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        // A fresh entry answers at once, without the machinery a miss needs.
        const entry = entries.get(key)
        return entry !== undefined && entry.expiresAt > now
          ? Effect.succeed([entry.response, "hit"] as const)
          : miss(key, load)
      })

    const miss = <E>(key: string, load: Effect.Effect<DixaClient.RawResponse, E>) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const deferred = yield* Deferred.make<DixaClient.RawResponse, unknown>()
        const next = step(key, now, deferred)
        if (next._tag === "Hit") return [next.response, "hit"] as const
        if (next._tag === "Join") {
          const response = yield* (Deferred.await(next.load.deferred) as Effect.Effect<DixaClient.RawResponse, E>)
          return [response, "coalesced"] as const
        }
        const exit = yield* Effect.exit(load)
        if (inflight.get(key) === next.load) inflight.delete(key)
        if (Exit.isSuccess(exit)) store(key, next.load, exit.value, yield* Clock.currentTimeMillis)
        yield* Deferred.done(deferred, exit)
        return [yield* exit, "miss"] as const
      }).pipe(Effect.uninterruptible)

    const written = Effect.sync(() => {
      generation++
      entries.clear()
    })

    return { covers, get, written, invalidate: () => written }
  })
