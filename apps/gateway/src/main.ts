#!/usr/bin/env node
/**
 * `dixa-gateway`: reads its configuration from the environment, loads the caller keys and serves until
 * SIGTERM or SIGINT, when it stops accepting, finishes the requests in flight and exits 0.
 */
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Logger from "effect/Logger"
import * as CallerKeys from "./CallerKeys.js"
import * as Gateway from "./Gateway.js"
import * as GatewayConfig from "./GatewayConfig.js"

const fail = (line: string) =>
  Effect.sync(() => {
    process.stderr.write(`dixa-gateway: ${line}\n`)
    process.exit(1)
  })

/** A URL fit to print: user and password, if the URL carries them, masked. */
const withoutUserinfo = (url: string): string => {
  try {
    const parsed = new URL(url)
    if (parsed.username === "" && parsed.password === "") return url
    parsed.username = "***"
    parsed.password = ""
    return parsed.toString()
  } catch {
    return "(not a URL)"
  }
}

const main = Effect.gen(function*() {
  const config = yield* GatewayConfig.config.pipe(Effect.catchAll((e) => fail(GatewayConfig.describeError(e))))
  const keys = yield* CallerKeys.load(config.keysFile).pipe(Effect.catchAll((e) => fail(e.message)))
  const options = Gateway.optionsFromConfig(config, keys)
  yield* Effect.addFinalizer(() => Effect.logInfo("stopped"))
  yield* Layer.build(Gateway.layer(options)).pipe(
    Effect.catchAll((e) => fail(`cannot serve on ${config.host}:${config.port}: ${String(e)}`))
  )
  yield* Effect.logInfo("listening").pipe(
    Effect.annotateLogs({
      url: `http://${config.host}:${config.port}`,
      upstream: withoutUserinfo(config.dixaBaseUrl),
      callers: keys.size
    })
  )
  return yield* Effect.never
})

main.pipe(
  Effect.scoped,
  Effect.provide(NodeContext.layer),
  Effect.provide(Logger.json),
  NodeRuntime.runMain({ disableErrorReporting: true, disablePrettyLogger: true })
)
