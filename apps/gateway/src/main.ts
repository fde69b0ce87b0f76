#!/usr/bin/env node
/**
 * `dixa-gateway`: reads its configuration from the environment, loads the caller keys and serves until
 * SIGTERM or SIGINT, when it stops accepting, finishes the requests in flight and exits 0.
 *
 * When `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set, its spans (the HTTP server's and
 * the Dixa client's) are exported over OTLP/HTTP, and flushed on exit; the exporter reads the other `OTEL_*`
 * variables itself. Otherwise no span is made.
 */
import * as NodeSdk from "@effect/opentelemetry/NodeSdk"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http"
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as Redacted from "effect/Redacted"
import * as CallerKeys from "./CallerKeys.js"
import * as GatewayConfig from "./GatewayConfig.js"
import * as NodeGateway from "./NodeGateway.js"
import * as Options from "./Options.js"
import { withoutUserinfo } from "./Printable.js"
import * as Redis from "./shared/Redis.js"

const fail = (line: string) =>
  Effect.sync(() => {
    process.stderr.write(`dixa-gateway: ${line}\n`)
    process.exit(1)
  })

/** No spans at all: neither the client's and the gateway's, nor the HTTP server's own for each request. */
const untraced = Layer.mergeAll(
  Layer.setTracerEnabled(false),
  Layer.locallyScoped(HttpMiddleware.currentTracerDisabledWhen, () => true)
)

/** OTLP trace export when an endpoint is configured; nothing otherwise. Traces only: metrics stay on `/metrics`. */
const tracing = Layer.unwrapEffect(
  Config.all([
    Config.option(Config.nonEmptyString("OTEL_EXPORTER_OTLP_ENDPOINT")),
    Config.option(Config.nonEmptyString("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
  ]).pipe(
    Effect.map(([endpoint, tracesEndpoint]) =>
      endpoint._tag === "None" && tracesEndpoint._tag === "None"
        // With nowhere to send them, spans are not made at all: they would cost every request for nothing.
        ? untraced
        : NodeSdk.layer(() => ({
          resource: { serviceName: "dixa-gateway" },
          spanProcessor: new BatchSpanProcessor(new OTLPTraceExporter())
        }))
    ),
    Effect.orElseSucceed(() => untraced)
  )
)

const serve = (config: GatewayConfig.GatewayConfig) =>
  Effect.gen(function*() {
    const keys = yield* CallerKeys.load(config.keysFile).pipe(Effect.catchAll((e) => fail(e.message)))
    const options = Options.fromConfig(config, keys)
    yield* Effect.addFinalizer(() => Effect.logInfo("stopped"))
    yield* Layer.build(NodeGateway.layer(options)).pipe(
      Effect.catchAll((e) =>
        fail(
          e instanceof Redis.Unreachable
            ? e.message
            : `cannot serve on ${config.host}:${config.port}: ${String(e)}`
        )
      )
    )
    yield* Effect.logInfo("listening").pipe(
      Effect.annotateLogs({
        url: `http://${config.host}:${config.port}`,
        upstream: withoutUserinfo(config.dixaBaseUrl),
        ...(config.redisUrl._tag === "Some" ? { redis: withoutUserinfo(Redacted.value(config.redisUrl.value)) } : {}),
        callers: keys.size
      })
    )
    return yield* Effect.never
  })

const main = Effect.gen(function*() {
  const config = yield* GatewayConfig.config.pipe(Effect.catchAll((e) => fail(GatewayConfig.describeError(e))))
  return yield* serve(config).pipe(Effect.provide(Logger.minimumLogLevel(config.logLevel)))
})

main.pipe(
  Effect.scoped,
  // Outside the scope: the tracer provider flushes and shuts down after the server has stopped.
  Effect.provide(tracing),
  Effect.provide(NodeContext.layer),
  Effect.provide(Logger.json),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true })
)
