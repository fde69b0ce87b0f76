/**
 * `Idempotency-Key` records shared by every replica, in Redis: the same rules as `Idempotency.ts`, so a repeat sent
 * through another replica is answered from the record, or waits for the first while it runs.
 *
 * A key's record is first an in-flight marker (set only if absent, with a lease as long as a request may stay
 * upstream), then the first final answer, kept for the TTL. A repeat that finds the marker polls until the answer
 * is there; when the lease ran out without one (the replica sending it was killed), the write may have landed, so
 * the repeat is told the outcome is unknown rather than sent again. Time is Redis's, so replicas' clocks agree.
 */
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { randomUUID } from "node:crypto"
import * as Answer from "../Answer.js"
import * as Idempotency from "../Idempotency.js"
import type { Redis } from "./Redis.js"

// KEYS[1]: the record. ARGV: fingerprint, owner, lease ms, ttl ms. Returns {"first"}, or {"mismatch"}, or
// {"done", answer}, or {"running"}, or {"lost"} (a marker whose lease ran out).
const claimScript = `
local t = redis.call("TIME")
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local v = redis.call("GET", KEYS[1])
if not v then
  redis.call("SET", KEYS[1], cjson.encode({ fp = ARGV[1], owner = ARGV[2], lease = now + tonumber(ARGV[3]) }),
    "PX", ARGV[4])
  return {"first"}
end
local r = cjson.decode(v)
if r.fp ~= ARGV[1] then return {"mismatch"} end
if r.answer then return {"done", r.answer} end
if r.lease < now then return {"lost"} end
return {"running"}
`

// KEYS[1]: the record. ARGV: owner, answer (empty: release the key), ttl ms. Only the owner's marker is replaced.
const settleScript = `
local v = redis.call("GET", KEYS[1])
if not v then return 0 end
local r = cjson.decode(v)
if r.owner ~= ARGV[1] or r.answer then return 0 end
if ARGV[2] == "" then redis.call("DEL", KEYS[1]) return 1 end
redis.call("SET", KEYS[1], cjson.encode({ fp = r.fp, answer = ARGV[2] }), "PX", ARGV[3])
return 1
`

type ClaimScript = (key: string, ...args: Array<string | number>) => Promise<[string, string?]>
type SettleScript = (key: string, ...args: Array<string | number>) => Promise<number>

/** How often a repeat looks whether the first request's answer is there. */
const pollEvery = Duration.millis(50)

const encode = (answer: Idempotency.Stored): string =>
  JSON.stringify({ status: answer.status, headers: answer.headers, body: Buffer.from(answer.body).toString("base64") })

const decode = (text: string): Idempotency.Stored => {
  const parsed = JSON.parse(text) as { status: number; headers: Record<string, string>; body: string }
  return { status: parsed.status, headers: parsed.headers, body: new Uint8Array(Buffer.from(parsed.body, "base64")) }
}

/**
 * The records under `prefix`. `lease` is the longest a request may stay upstream (the gateway's maximum wait, plus a
 * margin): a marker older than that belongs to a replica that is gone.
 */
export const make = (
  redis: Redis,
  prefix: string,
  options: { readonly ttl: Duration.DurationInput; readonly lease: Duration.DurationInput }
): Idempotency.Idempotency => {
  const ttl = Duration.toMillis(options.ttl)
  const lease = Duration.toMillis(options.lease)
  redis.client.defineCommand("gatewayIdempotencyClaim", { numberOfKeys: 1, lua: claimScript })
  redis.client.defineCommand("gatewayIdempotencySettle", { numberOfKeys: 1, lua: settleScript })
  const commands = redis.client as unknown as {
    readonly gatewayIdempotencyClaim: ClaimScript
    readonly gatewayIdempotencySettle: SettleScript
  }

  // Settling never fails the request: its answer goes to the caller whatever happens to the record. A record left as
  // a marker tells repeats, once its lease is over, that the outcome is unknown; never a second send.
  const finish = (id: string, owner: string, answer: string) =>
    redis.run(() => commands.gatewayIdempotencySettle(id, owner, answer, ttl)).pipe(
      Effect.asVoid,
      Effect.catchAllDefect((defect) => Effect.logWarning("idempotency record not updated", String(defect)))
    )

  const claim = (
    caller: string,
    key: string,
    request: ReadonlyArray<string | Uint8Array>
  ): Effect.Effect<Idempotency.Claim> => {
    const id = `${prefix}:idempotency:${Idempotency.digest([caller, key])}`
    const fingerprint = Idempotency.digest(request)
    const owner = randomUUID()
    const loop: Effect.Effect<Idempotency.Claim> = Effect.flatMap(
      redis.run(() => commands.gatewayIdempotencyClaim(id, fingerprint, owner, lease, ttl)),
      ([outcome, answer]): Effect.Effect<Idempotency.Claim> => {
        switch (outcome) {
          case "first":
            return Effect.succeed({
              _tag: "First",
              settle: (stored) => finish(id, owner, encode(stored)),
              release: finish(id, owner, "")
            })
          case "mismatch":
            return Effect.succeed({ _tag: "Mismatch" })
          case "done":
            return Effect.succeed({ _tag: "Replay", answer: decode(answer!) })
          case "lost":
            return Effect.succeed({ _tag: "Replay", answer: Answer.inDoubt })
          default:
            return Effect.zipRight(Effect.sleep(pollEvery), loop)
        }
      }
    )
    return loop
  }

  return { claim }
}
