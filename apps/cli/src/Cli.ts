/**
 * The `dixa` command tree, derived from `Api.groups`: a command per group, a subcommand per action.
 * Only the groups named on the command line get their actions built; the others are listed by name
 * and summary, which is all `dixa --help` shows of them.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as Action from "./Action.js"
import type * as Catalog from "./Catalog.js"
import { kebab } from "./Catalog.js"
import type * as Derive from "./Derive.js"
import { UsageError } from "./Failure.js"
import * as Output from "./Output.js"
import * as SandboxCommand from "./SandboxCommand.js"

/** The options every command accepts, given before the group. */
const globalOptions = {
  apiKey: Options.redacted("api-key").pipe(
    Options.withDescription("Dixa API token (default: $DIXA_API_KEY)"),
    Options.withFallbackConfig(Config.redacted("DIXA_API_KEY")),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("API base URL (default: $DIXA_BASE_URL or https://dev.dixa.io)"),
    Options.withFallbackConfig(Config.string("DIXA_BASE_URL")),
    Options.withDefault("https://dev.dixa.io")
  ),
  output: Options.choice("output", Output.formats).pipe(
    Options.withDescription("Output format (default: table on a terminal, json otherwise)"),
    Options.optional
  ),
  yes: Options.boolean("yes").pipe(Options.withDescription("Do not ask before a write; needed to delete or anonymize")),
  dryRun: Options.boolean("dry-run").pipe(
    Options.withDescription("Print the request (key masked) instead of sending it")
  ),
  timeout: Options.text("timeout").pipe(
    Options.withDescription("Give up after this long, all calls together: 10s, 2m, 500ms or plain seconds"),
    Options.optional
  ),
  sandbox: Options.boolean("sandbox").pipe(
    Options.withDescription("Run against an embedded sandbox whose state persists between runs")
  )
}

/** The root command; its parsed options are what every action reads. */
export const root = Command.make(
  "dixa",
  globalOptions,
  () => Effect.fail(new UsageError({ message: "missing command: dixa <group> <action> (see dixa --help)" }))
)

type GlobalConfig = Command.Command.ParseConfig<typeof globalOptions>

/** Where to send requests and with which key, as checked by {@link connection}. */
export interface Connection {
  readonly sandbox: boolean
  readonly baseUrl: string
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
}

/** Opens a client for a checked connection: the sandbox's, or Dixa's with the API key. */
export type Connect = (connection: Connection) => Effect.Effect<DixaClient.Service, UsageError, Scope.Scope>

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== ""
  } catch {
    return false
  }
}

/**
 * Checks the key and the base URL before anything is sent: an empty key or a malformed URL is a usage
 * error, as is a missing key when one is needed (not for the sandbox, nor for `--dry-run`).
 */
export const connection = (globals: GlobalConfig, needKey: boolean): Effect.Effect<Connection, UsageError> => {
  const apiKey = Option.filter(globals.apiKey, (key) => Redacted.value(key).trim() !== "")
  const fail = (message: string) => Effect.fail(new UsageError({ message }))
  if (!globals.sandbox && Option.isSome(globals.apiKey) && Option.isNone(apiKey)) {
    return fail("the API key is empty: pass --api-key with a value or set DIXA_API_KEY (or use --sandbox)")
  }
  if (!globals.sandbox && needKey && Option.isNone(apiKey)) {
    return fail("no API key: pass --api-key or set DIXA_API_KEY (or use --sandbox)")
  }
  if (!globals.sandbox && !isHttpUrl(globals.baseUrl)) {
    return fail(`the base URL '${globals.baseUrl}' (--base-url or DIXA_BASE_URL) is not an http:// or https:// URL`)
  }
  return Effect.succeed({ sandbox: globals.sandbox, baseUrl: globals.baseUrl, apiKey })
}

const describeFlag = (flag: Derive.Flag, where: string): string => {
  const kind = flag.kind._tag === "choice"
    ? flag.kind.values.join("|")
    : flag.kind._tag === "other"
    ? "text"
    : flag.kind._tag === "list"
    ? "repeatable"
    : flag.kind._tag === "file"
    ? flag.kind.many ? "path of a file to send, repeatable" : "path of a file to send"
    : flag.kind._tag
  return `${where} ${flag.field} (${kind}${flag.required ? ", required" : ""})`
}

const queryOption = (flag: Derive.Flag): Options.Options<Option.Option<string | ReadonlyArray<string>>> => {
  const described = <A>(o: Options.Options<A>) => Options.withDescription(o, describeFlag(flag, "query"))
  switch (flag.kind._tag) {
    case "boolean":
      return Options.map(
        described(Options.boolean(flag.flag)),
        (b): Option.Option<string> => b ? Option.some("true") : Option.none()
      )
    case "choice":
      return Options.optional(described(Options.choice(flag.flag, flag.kind.values as [string, ...Array<string>])))
    case "list":
      return Options.map(
        described(Options.repeated(Options.text(flag.flag))),
        (values): Option.Option<ReadonlyArray<string>> => values.length === 0 ? Option.none() : Option.some(values)
      )
    default:
      return Options.optional(described(Options.text(flag.flag)))
  }
}

