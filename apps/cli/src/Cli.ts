/**
 * The `dixa` command tree, derived from `Api.groups`: a command per group, a subcommand per action.
 * Only the groups named on the command line get their actions built; the others are listed by name
 * and summary, which is all `dixa --help` shows of them.
 *
 * @since 0.1.0
 */
import * as Args from "@effect/cli/Args"
import * as CliConfig from "@effect/cli/CliConfig"
import * as Command from "@effect/cli/Command"
import * as Descriptor from "@effect/cli/CommandDescriptor"
import * as Options from "@effect/cli/Options"
import type * as ClientEvent from "@org/dixa-core/ClientEvent"
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as Effect from "effect/Effect"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import type * as Action from "./Action.js"
import * as AuthCommand from "./AuthCommand.js"
import type * as Catalog from "./Catalog.js"
import { kebab } from "./Catalog.js"
import * as Columns from "./Columns.js"
import * as CommandLine from "./CommandLine.js"
import * as Completion from "./Completion.js"
import type * as Derive from "./Derive.js"
import * as Failure from "./Failure.js"
import { UsageError } from "./Failure.js"
import * as Help from "./Help.js"
import * as Output from "./Output.js"
import type * as Profile from "./Profile.js"
import * as SandboxCommand from "./SandboxCommand.js"
import * as Workflows from "./Workflows.js"

/** The options every command accepts, given before the group. */
const globalOptions = {
  apiKey: Options.redacted("api-key").pipe(
    Options.withDescription("Dixa API token (default: $DIXA_API_KEY, else the profile's key)"),
    Options.optional
  ),
  baseUrl: Options.text("base-url").pipe(
    Options.withDescription("API base URL (default: $DIXA_BASE_URL, the profile's, or https://dev.dixa.io)"),
    Options.optional
  ),
  profile: Options.text("profile").pipe(
    Options.withDescription("Profile to use (default: $DIXA_PROFILE, else the default profile; see dixa auth)"),
    Options.optional
  ),
  output: Options.choice("output", Output.choices).pipe(
    Options.withDescription("auto (the default: table on a terminal, else json), json, ndjson, table or yaml"),
    Options.optional
  ),
  columns: Options.text("columns").pipe(
    Options.withDescription("Table columns to show: dot paths, comma-separated (email,content.value)"),
    Options.optional
  ),
  fields: Options.text("fields").pipe(
    Options.withDescription("Fields to keep in json, ndjson and yaml: dot paths, comma-separated"),
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
  ),
  debug: Options.boolean("debug").pipe(
    Options.withDescription("Show each request and answer on stderr (key masked), timing, retries (or DIXA_DEBUG=1)")
  )
}

/** The root command; its parsed options are what every action reads. */
export const root = Command.make(
  "dixa",
  globalOptions,
  () => Effect.fail(new UsageError({ message: "missing command: dixa <group> <action> (see dixa --help)" }))
)

type GlobalConfig = Command.Command.ParseConfig<typeof globalOptions>

/** Where to send requests and with which key, as checked by {@link connection}; and the output format chosen. */
export interface Connection {
  readonly sandbox: boolean
  readonly baseUrl: string
  readonly apiKey: Option.Option<Redacted.Redacted<string>>
  readonly output: string
}

/** Opens a client for a checked connection: the sandbox's, or Dixa's with the API key. */
export type Connect = (
  connection: Connection,
  observe?: ClientEvent.Observer | undefined
) => Effect.Effect<DixaClient.Service, UsageError, Scope.Scope>

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return (url.protocol === "http:" || url.protocol === "https:") && url.host !== ""
  } catch {
    return false
  }
}

/** The global options as `Profile.resolve` takes them. */
const givenOf = (globals: GlobalConfig): Profile.Given => ({
  profile: Option.getOrUndefined(globals.profile),
  apiKey: Option.getOrUndefined(globals.apiKey),
  baseUrl: Option.getOrUndefined(globals.baseUrl),
  sandbox: globals.sandbox,
  output: Option.getOrUndefined(globals.output)
})

/**
 * Resolves the settings (flag > env > profile > default, see `Profile`) and checks the key and the base URL
 * before anything is sent: an empty key or a malformed URL is a usage error, as is a missing key when one is
 * needed (not for the sandbox, nor for `--dry-run`).
 */
