/**
 * The gateway's settings, read from the environment through Effect `Config`. A bad value stops start-up
 * with one line naming the variable.
 */
import { DixaClient, RateLimit } from "@org/dixa-core"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Duration from "effect/Duration"
import * as LogLevel from "effect/LogLevel"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Door from "./Door.js"
import * as SharedBudget from "./shared/SharedBudget.js"

export interface GatewayConfig {
  /** The Dixa token; it never leaves the gateway. */
  readonly dixaApiKey: Redacted.Redacted<string>
  readonly dixaBaseUrl: string
  readonly host: string
  readonly port: number
  /** The JSON file of caller keys. */
  readonly keysFile: string
  /** The upstream budget the gateway spends for every caller. */
  readonly budget: RateLimit.Budget
  /** How many requests may wait for the budget at once, over all callers. */
  readonly maxQueue: number
  /** How long a request may wait for the budget when its caller gives no deadline. */
  readonly maxWait: Duration.Duration
  /** How long a cached GET stays fresh; zero turns caching off. */
  readonly cacheTtl: Duration.Duration
  /** The groups whose GETs are cached (slowly changing resources). */
  readonly cacheGroups: ReadonlyArray<string>
  /** How long one upstream attempt may take. */
  readonly upstreamTimeout: Duration.Duration
  /** The largest request body of a JSON operation, in bytes. */
  readonly maxBody: number
  /** The largest request body of a multipart operation (file uploads), in bytes. */
  readonly maxMultipartBody: number
  /** How long a caller may take to send a request's headers, or stay silent on a new connection. */
  readonly headersTimeout: Duration.Duration
  /** How long a caller may take to send a whole request, body included. */
  readonly requestTimeout: Duration.Duration
  /** How long an idle keep-alive connection is kept between requests. */
  readonly keepAliveTimeout: Duration.Duration
  /** The most connections open at once; past it the oldest idle one is closed, or the new one when none is idle. */
  readonly maxConnections: number
  /** The least severe log level printed. */
  readonly logLevel: LogLevel.LogLevel
  /** Redis shared by replicas (`redis://` or `rediss://`, maybe with a password); none for one instance. */
  readonly redisUrl: Option.Option<Redacted.Redacted<string>>
}

const positiveInt = (name: string, fallback: number) =>
  Config.integer(name).pipe(
    Config.validate({ message: "must be a positive integer", validation: (n) => n > 0 }),
    Config.withDefault(fallback)
  )

const duration = (name: string, fallback: Duration.DurationInput) =>
  Config.duration(name).pipe(Config.withDefault(Duration.decode(fallback)))

const positiveDuration = (name: string, fallback: Duration.DurationInput) =>
  Config.duration(name).pipe(
    Config.validate({ message: "must be a positive duration", validation: (d) => Duration.toMillis(d) > 0 }),
    Config.withDefault(Duration.decode(fallback))
  )

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const sizeUnits: Record<string, number> = {
  "": 1,
  b: 1,
  k: KiB,
  kb: KiB,
  kib: KiB,
  m: MiB,
  mb: MiB,
  mib: MiB,
  g: GiB,
  gb: GiB,
  gib: GiB
}

/** `1048576`, `512kb`, `1mb`, `1 MiB`: bytes, with 1024-based units. */
export const parseSize = (text: string): number | undefined => {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  const unit = match === null ? undefined : sizeUnits[match[2]!.toLowerCase()]
  if (match === null || unit === undefined) return undefined
  const bytes = Math.floor(Number(match[1]) * unit)
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined
}

const size = (name: string, fallback: number) =>
  Config.string(name).pipe(
    Config.validate({
      message: "must be a size in bytes, like 1048576, 512kb or 1mb",
      validation: (s) => parseSize(s) !== undefined
    }),
    Config.map((s) => parseSize(s)!),
    Config.withDefault(fallback)
  )

const url = (name: string, fallback: string) =>
  Config.string(name).pipe(
    Config.withDefault(fallback),
    Config.validate({
      message: "must be an http(s) URL",
      validation: (s) => {
        try {
          return ["http:", "https:"].includes(new URL(s).protocol)
        } catch {
          return false
        }
      }
    })
  )

/** A `redis://` or `rediss://` URL, kept redacted: it may carry a password. */
const redisUrl = (name: string) =>
  Config.option(
    Config.string(name).pipe(
      Config.validate({
        message: "must be a redis:// or rediss:// URL",
        validation: (s) => {
          try {
            return ["redis:", "rediss:"].includes(new URL(s).protocol)
          } catch {
            return false
          }
        }
      }),
      Config.map(Redacted.make)
    )
  )

