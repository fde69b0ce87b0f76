/**
 * `--help`, written for people and rendered from the catalog (no group's schemas are loaded): one line
 * per option with its value and default, required body fields marked, usage with the whole command path,
 * and the global options on every page. Lines are wrapped between words at the terminal's width.
 *
 * @since 0.1.0
 */
import type * as HelpDoc from "@effect/cli/HelpDoc"
import type * as Span from "@effect/cli/HelpDoc/Span"
import type * as Catalog from "./Catalog.js"
import { kebab } from "./Catalog.js"
import * as CommandLine from "./CommandLine.js"
import * as Output from "./Output.js"

/** The width help is written for (see `Output.width`). */
export const width = (): number => Output.width()

// ---------------------------------------------------------------------------------------------
// Reading @effect/cli's help of options (for the options defined with @effect/cli: global, sandbox)
// ---------------------------------------------------------------------------------------------

const spanText = (span: Span.Span): string => {
  const s = span as { _tag: string; value?: unknown; left?: Span.Span; right?: Span.Span }
  if (s._tag === "Sequence") return spanText(s.left!) + spanText(s.right!)
  if (typeof s.value === "string") return s.value
  return s.value ? spanText(s.value as Span.Span) : ""
}

const paragraphs = (doc: HelpDoc.HelpDoc): Array<string> => {
  switch (doc._tag) {
    case "Paragraph":
    case "Header":
      return [spanText(doc.value)]
    case "Sequence":
      return [...paragraphs(doc.left), ...paragraphs(doc.right)]
    case "Enumeration":
      return doc.elements.flatMap(paragraphs)
    default:
      return []
  }
}

const definitions = (doc: HelpDoc.HelpDoc): Array<readonly [Span.Span, HelpDoc.HelpDoc]> => {
  switch (doc._tag) {
    case "DescriptionList":
      return [...doc.definitions]
    case "Sequence":
      return [...definitions(doc.left), ...definitions(doc.right)]
    default:
      return []
  }
}

/** The text under the DESCRIPTION header of @effect/cli's help of a command. */
export const description = (doc: HelpDoc.HelpDoc): string => {
  const blocks = flat(doc)
  const start = blocks.findIndex((b) => b._tag === "Header" && spanText(b.value).trim() === "DESCRIPTION")
  if (start < 0) return ""
  const after = blocks.slice(start + 1)
  const end = after.findIndex((b) => b._tag === "Header")
  return (end < 0 ? after : after.slice(0, end)).flatMap(paragraphs).join(" ").trim()
}

const flat = (doc: HelpDoc.HelpDoc): Array<HelpDoc.HelpDoc> =>
  doc._tag === "Sequence" ? [...flat(doc.left), ...flat(doc.right)] : [doc]

/** What @effect/cli says of every option of its kind; left out of our help. */
const boilerplate =
  /^(A user-defined piece of text|A true or false value|An integer|A floating point|A date|One of the following|This setting is optional|This option can be set from environment|A file|A directory|A path|This setting is a )/

const valueNames: Record<string, string> = { redacted: "text", file: "path" }

/** Options @effect/cli adds to every command: not for users of this one (`--help` and `--version` are listed once). */
const builtIn: ReadonlySet<string> = new Set(["--completions", "--log-level", "--wizard", "--version", "--help"])

/** One line per option of @effect/cli's help of some options (e.g. `Options.getHelp(Options.all(...))`). */
export const optionLines = (doc: HelpDoc.HelpDoc): Array<CommandLine.Flag> =>
  definitions(doc).flatMap(([span, description]) => {
    const [name = "", ...rest] = spanText(span).trim().split(" ")
    if (!name.startsWith("--") || builtIn.has(name)) return []
    const raw = rest.join(" ").replace(/\s*\|\s*/g, "|")
    const value = raw === "" ? undefined : valueNames[raw] ?? raw
    const text = paragraphs(description).filter((p) => !boilerplate.test(p)).join(" ")
    return [{ name, value, text }]
  })

// ---------------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------------

/** Words of `text` in lines of at most `columns` (a longer word gets a line of its own). */
export const wrap = (text: string, columns: number): Array<string> => {
  const lines: Array<string> = []
  let current = ""
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (current !== "" && current.length + 1 + word.length > columns) {
      lines.push(current)
      current = word
    } else current = current === "" ? word : `${current} ${word}`
  }
  if (current !== "" || lines.length === 0) lines.push(current)
  return lines
}

const maxName = 22

type Row = readonly [string, string]

/** The name column's width for rows: the longest name, at most {@link maxName}. */
const nameWidthOf = (rows: ReadonlyArray<Row>): number =>
  Math.min(maxName, Math.max(0, ...rows.map(([name]) => name.length)))

/** A two-column list: names, then their text wrapped beside them (or below, for a long name). */
export const columns = (rows: ReadonlyArray<Row>, total: number, nameWidth = nameWidthOf(rows)): Array<string> => {
  const indent = 2 + nameWidth + 2
  const textWidth = Math.max(20, total - indent)
  return rows.flatMap(([name, text]) => {
    const lines = text === "" ? [] : wrap(text, textWidth)
    if (name.length > nameWidth) {
      return [`  ${name}`, ...lines.map((l) => " ".repeat(indent) + l)]
    }
    const [first = "", ...more] = lines
    return [`  ${name.padEnd(nameWidth)}  ${first}`.trimEnd(), ...more.map((l) => " ".repeat(indent) + l)]
  })
}

/** What a flag with a long list of choices shows as its value. */
const placeholders: Record<string, string> = { "--output": "format" }

