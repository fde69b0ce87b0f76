/**
 * What a gateway is made of: the Dixa key and address, the callers' keys, the shared budget, the waits, the cache
 * and the door's limits. `fromConfig` builds them from the environment's configuration and the keys file.
 */
import type { RateLimit, Retry } from "@org/dixa-core"
import type * as Duration from "effect/Duration"
import type * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import type * as CallerKeys from "./CallerKeys.js"
import type * as Door from "./Door.js"
import type { GatewayConfig } from "./GatewayConfig.js"
import type * as Idempotency from "./Idempotency.js"
import type * as ResponseCache from "./ResponseCache.js"

/** Everything the gateway needs besides its listening address. The door's limits default as `Door.defaults`. */
export interface Options extends Door.Limits, Door.ServerLimits {
  readonly dixaApiKey: Redacted.Redacted<string>
  readonly dixaBaseUrl: string
  readonly keys: CallerKeys.CallerKeys
  readonly budget?: RateLimit.Budget
  /** The limiter behind the shared budget; default an in-memory one of `budget`. */
  readonly limiter?: RateLimit.Limiter
  readonly maxQueue?: number
  readonly maxWait?: Duration.DurationInput
  readonly cacheTtl?: Duration.DurationInput
  readonly cacheGroups?: ReadonlyArray<string>
  readonly upstreamTimeout?: Duration.DurationInput
  /** The core's retry policy for upstream calls (idempotent operations only, as the core decides). */
  readonly retry?: Retry.Policy
  /**
   * Redis shared by the replicas of this gateway (`GATEWAY_REDIS_URL`): the edge (`NodeGateway.layer`) then puts
   * the shared budget, idempotency records and cache in place of the in-memory ones below.
   */
  readonly redisUrl?: Redacted.Redacted<string>
  /** The `Idempotency-Key` records; default in memory. */
  readonly idempotency?: Idempotency.Idempotency
  /** The response cache; default in memory, of `cacheTtl` and `cacheGroups`. */
  readonly cache?: ResponseCache.ResponseCache
  /** Why the shared state cannot be used now, if it cannot (`/readyz` says it); default never. */
  readonly unavailable?: Effect.Effect<Option.Option<string>>
}

/** Where a gateway listens. */
export interface Address {
  readonly host: string
  readonly port: number
}

/** Options from the environment's configuration and the keys file. */
export const fromConfig = (config: GatewayConfig, keys: CallerKeys.CallerKeys): Options & Address => ({
  dixaApiKey: config.dixaApiKey,
  dixaBaseUrl: config.dixaBaseUrl,
  keys,
  budget: config.budget,
  maxQueue: config.maxQueue,
  maxWait: config.maxWait,
  cacheTtl: config.cacheTtl,
  cacheGroups: config.cacheGroups,
  upstreamTimeout: config.upstreamTimeout,
  maxBody: config.maxBody,
  maxMultipartBody: config.maxMultipartBody,
  headersTimeout: config.headersTimeout,
  requestTimeout: config.requestTimeout,
  keepAliveTimeout: config.keepAliveTimeout,
  maxConnections: config.maxConnections,
  ...Option.match(config.redisUrl, { onNone: () => ({}), onSome: (redisUrl) => ({ redisUrl }) }),
  host: config.host,
  port: config.port
})