const numeric = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/

const bodyOption = (flag: Derive.Flag): Options.Options<Option.Option<unknown>> => {
  const description = describeFlag(flag, "body field")
  switch (flag.kind._tag) {
    case "boolean":
      return Options.map(
        Options.all([
          Options.withDescription(Options.boolean(flag.flag), `${description}; --no-${flag.flag} for false`),
          Options.boolean(`no-${flag.flag}`)
        ]),
        ([yes, no]) => yes ? Option.some(true) : no ? Option.some(false) : Option.none()
      )
    case "choice":
      return Options.optional(
        Options.withDescription(Options.choice(flag.flag, flag.kind.values as [string, ...Array<string>]), description)
      )
    case "number":
      return Options.map(
        Options.optional(Options.withDescription(Options.text(flag.flag), description)),
        Option.map((text): unknown => numeric.test(text) ? Number(text) : text)
      )
    default:
      return Options.optional(Options.withDescription(Options.text(flag.flag), description))
  }
}

/** A flag naming files to send: their paths, as given. */
const fileOption = (flag: Derive.Flag): Options.Options<Option.Option<ReadonlyArray<string>>> => {
  const option = Options.withDescription(
    Options.withPseudoName(Options.text(flag.flag), "file"),
    describeFlag(flag, "body field")
  )
  return flag.kind._tag === "file" && flag.kind.many
    ? Options.map(Options.repeated(option), (paths) => paths.length === 0 ? Option.none() : Option.some(paths))
    : Options.map(Options.optional(option), Option.map((path): ReadonlyArray<string> => [path]))
}

const isFile = (flag: Derive.Flag): boolean => flag.kind._tag === "file"

const someValues = <A>(entries: ReadonlyArray<readonly [string, Option.Option<A>]>): Record<string, A> => {
  const out: Record<string, A> = {}
  for (const [key, value] of entries) if (Option.isSome(value)) out[key] = value.value
  return out
}

/** `Options.all` over a record that may be empty. */
const record = <A>(
  entries: ReadonlyArray<readonly [string, Options.Options<A>]>
): Options.Options<Record<string, A>> =>
  entries.length === 0
    ? Options.map(Options.none, () => ({}))
    : Options.all(Object.fromEntries(entries)) as unknown as Options.Options<Record<string, A>>

const actionCommand = (group: string, action: Catalog.ActionInfo, catalog: Catalog.Catalog, connect: Connect) => {
  const shape = action.shape
  const args = shape.args.map((name) => Args.withDescription(Args.text({ name }), "path parameter"))
  const config = {
    args: args.length === 0 ? Args.map(Args.none, (): ReadonlyArray<string> => []) : Args.all(args),
    query: record(shape.query.map((f) => [f.field, queryOption(f)] as const)),
    body: record(shape.body.filter((f) => !isFile(f)).map((f) => [f.field, bodyOption(f)] as const)),
    files: record(shape.body.filter(isFile).map((f) => [f.field, fileOption(f)] as const)),
    input: shape.hasBody
      ? Options.optional(Options.withDescription(Options.text("input"), "JSON body from a file, or - for stdin"))
      : Options.map(Options.none, () => Option.none<string>()),
    limit: shape.paginated
      ? Options.optional(Options.withDescription(Options.integer("limit"), "Stop after N items, across pages"))
      : Options.map(Options.none, () => Option.none<number>()),
    all: shape.paginated
      ? Options.withDescription(Options.boolean("all"), "Every page, printed as it arrives")
      : Options.map(Options.none, () => false),
    yes: shape.risk !== "read"
      ? Options.withDescription(Options.boolean("yes"), "Do not ask for confirmation")
      : Options.map(Options.none, () => false)
  }
  const deprecated = action.deprecated ? " (deprecated)" : ""
  return Command.make(kebab(action.name), config, (parsed) =>
    Effect.gen(function*() {
      const globals = yield* root
      const target = yield* connection(globals, !globals.dryRun)
      // What running an action needs (schemas, the wire codec) is loaded only now.
      const [Action, endpoint] = yield* Effect.promise(() =>
        Promise.all([import("./Action.js"), catalog.load(group, action.name)])
      )
      const given: Action.Given = {
        args: parsed.args as ReadonlyArray<string>,
        query: someValues(
          Object.entries(parsed.query as Record<string, Option.Option<string | ReadonlyArray<string>>>)
        ),
        body: someValues(Object.entries(parsed.body as Record<string, Option.Option<unknown>>)),
        files: someValues(Object.entries(parsed.files as Record<string, Option.Option<ReadonlyArray<string>>>)),
        input: parsed.input,
        limit: parsed.limit,
        all: parsed.all
      }
      yield* Action.checkLimit(given.limit)
      const timeout = yield* timeoutOf(globals)
      const settings = { ...globalsOf(globals, given), yes: globals.yes || parsed.yes, timeout }
      const input = yield* Action.decodeInput(endpoint, shape, given)
      if (globals.dryRun) return yield* Action.dryRun(endpoint, input, target)
      yield* Action.confirm(endpoint, shape.risk, input, settings)
      const client = yield* connect(target)
      yield* Action.run(client, endpoint, input, given, settings)
    }).pipe(Effect.scoped)).pipe(Command.withDescription(action.summary + deprecated))
}

