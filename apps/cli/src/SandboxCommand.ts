/**
 * `dixa sandbox ...`, and the embedded sandbox behind `--sandbox`. The sandbox package (and the HTTP
 * server under it) is loaded only when one of these runs.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { UsageError } from "./Failure.js"

/**
 * Where `--sandbox` keeps its state: `$DIXA_SANDBOX_STATE`, else `$XDG_STATE_HOME/dixa/sandbox.json`,
 * else `~/.local/state/dixa/sandbox.json`.
 */
export const stateFile = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env["DIXA_SANDBOX_STATE"]) return path.resolve(env["DIXA_SANDBOX_STATE"])
  const base = env["XDG_STATE_HOME"] ? env["XDG_STATE_HOME"] : path.join(os.homedir(), ".local", "state")
  return path.join(base, "dixa", "sandbox.json")
}

/** Loads the sandbox package. */
export const load = () => Effect.promise(() => import("@org/dixa-sandbox"))

/** Starts the embedded sandbox on a random local port, with its state in {@link stateFile}. */
export const startEmbedded = Effect.gen(function*() {
  const file = stateFile()
  yield* Effect.try({
    try: () => fs.mkdirSync(path.dirname(file), { recursive: true }),
    catch: (e) => new UsageError({ message: `cannot create the sandbox state directory: ${(e as Error).message}` })
  })
  const Sandbox = yield* load()
  return yield* Sandbox.start({ port: 0, host: "127.0.0.1", stateFile: file }).pipe(
    Effect.mapError((e) => new UsageError({ message: `the sandbox did not start: ${e.message}` }))
  )
})

const reset = Command.make("reset", {}, () =>
  Effect.gen(function*() {
    const file = stateFile()
    yield* Effect.try({
      try: () => fs.rmSync(file, { force: true }),
      catch: (e) => new UsageError({ message: `cannot remove ${file}: ${(e as Error).message}` })
    })
    yield* Effect.sync(() => process.stderr.write(`sandbox state cleared (${file})\n`))
  })).pipe(Command.withDescription("Forget the state of the --sandbox sandbox"))

const serve = Command.make("serve", {
  port: Options.integer("port").pipe(
    Options.withDescription("Port to listen on (0: any free port)"),
    Options.withDefault(0)
  ),
  host: Options.text("host").pipe(Options.withDescription("Address to listen on"), Options.withDefault("127.0.0.1")),
  agents: Options.integer("agents").pipe(Options.withDescription("How many agents to seed"), Options.optional),
  seed: Options.integer("seed").pipe(Options.withDescription("Seed for the generated data and ids"), Options.optional),
  noRateLimit: Options.boolean("no-rate-limit").pipe(Options.withDescription("Answer without Dixa's rate limit"))
}, (o) =>
  Effect.gen(function*() {
    const Sandbox = yield* load()
    const options = {
      port: o.port,
      host: o.host,
      ...(Option.isSome(o.agents) ? { agents: o.agents.value } : {}),
      ...(Option.isSome(o.seed) ? { seed: o.seed.value } : {}),
      ...(o.noRateLimit ? { rateLimit: false as const } : {})
    }
    return yield* Sandbox.serveMain(options).pipe(
      Effect.mapError((e) => new UsageError({ message: `the sandbox did not start: ${e.message}` }))
    )
  })).pipe(Command.withDescription("Run a sandbox server in the foreground and print its URL"))

/** `dixa sandbox`: `reset` and `serve`. */
export const make = (build: boolean) => {
  const parent = Command.make(
    "sandbox",
    {},
    () => Effect.fail(new UsageError({ message: "missing action: dixa sandbox reset|serve" }))
  ).pipe(
    Command.withDescription("A local fake Dixa API: reset the --sandbox state, or serve one")
  )
  return build ? Command.withSubcommands(parent, [reset, serve]) : parent
}
