/**
 * The command line read against the catalog, before @effect/cli parses it: which group and action it
 * names, which flags each level accepts, what is wrong with it (unknown names with a "did you mean",
 * a flag missing its value) and what could come next (shell completion). Works on the catalog only, so
 * no group's schemas are loaded.
 *
 * @since 0.1.0
 */
import type * as Catalog from "./Catalog.js"
import { kebab } from "./Catalog.js"
import type * as Derive from "./Derive.js"

/** One flag as the command line sees it. */
export interface Flag {
  /** With its dashes: `--email`. */
  readonly name: string
  /** What its value is (`text`, `number`, `json|table`...), or `undefined` for a switch. */
  readonly value: string | undefined
  readonly text: string
}

/** A command that is not an API group (`sandbox`, `auth`, `completion`), with its sub-commands. */
export interface Extra {
  readonly name: string
  readonly summary: string
  readonly subs: ReadonlyArray<{ readonly name: string; readonly summary: string; readonly flags: ReadonlyArray<Flag> }>
}

/** Everything the command line can name: the API's groups, the other commands, the global options. */
export interface Tree {
  readonly catalog: Catalog.Catalog
  readonly extras: ReadonlyArray<Extra>
  readonly globals: ReadonlyArray<Flag>
}

/** `dixa completion <shell>`. */
export const completionCommand: Extra = {
  name: "completion",
  summary: "Print a shell completion script: dixa completion bash|zsh|fish",
  subs: ["bash", "zsh", "fish"].map((name) => ({ name, summary: `completion script for ${name}`, flags: [] }))
}

/** Flags every command takes besides the global options. */
export const builtins: ReadonlyArray<Flag> = [
  { name: "--help", value: undefined, text: "Show this help (also -h)" },
  { name: "--version", value: undefined, text: "Print the version" }
]

const kindValue = (kind: Derive.Kind): string | undefined => {
  switch (kind._tag) {
    case "boolean":
      return undefined
    case "choice":
      return kind.values.length <= 4 && kind.values.join("|").length <= 30 ? kind.values.join("|") : "value"
    case "file":
      return "file"
    case "number":
      return "number"
    default:
      return "text"
  }
}

const kindText = (flag: Derive.Flag, where: string): string => {
  const parts = [`${where} ${flag.field}`]
  if (flag.kind._tag === "choice" && kindValue(flag.kind) === "value") {
    parts.push(`one of ${flag.kind.values.join(", ")}`)
  }
  if (flag.kind._tag === "file") {
    parts.push(flag.kind.many ? "path of a file to send, repeatable" : "path of a file to send")
  }
  if (flag.kind._tag === "list") parts.push("repeatable")
  return parts.join("; ")
}

/** A flag of an action: where its value goes, and whether the operation requires it. */
export interface ActionFlag extends Flag {
  readonly where: "body" | "query" | "other"
  readonly required?: boolean
}

/** The flags of an action, in help order: body fields (required first), query parameters, then the rest. */
export const actionFlags = (shape: Derive.Shape): Array<ActionFlag> => {
  const body = [...shape.body].sort((a, b) => Number(b.required) - Number(a.required)).flatMap((f) => {
    const flag: ActionFlag = {
      name: `--${f.flag}`,
      value: kindValue(f.kind),
      text: kindText(f, "body field"),
      where: "body",
      required: f.required
    }
    return f.kind._tag === "boolean"
      ? [flag, { name: `--no-${f.flag}`, value: undefined, text: `sets ${f.field} to false`, where: "body" as const }]
      : [flag]
  })
  const query = shape.query.map((f): ActionFlag => ({
    name: `--${f.flag}`,
    value: kindValue(f.kind),
    text: kindText(f, "query parameter"),
    where: "query",
    required: f.required
  }))
  const rest: Array<ActionFlag> = [
    ...(shape.hasBody
      ? [{ name: "--input", value: "file|-", text: "JSON body from a file, or - for stdin", where: "other" as const }]
      : []),
    ...(shape.paginated
      ? [
        {
          name: "--limit",
          value: "integer",
          text: "Stop after N items, following pages as needed",
          where: "other" as const
        },
        { name: "--all", value: undefined, text: "Every page, printed as pages arrive", where: "other" as const }
      ]
      : [])
  ]
  return [...body, ...query, ...rest]
}

/** The choices of a flag's value, if it has a fixed set. */
export const choicesOf = (shape: Derive.Shape, name: string): ReadonlyArray<string> | undefined => {
  const field = [...shape.body, ...shape.query].find((f) => `--${f.flag}` === name)
  return field?.kind._tag === "choice" ? field.kind.values : undefined
}