/** `--timeout`, read; a malformed one is a usage error before anything is sent. */
const timeoutOf = (globals: GlobalConfig) =>
  Effect.gen(function*() {
    if (Option.isNone(globals.timeout)) return undefined
    const { parse } = yield* Effect.promise(() => import("./Deadline.js"))
    const limit = parse(globals.timeout.value)
    return limit instanceof UsageError ? yield* limit : limit
  })

const globalsOf = (globals: GlobalConfig, given: Action.Given): Omit<Action.Globals, "timeout"> => {
  const output = Option.getOrElse(globals.output, () => Output.defaultFormat(process.stdout.isTTY === true))
  return {
    output,
    yes: globals.yes,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true && !usesStdin(given),
    stdinUsed: usesStdin(given),
    width: process.stdout.columns && process.stdout.columns > 20 ? process.stdout.columns : 160,
    // Progress only where a person sees it, and not over items printed to the same terminal as they come.
    progress: process.stderr.isTTY === true && (process.stdout.isTTY !== true || output === "table")
  }
}

const usesStdin = (given: Action.Given): boolean => Option.getOrUndefined(given.input) === "-"

const groupCommand = (group: Catalog.GroupInfo, build: boolean, catalog: Catalog.Catalog, connect: Connect) => {
  const parent = Command.make(
    group.name,
    {},
    () =>
      Effect.fail(
        new UsageError({ message: `missing action: dixa ${group.name} <action> (see dixa ${group.name} --help)` })
      )
  )
    .pipe(Command.withDescription(group.summary))
  if (!build) return parent
  const actions = group.actions.map((action) => actionCommand(group.name, action, catalog, connect))
  // Commands of different argument types in one list: only `any` unifies them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return actions.length === 0 ? parent : Command.withSubcommands(parent, actions as [any, ...Array<any>])
}

/** Builds the command tree; only groups whose names occur in `argv` get their actions. */
export const make = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog, connect: Connect) => {
  const named = new Set(argv)
  const groups = catalog.groups.map((group) => groupCommand(group, named.has(group.name), catalog, connect))
  const sandbox = SandboxCommand.make(named.has("sandbox"))
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above: subcommands of different types
  return Command.withSubcommands(root, [...groups, sandbox] as unknown as [any, ...Array<any>])
}

/** Runs the command line. */
export const run = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog, connect: Connect, version: string) =>
  Command.run(make(argv, catalog, connect), { name: "dixa", version })(hoistGlobals(argv))

export type { GlobalConfig as Globals }

/**
 * A clearer message for a command line that names an unknown group or action (the parser only says
 * which level failed).
 */
export const explainUnknown = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog): string | undefined => {
  const args = argv.slice(2)
  const withValue = new Set(["--api-key", "--base-url", "--output", "--timeout"])
  const words = args.filter((arg, i) => !arg.startsWith("-") && !withValue.has(args[i - 1] ?? ""))
  const groups = [...catalog.groups.map((g) => g.name), "sandbox"]
  const index = words.findIndex((word) => groups.includes(word))
  if (index < 0) {
    const unknown = words.find((word) => !groups.includes(word))
    return unknown === undefined ? undefined : `unknown group '${unknown}': use one of ${groups.join(", ")}`
  }
  const group = words[index]!
  const actions = group === "sandbox"
    ? ["reset", "serve"]
    : catalog.groups.find((g) => g.name === group)!.actions.map((a) => kebab(a.name))
  const action = words[index + 1]
  return action === undefined || actions.includes(action)
    ? undefined
    : `unknown action '${action}' for ${group}: use one of ${actions.join(", ")}`
}

const globalFlags = new Set(["--yes", "--sandbox", "--dry-run"])
const globalWithValue = new Set(["--api-key", "--base-url", "--output", "--timeout"])

/**
 * Moves global options given after the group (`dixa agents list --output json`) to the front, where
 * the parser expects them. No action has a flag of the same name (see `Derive.reserved`).
 */
export const hoistGlobals = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const [runtime = "node", script = "dixa", ...rest] = argv
  const hoisted: Array<string> = []
  const others: Array<string> = []
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!
    const name = arg.split("=")[0]!
    if (arg === "--") {
      others.push(...rest.slice(i))
      break
    }
    if (globalFlags.has(arg) || (globalWithValue.has(name) && arg.includes("="))) hoisted.push(arg)
    else if (globalWithValue.has(arg) && i + 1 < rest.length) hoisted.push(arg, rest[++i]!)
    else others.push(arg)
  }
  return [runtime, script, ...hoisted, ...others]
}