export const connection = (globals: GlobalConfig, needKey: boolean): Effect.Effect<Connection, UsageError> =>
  Effect.gen(function*() {
    const Profile = yield* Effect.promise(() => import("./Profile.js"))
    const settings = yield* Effect.try({
      try: () => Profile.resolve(givenOf(globals)),
      catch: (e) => e instanceof UsageError ? e : new UsageError({ message: String(e) })
    })
    const apiKey = Option.filter(Option.fromNullable(settings.apiKey.value), (key) => Redacted.value(key).trim() !== "")
    const problem = problemOf(settings, apiKey, needKey)
    if (problem !== undefined) return yield* new UsageError({ message: problem })
    return { sandbox: settings.sandbox.value, baseUrl: settings.baseUrl.value, apiKey, output: settings.output.value }
  })

/** What is wrong with resolved settings before anything is sent, naming where the bad value came from. */
const problemOf = (
  settings: Profile.Settings,
  apiKey: Option.Option<Redacted.Redacted<string>>,
  needKey: boolean
): string | undefined => {
  const from = (setting: Profile.Setting<unknown>, flag: string) => setting.source === "flag" ? flag : setting.source
  const { baseUrl, output, sandbox } = settings
  if (!sandbox.value && settings.apiKey.value !== undefined && Option.isNone(apiKey)) {
    return `the API key is empty (${from(settings.apiKey, "--api-key")}): give one with a value (or use --sandbox)`
  }
  if (!sandbox.value && needKey && Option.isNone(apiKey)) {
    return "no API key: pass --api-key, set DIXA_API_KEY or run dixa auth login (or use --sandbox)"
  }
  if (!sandbox.value && !isHttpUrl(baseUrl.value)) {
    return `the base URL '${baseUrl.value}' (${from(baseUrl, "--base-url")}) is not an http:// or https:// URL`
  }
  if (!(Output.choices as ReadonlyArray<string>).includes(output.value)) {
    return `the output '${output.value}' (${output.source}) is not one of ${Output.choices.join(", ")}`
  }
  return undefined
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

const actionCommand = (
  group: string,
  action: Catalog.ActionInfo,
  catalog: Catalog.Catalog,
  connect: Connect,
  exporting = false
) => {
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
      : Options.map(Options.none, () => false),
    exportTo: exporting ? Options.map(Workflows.exportOptions, Option.some) : Options.map(Options.none, Option.none)
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
      const settings = { ...globalsOf(globals, given, target.output), yes: globals.yes || parsed.yes, timeout }
      const input = yield* Action.decodeInput(endpoint, shape, given)
      if (globals.dryRun) return yield* Action.dryRun(endpoint, input, target)
      // Connected once, when first needed: to name the ids in the question, or to send.
      const connected = yield* Effect.cached(connect(target, Action.observer(settings)))
      const names = Effect.flatMap(
        Effect.promise(() => import("./Names.js")),
        (Names) => Effect.flatMap(connected, (client) => Names.of(client, catalog, group, endpoint, input))
      ).pipe(Effect.orElseSucceed((): Record<string, string> => ({})))
      yield* Action.confirm(endpoint, shape.risk, input, settings, names)
      const client = yield* connected
      if (Option.isSome(parsed.exportTo)) {
        const Export = yield* Effect.promise(() => import("./Export.js"))
        return yield* Export.run(client, endpoint, input, settings, parsed.exportTo.value)
      }
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

const globalsOf = (globals: GlobalConfig, given: Action.Given, chosen: string): Omit<Action.Globals, "timeout"> => {
  const output = Output.resolve(chosen, process.stdout.isTTY === true)
  const list = (option: Option.Option<string>) => Option.getOrUndefined(Option.map(option, Columns.parseList))
  Output.setView({ columns: list(globals.columns), fields: list(globals.fields) })
  Failure.useFormat(output, chosen !== "auto")
  return {
    output,
    yes: globals.yes,
    interactive: process.stdin.isTTY === true && process.stderr.isTTY === true && !usesStdin(given),
    stdinUsed: usesStdin(given),
    width: Output.width(),
    // Progress only where a person sees it, and not over items printed to the same terminal as they come.
    progress: process.stderr.isTTY === true && (process.stdout.isTTY !== true || output === "table"),
    debug: globals.debug || /^(1|true|yes|on)$/i.test(process.env["DIXA_DEBUG"]?.trim() ?? "")
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
  const actions = group.actions.map((action) =>
    Workflows.isWorkflow(group.name, action.name)
      ? Workflows.prepareCommand(action.name, session(connect))
      : actionCommand(group.name, action, catalog, connect)
  )
  // Commands of different argument types in one list: only `any` unifies them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return actions.length === 0 ? parent : Command.withSubcommands(parent, actions as [any, ...Array<any>])
}

/** Builds the command tree; only groups whose names occur in `argv` get their actions. */
export const make = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog, connect: Connect) => {
  const named = new Set(argv)
  const groups = catalog.groups.map((group) => groupCommand(group, named.has(group.name), catalog, connect))
  const sandbox = SandboxCommand.make(named.has("sandbox"))
  const auth = AuthCommand.make(named.has("auth"), {
    given: Effect.map(root, givenOf),
    isHttpUrl,
    verify: (target) =>
      Effect.scoped(Effect.gen(function*() {
        const endpoint = yield* Effect.promise(() => catalog.load("organization", "get"))
        const client = yield* connect({ ...target, apiKey: Option.some(target.apiKey), output: "json" })
        yield* client.call(endpoint, {} as never)
      }))
  })
  const exported = named.has(Workflows.exportName) ? exportGroups(named, catalog, connect) : []
  const exports = Workflows.exportCommand(exported)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above: subcommands of different types
  return Command.withSubcommands(root, [...groups, sandbox, auth, exports] as unknown as [any, ...Array<any>])
}

/** `export <group> <list-action>`: the named groups' lists, each with the action's own flags and `--to`. */
const exportGroups = (named: ReadonlySet<string>, catalog: Catalog.Catalog, connect: Connect) =>
  Workflows.exportable(catalog).filter((group) => named.has(group.name)).map((group) =>
    Command.withSubcommands(
      Command.make(group.name).pipe(Command.withDescription(group.summary)),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above: subcommands of different types
      group.actions.map((action) => actionCommand(group.name, action, catalog, connect, true)) as [any, ...Array<any>]
    )
  )

/** What a workflow command runs with: the settings an action gets and a client reporting as they ask. */
const session = (connect: Connect): Workflows.Session<Command.Command.Context<"dixa">> =>
  Effect.gen(function*() {
    const globals = yield* root
    const target = yield* connection(globals, true)
    const timeout = yield* timeoutOf(globals)
    const none: Action.Given = {
      args: [],
      query: {},
      body: {},
      files: {},
      input: Option.none(),
      limit: Option.none(),
      all: false
    }
    const settings = { ...globalsOf(globals, none, target.output), timeout }
    const Action = yield* Effect.promise(() => import("./Action.js"))
    const client = yield* connect(target, Action.observer(settings))
    return { client, settings }
  })

/** The global options as help, completion and hoisting see them: read off the parser's own definitions. */
export const globalFlags = (): ReadonlyArray<CommandLine.Flag> =>
  Help.optionLines(Options.getHelp(Options.all(globalOptions)))

/** A command built with @effect/cli (`sandbox`, `auth`) as help and completion see it. */
const extraOf = (command: Command.Command<string, never, unknown, unknown>): CommandLine.Extra => {
  const helpOf = (d: Descriptor.Command<unknown>) => Descriptor.getHelp(d, CliConfig.defaultConfig)
  const names = Array.from(Command.getNames(command))
  return {
    name: names[0] ?? "",
    summary: Help.description(Command.getHelp(command, CliConfig.defaultConfig)),
    subs: HashMap.toEntries(Command.getSubcommands(command)).map(([name, d]) => {
      const doc = helpOf(d)
      return { name, summary: Help.description(doc), flags: Help.optionLines(doc) }
    })
  }
}

/** What help, completion and the checks of the command line know: no group's schemas are loaded. */
const treeOf = (catalog: Catalog.Catalog): CommandLine.Tree => {
  const auth = AuthCommand.make(true, { given: Effect.map(root, givenOf), isHttpUrl })
  return {
    catalog,
    extras: [
      // Commands of different types in one list: only `any` unifies them.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      ...[SandboxCommand.make(true), auth].map((c) => extraOf(c as any)),
      CommandLine.completionCommand,
      Workflows.exportExtra(catalog)
    ],
    globals: globalFlags()
  }
}

const print = (text: string) => Effect.sync(() => void process.stdout.write(text.endsWith("\n") ? text : text + "\n"))

/**
 * Runs the command line. Help, completion and command lines naming something unknown are handled here
 * from the catalog; the rest goes to the parser.
 */
export const run = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog, connect: Connect, version: string) =>
  Effect.suspend(() => {
    const tree = treeOf(catalog)
    const hoisted = hoistGlobals(argv, tree.globals)
    const args = hoisted.slice(2)
    const early = completionOf(args, tree) ?? helpText(args, tree, version)
    if (early !== undefined) return early instanceof UsageError ? Effect.fail(early) : print(early)
    const problem = CommandLine.problem(args, tree)
    if (problem !== undefined) return Effect.fail(new UsageError({ message: problem }))
    return Command.run(make(argv, catalog, connect), { name: "dixa", version })(hoisted)
  })

/** `dixa completion <shell>` (or `--completions <shell>`): a script; `dixa __complete`: candidates. */
const completionOf = (args: ReadonlyArray<string>, tree: CommandLine.Tree): string | UsageError | undefined => {
  if (args[0] === "__complete") {
    const shell = args[1]
    const words = args[2] === "--" ? args.slice(3) : args.slice(2)
    return Completion.isShell(shell)
      ? Completion.format(shell, CommandLine.complete(words, tree))
      : new UsageError({ message: "usage: dixa __complete bash|zsh|fish -- <words>" })
  }
  const flag = args.indexOf("--completions")
  if (flag >= 0 && Completion.isShell(args[flag + 1])) return Completion.script(args[flag + 1] as Completion.Shell)
  if (args.includes("--help") || args.includes("-h")) return undefined
  const at = CommandLine.locate(args, tree)
  if (at.group !== CommandLine.completionCommand.name) return undefined
  return Completion.isShell(at.sub)
    ? Completion.script(at.sub)
    : new UsageError({ message: "missing shell: dixa completion bash|zsh|fish" })
}

/** The help asked for by `--help` or `-h` (before any `--`), or an error for an unknown command. */
const helpText = (args: ReadonlyArray<string>, tree: CommandLine.Tree, version: string) => {
  const end = args.indexOf("--")
  const before = end < 0 ? args : args.slice(0, end)
  if (!before.includes("--help") && !before.includes("-h")) return undefined
  const at = CommandLine.locate(before, tree)
  const total = Help.width()
  if (at.unknown !== undefined) return new UsageError({ message: CommandLine.problem(before, tree)! })
  if (at.group === undefined) return Help.root(tree, version, total)
  if (at.info !== undefined) {
    return at.action === undefined
      ? Help.group(at.info, tree.globals, total)
      : Help.action(at.info.name, at.action, tree.globals, total)
  }
  return Help.extra(at.extra!, at.sub, tree.globals, total)
}

export type { GlobalConfig as Globals }

/**
 * A clearer message for a command line that names an unknown group or action (the parser only says
 * which level failed), with the closest name.
 */
export const explainUnknown = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog): string | undefined =>
  CommandLine.problem(argv.slice(2), treeOf(catalog))

/**
 * Moves global options given after the group (`dixa agents list --output json`) to the front, where
 * the parser expects them. No action has a flag of the same name (see `Derive.reserved`).
 */
export const hoistGlobals = (
  argv: ReadonlyArray<string>,
  globals: ReadonlyArray<CommandLine.Flag> = globalFlags()
): ReadonlyArray<string> => {
  const switches = new Set(globals.filter((f) => f.value === undefined).map((f) => f.name))
  const withValue = new Set(globals.filter((f) => f.value !== undefined).map((f) => f.name))
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
    if (switches.has(arg) || (withValue.has(name) && arg.includes("="))) hoisted.push(arg)
    // As `--name=value`: the parser takes a bare word naming a command (`--api-key sandbox`) for that command.
    // (A value that is empty or has blanks, which names no command, stays apart: the parser trims `--name=  `.)
    else if (withValue.has(arg) && i + 1 < rest.length) {
      const value = rest[++i]!
      hoisted.push(...(/^\S+$/.test(value) ? [`${arg}=${value}`] : [arg, value]))
    } else others.push(arg)
  }
  return [runtime, script, ...hoisted, ...others]
}