/** `all`, `trace`, `debug`, `info`, `warning`, `error`, `fatal` or `none`, in any case; `undefined` otherwise. */
export const parseLogLevel = (text: string): LogLevel.LogLevel | undefined => {
  const name = text.trim().toLowerCase()
  return LogLevel.allLevels.find((level) => level._tag.toLowerCase() === name)
}

const logLevel = (name: string, fallback: LogLevel.LogLevel) =>
  Config.string(name).pipe(
    Config.validate({
      message: "must be one of all, trace, debug, info, warning, error, fatal, none",
      validation: (s) => parseLogLevel(s) !== undefined
    }),
    Config.map((s) => parseLogLevel(s)!),
    Config.withDefault(fallback)
  )

/**
 * `DIXA_API_KEY`, `DIXA_BASE_URL`, `GATEWAY_HOST`, `GATEWAY_PORT`, `GATEWAY_KEYS_FILE`, `GATEWAY_REDIS_URL` and the
 * tuning knobs.
 */
export const config: Config.Config<GatewayConfig> = Config.all({
  dixaApiKey: Config.redacted("DIXA_API_KEY"),
  dixaBaseUrl: url("DIXA_BASE_URL", DixaClient.defaultBaseUrl),
  host: Config.string("GATEWAY_HOST").pipe(Config.withDefault("127.0.0.1")),
  port: Config.port("GATEWAY_PORT").pipe(Config.withDefault(8080)),
  keysFile: Config.string("GATEWAY_KEYS_FILE"),
  budget: Config.all({
    requestsPerSecond: positiveInt("GATEWAY_RATE_PER_SECOND", RateLimit.clientBudget.requestsPerSecond),
    burst: Config.option(
      Config.integer("GATEWAY_RATE_BURST").pipe(
        Config.validate({ message: "must be a positive integer", validation: (n) => n > 0 })
      )
    )
  }),
  maxQueue: positiveInt("GATEWAY_MAX_QUEUE", 256),
  maxWait: duration("GATEWAY_MAX_WAIT", "10 seconds"),
  cacheTtl: duration("GATEWAY_CACHE_TTL", "5 seconds"),
  cacheGroups: Config.array(Config.string(), "GATEWAY_CACHE_GROUPS").pipe(
    Config.withDefault(["organization", "agents", "tags"])
  ),
  upstreamTimeout: duration("GATEWAY_UPSTREAM_TIMEOUT", "30 seconds"),
  maxBody: size("GATEWAY_MAX_BODY", Door.defaults.maxBody),
  maxMultipartBody: size("GATEWAY_MAX_MULTIPART_BODY", Door.defaults.maxMultipartBody),
  headersTimeout: positiveDuration("GATEWAY_HEADERS_TIMEOUT", Door.defaults.headersTimeout),
  requestTimeout: positiveDuration("GATEWAY_REQUEST_TIMEOUT", Door.defaults.requestTimeout),
  keepAliveTimeout: positiveDuration("GATEWAY_KEEP_ALIVE_TIMEOUT", Door.defaults.keepAliveTimeout),
  maxConnections: positiveInt("GATEWAY_MAX_CONNECTIONS", Door.defaults.maxConnections),
  logLevel: logLevel("GATEWAY_LOG_LEVEL", LogLevel.Info),
  redisUrl: redisUrl("GATEWAY_REDIS_URL")
}).pipe(
  // Replicas hold back one more token of Dixa's burst by default: their requests reach Dixa from several processes,
  // with more jitter between them than one process's.
  Config.map(({ budget, ...rest }) => ({
    ...rest,
    budget: {
      requestsPerSecond: budget.requestsPerSecond,
      burst: Option.getOrElse(
        budget.burst,
        () => Option.isSome(rest.redisUrl) ? SharedBudget.replicaBudget.burst : RateLimit.clientBudget.burst
      )
    }
  })),
  Config.validate({
    message: "GATEWAY_HEADERS_TIMEOUT must not be longer than GATEWAY_REQUEST_TIMEOUT",
    validation: (c) => Duration.lessThanOrEqualTo(c.headersTimeout, c.requestTimeout)
  })
)

/** One line for a configuration error, naming the variable and what is wrong, never a value. */
export const describeError = (error: ConfigError.ConfigError): string => {
  const lines: Array<string> = []
  const walk = (e: ConfigError.ConfigError): void => {
    switch (e._op) {
      case "And":
      case "Or":
        walk(e.left)
        walk(e.right)
        return
      case "MissingData":
        lines.push(`${e.path.join(".")} is not set`)
        return
      case "InvalidData":
        lines.push(`${e.path.join(".")} ${e.message.replace(/^Expected /, "must be ")}`.trim())
        return
      case "SourceUnavailable":
      case "Unsupported":
        lines.push(`${e.path.join(".")}: ${e.message}`)
        return
    }
  }
  walk(error)
  return `invalid configuration: ${[...new Set(lines)].join("; ")}`
}