// ---------------------------------------------------------------------------------------------
// Locating the group and action
// ---------------------------------------------------------------------------------------------

/** Where a command line points. */
export interface Located {
  readonly group?: string | undefined
  /** The group's info, for API groups. */
  readonly info?: Catalog.GroupInfo | undefined
  readonly action?: Catalog.ActionInfo | undefined
  /** The command, when it is not an API group. */
  readonly extra?: Extra | undefined
  /** The sub-command of an {@link Extra}. */
  readonly sub?: string | undefined
  /** A word where a group or action was expected but none of that name exists. */
  readonly unknown?: { readonly word: string; readonly level: "group" | "action" } | undefined
}

/** The names of the groups and other commands. */
export const groupNames = (tree: Tree): Array<string> => [
  ...tree.catalog.groups.map((g) => g.name),
  ...tree.extras.map((e) => e.name)
]

const subsOf = (tree: Tree, group: string): Array<string> =>
  tree.catalog.groups.find((g) => g.name === group)?.actions.map((a) => kebab(a.name)) ??
    (tree.extras.find((e) => e.name === group)?.subs.map((sub) => sub.name) ?? [])

/** The words of `args` that are not flags or values of flags (stops at `--`). */
export const words = (args: ReadonlyArray<string>, withValue: (flag: string) => boolean): Array<string> => {
  const out: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    if (arg.startsWith("-") && arg !== "-") {
      if (!arg.includes("=") && withValue(arg)) i++
    } else out.push(arg)
  }
  return out
}

/** Finds the group and action named by `args` (the arguments after `dixa`). */
export const locate = (args: ReadonlyArray<string>, tree: Tree): Located => {
  const globalValue = new Set(tree.globals.filter((f) => f.value !== undefined).map((f) => f.name))
  const [group, second] = words(args, (flag) => globalValue.has(flag))
  if (group === undefined) return {}
  if (!groupNames(tree).includes(group)) return { unknown: { word: group, level: "group" } }
  const info = tree.catalog.groups.find((g) => g.name === group)
  if (info === undefined) {
    const extra = tree.extras.find((e) => e.name === group)
    const known = second === undefined || subsOf(tree, group).includes(second)
    return known ? { group, extra, sub: second } : { group, extra, unknown: { word: second, level: "action" } }
  }
  const action = info.actions.find((a) => kebab(a.name) === second)
  if (second === undefined) return { group, info }
  return action ? { group, info, action } : { group, info, unknown: { word: second, level: "action" } }
}

// ---------------------------------------------------------------------------------------------
// Did you mean
// ---------------------------------------------------------------------------------------------

/** Edit distance where swapping two neighbouring letters counts as one edit. */
export const distance = (a: string, b: string): number => {
  const d: Array<Array<number>> = Array.from({ length: a.length + 1 }, (_, i) => [i])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1)
      }
    }
  }
  return d[a.length]![b.length]!
}

/** The closest of `candidates` to `word`, when it is close enough to be a typo (or the only one it starts). */
export const suggest = (word: string, candidates: ReadonlyArray<string>): string | undefined => {
  const bare = word.replace(/^-+/, "")
  let best: string | undefined
  let bestDistance = Infinity
  for (const candidate of candidates) {
    const d = distance(bare, candidate.replace(/^-+/, ""))
    if (d < bestDistance) [best, bestDistance] = [candidate, d]
  }
  if (best !== undefined && bestDistance <= Math.max(1, Math.min(3, Math.floor(bare.length / 3)))) return best
  const starting = candidates.filter((c) => c.replace(/^-+/, "").startsWith(bare))
  return bare.length >= 2 && starting.length === 1 ? starting[0] : undefined
}

