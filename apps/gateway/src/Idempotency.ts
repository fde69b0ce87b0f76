/**
 * `Idempotency-Key` for POST and PATCH, as Stripe does it: the first final answer to a key (per caller) is kept for
 * a day; a repeat with the same request gets that answer again without a second upstream call, a repeat that
 * arrives while the first is still running waits for it, and the same key with a different request is refused.
 * In memory, for one instance; `shared/SharedIdempotency.ts` keeps the same records in Redis for replicas.
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { createHash } from "node:crypto"

/** An answer as kept for replay. */
export interface Stored {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: Uint8Array
}

/** What a request with a key is to do. */
export type Claim =
  /** The first with this key: send it, then `settle` with its final answer, or `release` when nothing was sent. */
  | {
    readonly _tag: "First"
    readonly settle: (answer: Stored) => Effect.Effect<void>
    readonly release: Effect.Effect<void>
  }
  /** Answered before: give this answer again. */
  | { readonly _tag: "Replay"; readonly answer: Stored }
  /** The key was used for a different request. */
  | { readonly _tag: "Mismatch" }

/** The records of keys: what a request with a key is to do. */
export interface Idempotency {
  /**
   * Claims `key` for `caller`'s request. `request` identifies what was asked (method, path, query, body): a repeat
   * must match it exactly.
   */
  readonly claim: (caller: string, key: string, request: ReadonlyArray<string | Uint8Array>) => Effect.Effect<Claim>
}

interface Entry {
  readonly fingerprint: string
  /** Completed with the answer, or with `undefined` when the first request was released unsent. */
  readonly done: Deferred.Deferred<Stored | undefined>
  expiresAt: number
}

/** The keys this instance keeps, with how long an answer is kept. */
export const make = (options: { readonly ttl: Duration.DurationInput } = { ttl: Duration.hours(24) }) =>
  Effect.sync((): Idempotency => {
    const ttl = Duration.toMillis(options.ttl)
    const entries = new Map<string, Entry>()
    let lastSweep = 0

    const sweep = (now: number) => {
      if (now - lastSweep < 60_000) return
      lastSweep = now
      for (const [id, entry] of entries) if (entry.expiresAt <= now) entries.delete(id)
    }

    /**
     * Claims `key` for `caller`'s request. `request` identifies what was asked (method, path, query, body): a repeat
     * must match it exactly.
     */
    const claim = (caller: string, key: string, request: ReadonlyArray<string | Uint8Array>): Effect.Effect<Claim> =>
      Effect.gen(function*() {
        const id = `${caller}\u0000${key}`
        const fingerprint = digest(request)
        while (true) {
          const now = yield* Clock.currentTimeMillis
          sweep(now)
          const existing = entries.get(id)
          if (existing !== undefined && existing.expiresAt > now) {
            if (existing.fingerprint !== fingerprint) return { _tag: "Mismatch" } as const
            const answer = yield* Deferred.await(existing.done)
            if (answer !== undefined) return { _tag: "Replay", answer } as const
            continue // the first was released unsent: try to be the first now
          }
          const entry: Entry = { fingerprint, done: yield* Deferred.make<Stored | undefined>(), expiresAt: now + ttl }
          entries.set(id, entry)
          return {
            _tag: "First",
            settle: (answer: Stored) =>
              Effect.flatMap(Clock.currentTimeMillis, (at) => {
                entry.expiresAt = at + ttl
                return Deferred.succeed(entry.done, answer)
              }),
            release: Effect.suspend(() => {
              if (entries.get(id) === entry) entries.delete(id)
              return Deferred.succeed(entry.done, undefined)
            })
          } as const
        }
      })

    return { claim }
  })

/** A digest of `parts`, each ended by a NUL so that parts cannot run into each other. */
export const digest = (parts: ReadonlyArray<string | Uint8Array>): string => {
  const hash = createHash("sha256")
  for (const part of parts) {
    hash.update(part)
    hash.update("\u0000")
  }
  return hash.digest("base64url")
}
