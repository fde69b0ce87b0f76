/**
 * The gateway's state shared by replicas through Redis (`GATEWAY_REDIS_URL`): the upstream budget and its 429 pause,
 * the `Idempotency-Key` records and the cache's generation. Every replica given the same Redis and the same Dixa
 * token shares them; the fair queue of each replica stays its own and draws from the shared budget.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { createHash } from "node:crypto"
import type { Options } from "../Options.js"
import * as Redis from "./Redis.js"
import * as SharedBudget from "./SharedBudget.js"
import * as SharedCache from "./SharedCache.js"
import * as SharedIdempotency from "./SharedIdempotency.js"

/** What replaces the in-memory pieces of a gateway's options. */
export type SharedOptions = Required<Pick<Options, "limiter" | "idempotency" | "cache" | "unavailable">>

/**
 * Where one Dixa token's state lives: a digest of the token (never the token), so gateways holding different
 * tokens may share one Redis.
 */
const prefixFor = (apiKey: Redacted.Redacted<string>) =>
  `dixa-gateway:${createHash("sha256").update(Redacted.value(apiKey)).digest("hex").slice(0, 16)}`

/** Connects to Redis (failing when it cannot be reached) and builds the shared pieces; closed with the scope. */
export const make = (url: Redacted.Redacted<string>, options: Options) =>
  Effect.gen(function*() {
    const redis = yield* Redis.connect(url)
    const prefix = prefixFor(options.dixaApiKey)
    const maxWait = Duration.decode(options.maxWait ?? "10 seconds")
    const shared: SharedOptions = {
      limiter: yield* SharedBudget.make(redis, `${prefix}:budget`, options.budget ?? SharedBudget.replicaBudget),
      idempotency: SharedIdempotency.make(redis, prefix, {
        ttl: Duration.hours(24),
        // A request stays upstream at most its maximum wait; the margin covers recording its answer.
        lease: Duration.sum(maxWait, Duration.seconds(3))
      }),
      cache: SharedCache.make(redis, `${prefix}:cache-generation`, {
        ttl: Duration.decode(options.cacheTtl ?? "5 seconds"),
        groups: options.cacheGroups ?? ["organization", "agents", "tags"]
      }),
      unavailable: redis.problem
    }
    return shared
  })
