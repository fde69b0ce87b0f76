/**
 * The upstream budget shared by every replica: one generic cell rate algorithm (a token bucket) per Dixa token, kept
 * in Redis and taken atomically by a Lua script on Redis's clock, so replicas with different clocks agree. A 429's
 * pause lives in the same record: one replica's 429 holds every replica back for its `Retry-After`.
 *
 * It is the core's `RateLimit.Limiter`, so the fair queue of each replica draws from it as from the in-memory one.
 * When Redis cannot be reached nothing is taken: every operation dies with `Unavailable` (fail closed).
 */
import { RateLimit } from "@org/dixa-core"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type { Redis } from "./Redis.js"

// KEYS[1]: the budget's hash {tat, paused, last}. ARGV: interval ms, tolerance ms, max wait ms (-1: none; a slot
// further away is not taken), waited (1: not sooner than one interval after the last slot), reserve (1: a future
// slot within the max wait is reserved; 0: only a slot free now is taken). Returns {taken, wait ms}.
const takeScript = `
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call("HMGET", KEYS[1], "tat", "paused", "last")
local tat = tonumber(s[1]) or 0
local paused = tonumber(s[2]) or 0
local last = tonumber(s[3]) or 0
local at = math.max(now, paused, tat - tolerance)
if ARGV[4] == "1" then at = math.max(at, last + interval) end
local wait = at - now
if wait > 0 and (ARGV[5] ~= "1" or (maxWait >= 0 and wait > maxWait)) then
  return {0, tostring(wait)}
end
tat = math.max(tat, at) + interval
redis.call("HSET", KEYS[1], "tat", tostring(tat), "last", tostring(at))
redis.call("PEXPIRE", KEYS[1], math.ceil(math.max(tat, paused) - now) + 60000)
return {1, tostring(wait)}
`

// KEYS[1]: the budget's hash. ARGV[1]: the pause in ms. Nobody gets a slot before now + pause.
const pauseScript = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local s = redis.call("HMGET", KEYS[1], "tat", "paused")
local paused = math.max(tonumber(s[2]) or 0, now + tonumber(ARGV[1]))
redis.call("HSET", KEYS[1], "paused", tostring(paused))
redis.call("PEXPIRE", KEYS[1], math.ceil(math.max(tonumber(s[1]) or 0, paused) - now) + 60000)
return 1
`

/**
 * What replicas spend by default: Dixa's rate, with two tokens of its burst held back (one more than a single
 * gateway holds back). Requests of several processes reach Dixa with more jitter between them than one process's;
 * the sustained rate is the same.
 */
export const replicaBudget: RateLimit.Budget = {
  requestsPerSecond: RateLimit.dixaBudget.requestsPerSecond,
  burst: RateLimit.dixaBudget.burst - 2
}

type Script = (key: string, ...args: Array<string | number>) => Promise<[number, string]>

/** The shared budget under `key`, at `budget`'s rate and burst. */
export const make = (redis: Redis, key: string, budget: RateLimit.Budget) =>
  Effect.gen(function*() {
    if (!(budget.requestsPerSecond > 0) || !(budget.burst >= 1)) {
      return yield* Effect.dieMessage(`invalid rate limit budget: ${JSON.stringify(budget)}`)
    }
    const interval = 1000 / budget.requestsPerSecond
    const tolerance = (Math.floor(budget.burst) - 1) * interval
    redis.client.defineCommand("gatewayBudgetTake", { numberOfKeys: 1, lua: takeScript })
    redis.client.defineCommand("gatewayBudgetPause", { numberOfKeys: 1, lua: pauseScript })
    const commands = redis.client as unknown as Record<"gatewayBudgetTake" | "gatewayBudgetPause", Script>

    /** One attempt: whether a slot was taken, and the wait (until it, or until one is free). */
    const attempt = (maxWait: number, waited: boolean, reserve: boolean) =>
      Effect.map(
        redis.run(() => commands.gatewayBudgetTake(key, interval, tolerance, maxWait, waited ? 1 : 0, reserve ? 1 : 0)),
        ([taken, wait]) => ({ taken: taken === 1, wait: Math.max(0, Number(wait)) })
      )

    const reserve = (maxWait?: Duration.DurationInput) =>
      Effect.map(
        attempt(maxWait === undefined ? -1 : Duration.toMillis(maxWait), false, true),
        ({ taken, wait }) => taken ? Option.some(Duration.millis(wait)) : Option.none()
      )

    // As the in-memory limiter: waiters of this replica line up behind one turnstile, the head sleeps until a slot
    // is free and takes it then (nothing is reserved while sleeping, so a pause set meanwhile is seen on waking).
    const turnstile = yield* Effect.makeSemaphore(1)
    const waitForToken = (waited: boolean): Effect.Effect<void> =>
      Effect.flatMap(attempt(-1, waited, false), ({ taken, wait }) =>
        taken
          ? Effect.void
          : Effect.zipRight(Effect.sleep(Duration.millis(Math.max(1, Math.ceil(wait)))), waitForToken(true)))
    const take = turnstile.withPermits(1)(waitForToken(false))
    const tryTake = Effect.map(
      turnstile.withPermitsIfAvailable(1)(attempt(0, false, false)),
      (result) => Option.isSome(result) && result.value.taken
    )

    const pause = (duration: Duration.DurationInput) =>
      Effect.asVoid(redis.run(() => commands.gatewayBudgetPause(key, Duration.toMillis(duration))))

    return { reserve, take, tryTake, pause } satisfies RateLimit.Limiter
  })