const didYouMean = (word: string, candidates: ReadonlyArray<string>): string => {
  const close = suggest(word, candidates)
  return close === undefined ? `: use one of ${candidates.join(", ")}` : ` (did you mean ${close}?)`
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

/** Flags @effect/cli itself understands on every command; not shown in help. */
const hidden = new Set(["-h", "--help", "--version", "--wizard", "--completions", "--log-level"])

/**
 * What is wrong with a command line that the parser would report less clearly: an unknown group, action
 * or flag (with the closest name), or a flag whose value is missing. `undefined` when nothing is.
 */
export const problem = (args: ReadonlyArray<string>, tree: Tree): string | undefined => {
  const at = locate(args, tree)
  if (at.unknown?.level === "group") {
    return `unknown command '${at.unknown.word}'${didYouMean(at.unknown.word, groupNames(tree))}`
  }
  if (at.unknown?.level === "action") {
    const actions = subsOf(tree, at.group!)
    return `unknown action '${at.unknown.word}' for ${at.group}${didYouMean(at.unknown.word, actions)}`
  }
  if (at.action === undefined) return undefined
  const flags = [...tree.globals, ...actionFlags(at.action.shape), { name: "--yes", value: undefined, text: "" }]
  const command = `${at.group} ${kebab(at.action.name)}`
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--") break
    if (!arg.startsWith("--")) continue
    const name = arg.split("=")[0]!
    if (hidden.has(name)) return undefined
    const flag = flags.find((f) => f.name === name)
    if (flag === undefined) {
      const names = flags.map((f) => f.name)
      const close = suggest(name, names)
      return `unknown option '${name}' for ${command}` +
        (close ? ` (did you mean ${close}?)` : ` (see dixa ${command} --help)`)
    }
    if (flag.value === undefined || arg.includes("=")) continue
    const next = args[i + 1]
    if (next === undefined || (next.startsWith("--") && next !== "--")) {
      return `${name} needs a value (${flag.value})`
    }
    i++
  }
  return undefined
}

// ---------------------------------------------------------------------------------------------
// Completion
// ---------------------------------------------------------------------------------------------

/** A completion candidate and what it is. */
export interface Candidate {
  readonly value: string
  readonly text: string
}

const flagCandidates = (flags: ReadonlyArray<Flag>): Array<Candidate> =>
  flags.map((f) => ({ value: f.name, text: f.text }))

/** The values a flag may take, when they are a fixed set. */
const valuesOf = (flag: Flag, at: Located): Array<Candidate> => {
  const values = flag.name === "--output"
    ? flag.value?.split("|") ?? []
    : at.action
    ? choicesOf(at.action.shape, flag.name) ?? []
    : []
  return values.map((value) => ({ value, text: "" }))
}

/** The commands that may come next: groups, a group's actions, or an other command's sub-commands. */
const commandsAt = (at: Located, tree: Tree): Array<Candidate> => {
  if (at.group === undefined) {
    return [
      ...tree.catalog.groups.map((g) => ({ value: g.name, text: g.summary })),
      ...tree.extras.map((e) => ({ value: e.name, text: e.summary }))
    ]
  }
  if (at.info !== undefined && at.action === undefined) {
    return at.info.actions.map((a) => ({ value: kebab(a.name), text: a.summary }))
  }
  if (at.extra !== undefined && at.sub === undefined) {
    return at.extra.subs.map((sub) => ({ value: sub.name, text: sub.summary }))
  }
  return []
}

/**
 * What may come at the last word of `args` (the word being completed, possibly empty): a group, an
 * action, a flag or a flag's value, filtered by what is typed so far. A value may be typed after `=`:
 * as one word (`--output=js`, zsh and fish) or as bash splits it (`--output`, `=`, `js`).
 */
export const complete = (args: ReadonlyArray<string>, tree: Tree): Array<Candidate> => {
  let current = args[args.length - 1] ?? ""
  let before = args.slice(0, -1)
  if (before[before.length - 1] === "=" && before[before.length - 2]?.startsWith("--")) before = before.slice(0, -1)
  // Bash, right after the `=`: the word being completed is the `=` itself.
  if (current === "=" && before[before.length - 1]?.startsWith("--")) current = ""
  let prefix = ""
  const joined = /^(--[^=]+)=(.*)$/.exec(current)
  if (joined) {
    before = [...before, joined[1]!]
    prefix = `${joined[1]}=`
    current = joined[2]!
  }
  const at = locate(before, tree)
  const own: ReadonlyArray<Flag> = at.action
    ? actionFlags(at.action.shape)
    : at.extra?.subs.find((sub) => sub.name === at.sub)?.flags ?? []
  const previous = before[before.length - 1]
  const prevFlag = previous?.startsWith("--") ? [...tree.globals, ...own].find((f) => f.name === previous) : undefined
  const candidates = at.unknown !== undefined
    ? []
    : prevFlag?.value !== undefined
    ? valuesOf(prevFlag, at)
    : current.startsWith("-")
    ? flagCandidates([...own, ...tree.globals, ...builtins])
    : commandsAt(at, tree)
  return candidates.filter((c) => c.value.startsWith(current)).map((c) => ({ ...c, value: prefix + c.value }))
}
