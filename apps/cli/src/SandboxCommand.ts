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
 * Where `--sandbox` keeps its state (a SQLite file): `$DIXA_SANDBOX_STATE`, else
 * `$XDG_STATE_HOME/dixa/sandbox.db`, else `~/.local/state/dixa/sandbox.db`.
 */
export const stateFile = (env: NodeJS.ProcessEnv = process.env): string => {
  if (env["DIXA_SANDBOX_STATE"]) return path.resolve(env["DIXA_SANDBOX_STATE"])
  return path.join(stateDirectory(env), "sandbox.db")
}

const stateDirectory = (env: NodeJS.ProcessEnv): string =>
  path.join(env["XDG_STATE_HOME"] ? env["XDG_STATE_HOME"] : path.join(os.homedir(), ".local", "state"), "dixa")

/**
 * Before the state was SQLite it was `sandbox.json` in the same directory. When only that file is there, it is
 * moved to the new name; the sandbox then finds JSON where it expects its store and imports it (keeping the
 * JSON as `sandbox.old.json`). Of several processes doing this at once, one rename wins; the rest find it done.
 */
const moveOlderStateFile = (file: string, env: NodeJS.ProcessEnv = process.env): void => {
  const older = path.join(stateDirectory(env), "sandbox.json")
  if (env["DIXA_SANDBOX_STATE"] || fs.existsSync(file) || !fs.existsSync(older)) return
  try {
    fs.renameSync(older, file)
  } catch {
    // Moved by another process meanwhile.
  }
}

/**
 * What `reset` removes: an older JSON state, then the SQLite file's write-ahead log and the log's index, then the
 * file itself (a log left without its file could be replayed into a new one).
 */
const storeFiles = (file: string, env: NodeJS.ProcessEnv = process.env) => [
  ...(env["DIXA_SANDBOX_STATE"] ? [] : [path.join(stateDirectory(env), "sandbox.json")]),
  `${file}-wal`,
  `${file}-shm`,
  file
]

/**
 * Runs with `Console.error` writing to stderr: the CLI silences it (for @effect/cli's own messages), but the
 * sandbox's notices (such as the import of an older state file) are for the user.
 */
const withNotices = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.flatMap(Effect.console, (console) =>
    Effect.withConsole(effect, {
      ...console,
      error: (...args) => Effect.sync(() => void process.stderr.write(`${args.join(" ")}\n`))
    }))

/** Loads the sandbox package. */
export const load = () => Effect.promise(() => import("@org/dixa-sandbox"))

/** Starts the embedded sandbox on a random local port, with its state in {@link stateFile}. */
export const startEmbedded = Effect.gen(function*() {
  const file = stateFile()
  yield* Effect.try({
    try: () => {
      fs.mkdirSync(path.dirname(file), { recursive: true })
      moveOlderStateFile(file)
    },
    catch: (e) => new UsageError({ message: `cannot create the sandbox state directory: ${(e as Error).message}` })
  })
  const Sandbox = yield* load()
  return yield* withNotices(Sandbox.start({ port: 0, host: "127.0.0.1", stateFile: file })).pipe(
    Effect.mapError((e) => new UsageError({ message: `the sandbox did not start: ${e.message}` }))
  )
})

const reset = Command.make("reset", {}, () =>
  Effect.gen(function*() {
    const file = stateFile()
    yield* Effect.try({
      try: () => storeFiles(file).forEach((f) => fs.rmSync(f, { force: true })),
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
  noRateLimit: Options.boolean("no-rate-limit").pipe(Options.withDescription("Answer without Dixa's rate limit")),
  state: Options.file("state").pipe(
    Options.withDescription("Keep the state in this SQLite file (created if missing; shareable by several servers)"),
    Options.optional
  )
}, (o) =>
  Effect.gen(function*() {
    const Sandbox = yield* load()
    const options = {
      port: o.port,
      host: o.host,
      ...(Option.isSome(o.agents) ? { agents: o.agents.value } : {}),
      ...(Option.isSome(o.seed) ? { seed: o.seed.value } : {}),
      ...(o.noRateLimit ? { rateLimit: false as const } : {}),
      ...(Option.isSome(o.state) ? { stateFile: path.resolve(o.state.value) } : {})
    }
    return yield* withNotices(Sandbox.serveMain(options)).pipe(
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