/** A flag as a row: `--name <value>` (a long list of choices named after the flag, and listed in the text). */
const flagRow = (f: CommandLine.Flag & { readonly required?: boolean }): Row => {
  const choices = f.value?.includes("|") && f.value.length > 16 ? f.value.split("|") : undefined
  const value = choices ? placeholders[f.name] ?? "choice" : f.value
  const listed = choices === undefined || choices.every((c) => f.text.includes(c))
  const text = [f.text, listed ? "" : `(one of ${choices.join(", ")})`, f.required ? "(required)" : ""]
  return [value === undefined ? f.name : `${f.name} <${value}>`, text.filter((t) => t !== "").join(" ")]
}

const flagRows = (flags: ReadonlyArray<CommandLine.Flag & { readonly required?: boolean }>) => flags.map(flagRow)

const globalRows = (globals: ReadonlyArray<CommandLine.Flag>) => flagRows([...globals, ...CommandLine.builtins])

/** A titled list of rows, or nothing when it has none. */
const section = (title: string, rows: ReadonlyArray<Row>, total: number, nameWidth: number): Array<string> =>
  rows.length === 0 ? [] : ["", `${title}:`, ...columns(rows, total, nameWidth)]

const globalTitle = "Global options (before or after the command)"

const paragraph = (text: string, total: number): Array<string> => ["", ...wrap(text, total)]

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

/** `dixa --help`: the groups and the global options. */
export const root = (tree: CommandLine.Tree, version: string, total: number): string => {
  const groups = tree.catalog.groups.map((g): Row => [g.name, g.summary])
  const others = tree.extras.map((e): Row => [e.name, e.summary])
  return [
    `dixa ${version}: the Dixa API (beta) from the shell`,
    "",
    "Usage: dixa [global options] <group> <action> [arguments] [options]",
    ...section("Groups", groups, total, nameWidthOf([...groups, ...others])),
    ...section("Other commands", others, total, nameWidthOf([...groups, ...others])),
    ...section(globalTitle, globalRows(tree.globals), total, nameWidthOf(globalRows(tree.globals))),
    ...paragraph(
      "A group's actions: dixa <group> --help. An action's arguments and options: dixa <group> <action> --help.",
      total
    )
  ].join("\n")
}

const usageOf = (group: string, action: Catalog.ActionInfo): string =>
  [`dixa ${group} ${kebab(action.name)}`, ...action.shape.args.map((a) => `<${a}>`), "[options]"].join(" ")

const actionRows = (info: Catalog.GroupInfo): Array<Row> =>
  info.actions.map((a) => [
    [kebab(a.name), ...a.shape.args.map((arg) => `<${arg}>`)].join(" "),
    a.summary + (a.deprecated ? " (deprecated)" : "")
  ])

/** `dixa <group> --help`: its actions. */
export const group = (info: Catalog.GroupInfo, globals: ReadonlyArray<CommandLine.Flag>, total: number): string =>
  [
    `Usage: dixa ${info.name} <action> [arguments] [options]`,
    ...paragraph(info.summary, total),
    ...section("Actions", actionRows(info), total, nameWidthOf([...actionRows(info), ...globalRows(globals)])),
    ...section(globalTitle, globalRows(globals), total, nameWidthOf([...actionRows(info), ...globalRows(globals)])),
    ...paragraph(`See an action's options with dixa ${info.name} <action> --help.`, total)
  ].join("\n")

const riskNote: Record<string, string> = {
  read: "",
  write: "Asks before sending on a terminal; off a terminal it needs --yes.",
  danger: "Destructive: needs --yes, even on a terminal."
}

/** `dixa <group> <action> --help`: its arguments, flags and the global options. */
export const action = (
  groupName: string,
  info: Catalog.ActionInfo,
  globals: ReadonlyArray<CommandLine.Flag>,
  total: number
): string => {
  const flags = CommandLine.actionFlags(info.shape)
  const body = flags.filter((f) => f.where === "body")
  const others = flags.filter((f) => f.where !== "body")
  const note = riskNote[info.shape.risk] ?? ""
  const args = info.shape.args.map((a): Row => [`<${a}>`, "path parameter"])
  const nw = nameWidthOf([...args, ...flagRows(flags), ...globalRows(globals)])
  return [
    `Usage: ${usageOf(groupName, info)}`,
    ...paragraph(info.summary + (info.deprecated ? " (deprecated)" : ""), total),
    ...(note === "" ? [] : wrap(note, total)),
    ...section("Arguments", args, total, nw),
    ...section("Body fields (flags, merged over the JSON of --input)", flagRows(body), total, nw),
    ...section("Options", flagRows(others), total, nw),
    ...section(globalTitle, globalRows(globals), total, nw)
  ].join("\n")
}

/** Help of a command that is not an API group (`sandbox`, `auth`, `completion`), or of one of its commands. */
export const extra = (
  command: CommandLine.Extra,
  sub: string | undefined,
  globals: ReadonlyArray<CommandLine.Flag>,
  total: number
): string => {
  const found = command.subs.find((s) => s.name === sub)
  const subRows = command.subs.map((s): Row => [s.name, s.summary])
  const nw = nameWidthOf([...(found ? flagRows(found.flags) : subRows), ...globalRows(globals)])
  const lines = found === undefined
    ? [
      `Usage: dixa ${command.name} <command> [options]`,
      ...paragraph(command.summary, total),
      ...section("Commands", subRows, total, nw)
    ]
    : [
      `Usage: dixa ${command.name} ${found.name}${found.flags.length > 0 ? " [options]" : ""}`,
      ...paragraph(found.summary, total),
      ...section("Options", flagRows(found.flags), total, nw)
    ]
  return [...lines, ...section(globalTitle, globalRows(globals), total, nw)].join("\n")
}
