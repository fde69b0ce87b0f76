/**
 * The commands people script, beside the one-per-operation actions: `dixa export <group> <list-action> --to FILE`
 * and `dixa analytics prepare-metric|prepare-record [id]`. Only their command lines are defined here (cheap, for
 * `--help` and the parser); what they do is loaded when they run (`Export`, `AnalyticsPrepare`).
 *
 * @since 0.2.0
 */
import * as Args from "@effect/cli/Args"
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import type * as Action from "./Action.js"
import type * as Catalog from "./Catalog.js"
import { kebab } from "./Catalog.js"
import type * as CommandLine from "./CommandLine.js"
import { UsageError } from "./Failure.js"

/** The name of the export command. */
export const exportName = "export"

/** `--to`, `--resume`, `--force` of an export. */
export const exportOptions = Options.all({
  file: Options.text("to").pipe(
    Options.withPseudoName("file"),
    Options.withDescription("Write every item to this file: .ndjson (one JSON item a line) or .csv")
  ),
  resume: Options.boolean("resume").pipe(
    Options.withDescription("Go on from FILE.checkpoint, left by an export that was stopped")
  ),
  force: Options.boolean("force").pipe(Options.withDescription("Overwrite FILE (and its checkpoint) if it exists"))
})

const exportFlags: ReadonlyArray<CommandLine.Flag> = [
  { name: "--to", value: "file", text: "Write every item to this file: .ndjson or .csv" },
  { name: "--resume", value: undefined, text: "Go on from FILE.checkpoint" },
  { name: "--force", value: undefined, text: "Overwrite FILE if it exists" }
]

const exportSummary = "Write every page of a list to a file (.ndjson or .csv), resumable: dixa export <group> <action>"

/** The groups an export can name: those with a paginated list. */
export const exportable = (catalog: Catalog.Catalog): Array<Catalog.GroupInfo> =>
  catalog.groups.flatMap((group) => {
    const actions = group.actions.filter((a) => a.shape.paginated && !isWorkflow(group.name, a.name))
    return actions.length === 0 ? [] : [{ ...group, actions }]
  })

/** `export` as help, completion and the command-line checks see it. */
export const exportExtra = (catalog: Catalog.Catalog): CommandLine.Extra => ({
  name: exportName,
  summary: exportSummary,
  subs: exportable(catalog).map((group) => ({
    name: group.name,
    summary: `lists: ${
      group.actions.map((a) => kebab(a.name)).join(", ")
    } (their flags: dixa ${group.name} <list> --help)`,
    flags: exportFlags
  }))
})

/** The `export` command, with a sub-command per group named on the command line. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commands of different types in one list
export const exportCommand = (groups: ReadonlyArray<any>) => {
  const parent = Command.make(
    exportName,
    {},
    () => Effect.fail(new UsageError({ message: "missing list: dixa export <group> <list-action> --to FILE" }))
  ).pipe(Command.withDescription(exportSummary))
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- commands of different types in one list
  return groups.length === 0 ? parent : Command.withSubcommands(parent, groups as [any, ...Array<any>])
}

const prepareActions: Record<string, "metric" | "record"> = { prepareMetric: "metric", prepareRecord: "record" }

/** Whether an action of the catalog is one of ours rather than an API operation. */
export const isWorkflow = (group: string, action: string): boolean => group === "analytics" && action in prepareActions

const noShape = { args: [], query: [], body: [], hasBody: false, paginated: false, risk: "read" } as const

const prepareInfo = (name: string, kind: string): Catalog.ActionInfo => ({
  name,
  summary: `[id]: the ${kind}s to query; with an id, its definition and every value of each of its filters`,
  deprecated: false,
  shape: noShape
})

/** The catalog with `analytics prepare-metric` and `prepare-record` among the analytics actions. */
export const withWorkflows = (catalog: Catalog.Catalog): Catalog.Catalog => ({
  ...catalog,
  groups: catalog.groups.map((group) =>
    group.name !== "analytics"
      ? group
      : {
        ...group,
        actions: [...group.actions, prepareInfo("prepareMetric", "metric"), prepareInfo("prepareRecord", "record")]
      }
  )
})

/** What a workflow needs to run: a client, and the settings an action would get. */
export type Session<R> = Effect.Effect<
  { readonly client: DixaClient.Service; readonly settings: Action.Globals },
  UsageError,
  Scope.Scope | R
>

/** `analytics prepare-metric [id]` or `prepare-record [id]`. */
export const prepareCommand = <R>(action: string, session: Session<R>) => {
  const kind = prepareActions[action]!
  const id = Args.text({ name: "id" }).pipe(Args.withDescription(`the ${kind} id`), Args.optional)
  return Command.make(kebab(action), { id }, ({ id }) =>
    Effect.gen(function*() {
      const { client, settings } = yield* session
      const AnalyticsPrepare = yield* Effect.promise(() => import("./AnalyticsPrepare.js"))
      yield* AnalyticsPrepare.run(client, kind, id as Option.Option<string>, settings)
    }).pipe(Effect.scoped)).pipe(Command.withDescription(prepareInfo(action, kind).summary))
}

/**
 * A clearer message for an export naming something that is not a paginated list of a group: the parser only says
 * that the sub-command is invalid. `undefined` when the command line is not such an export.
 */
export const explainExport = (argv: ReadonlyArray<string>, catalog: Catalog.Catalog): string | undefined => {
  const words = argv.slice(2).filter((arg) => !arg.startsWith("-"))
  const at = words.indexOf(exportName)
  if (at < 0) return undefined
  const [groupName, actionName] = words.slice(at + 1)
  const lists = exportable(catalog)
  const names = lists.map((g) => g.name)
  const group = catalog.groups.find((g) => g.name === groupName)
  if (group === undefined || !names.includes(group.name)) {
    return `dixa export takes a group with a paginated list: ${names.join(", ")}`
  }
  const actions = lists.find((g) => g.name === group.name)!.actions.map((a) => kebab(a.name))
  if (actionName !== undefined && group.actions.some((a) => kebab(a.name) === actionName)) {
    return `${group.name} ${actionName} is not a paginated list: dixa export takes ${
      actions.join(", ")
    } of ${group.name}`
  }
  return `dixa export ${group.name} takes a paginated list: ${actions.join(", ")}`
}
