/**
 * Fault injection: a share of 5xx answers, 429 storms, added latency and dropped connections. The
 * draws come from the sandbox's own generator, so a run of sequential requests is reproducible.
 */
import * as Duration from "effect/Duration"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** The faults as the server applies them. */
export interface Settings {
  readonly errorRate: number
  readonly rateLimitStorm: boolean
  readonly latencyMillis: number
  readonly dropRate: number
}

export const none: Settings = { errorRate: 0, rateLimitStorm: false, latencyMillis: 0, dropRate: 0 }

/** The public form of the faults (latency as any duration input). */
export interface Input {
  readonly errorRate?: number
  readonly rateLimitStorm?: boolean
  readonly latency?: Duration.DurationInput
  readonly dropRate?: number
}

const rate = (name: string, value: number | undefined): number => {
  if (value === undefined) return 0
  if (!(value >= 0 && value <= 1)) throw new RangeError(`${name} must be between 0 and 1, got ${value}`)
  return value
}

/** Normalises the public form; throws a `RangeError` on out-of-range values. */
export const fromInput = (input: Input | undefined): Settings => {
  if (input === undefined) return none
  const latency = input.latency === undefined ? 0 : Duration.toMillis(Duration.decode(input.latency))
  if (!(latency >= 0) || !Number.isFinite(latency)) throw new RangeError(`latency must be a finite duration`)
  return {
    errorRate: rate("errorRate", input.errorRate),
    rateLimitStorm: input.rateLimitStorm ?? false,
    latencyMillis: latency,
    dropRate: rate("dropRate", input.dropRate)
  }
}

const Rate = Schema.Number.pipe(Schema.between(0, 1))

/** A duration in JSON: milliseconds, or a string such as `"250 millis"` or `"1 second"`. */
const Latency = Schema.transformOrFail(Schema.Union(Schema.NonNegative, Schema.String), Schema.NonNegative, {
  strict: true,
  decode: (input, _, ast) =>
    typeof input === "number" ? ParseResult.succeed(input) : Option.match(Duration.decodeUnknown(input), {
      onNone: () =>
        ParseResult.fail(new ParseResult.Type(ast, input, `expected a duration, got ${JSON.stringify(input)}`)),
      onSome: (d) => ParseResult.succeed(Duration.toMillis(d))
    }),
  encode: ParseResult.succeed
})

/** The body of `POST /_sandbox/faults` and the answer of `GET /_sandbox/faults`. */
export const Json = Schema.Struct({
  errorRate: Schema.optionalWith(Rate, { default: () => 0 }),
  rateLimitStorm: Schema.optionalWith(Schema.Boolean, { default: () => false }),
  latency: Schema.optionalWith(Latency, { default: () => 0 }),
  dropRate: Schema.optionalWith(Rate, { default: () => 0 })
})

export const toJson = (settings: Settings) => ({
  errorRate: settings.errorRate,
  rateLimitStorm: settings.rateLimitStorm,
  latency: settings.latencyMillis,
  dropRate: settings.dropRate
})
