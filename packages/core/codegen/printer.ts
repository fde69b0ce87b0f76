/**
 * A small pretty printer for the expressions the generator emits: each call or object goes on one
 * line when it fits in the width, otherwise its arguments or entries go one per line.
 */

const width = 120

export interface Entry {
  readonly key: string
  /** Absent for shorthand properties and spreads (`list`, `...PageParams`). */
  readonly value?: Node | undefined
  /** A line comment above the entry. */
  readonly comment?: string | undefined
}

export type Node =
  | { readonly kind: "raw"; readonly text: string }
  | { readonly kind: "call"; readonly fn: string; readonly args: ReadonlyArray<Node> }
  | { readonly kind: "obj"; readonly entries: ReadonlyArray<Entry>; readonly breakAlways: boolean }
  | { readonly kind: "method"; readonly target: Node; readonly name: string; readonly args: ReadonlyArray<Node> }

export const raw = (text: string): Node => ({ kind: "raw", text })
export const call = (fn: string, args: ReadonlyArray<Node>): Node => ({ kind: "call", fn, args })
export const method = (target: Node, name: string, args: ReadonlyArray<Node>): Node => ({
  kind: "method",
  target,
  name,
  args
})
export const obj = (entries: ReadonlyArray<Entry>, breakAlways = false): Node => ({ kind: "obj", entries, breakAlways })

const flat = (node: Node): string | undefined => {
  switch (node.kind) {
    case "raw":
      return node.text.includes("\n") ? undefined : node.text
    case "call": {
      const args = node.args.map(flat)
      return args.some((a) => a === undefined) ? undefined : `${node.fn}(${args.join(", ")})`
    }
    case "method": {
      const target = flat(node.target)
      const args = node.args.map(flat)
      return target === undefined || args.some((a) => a === undefined)
        ? undefined
        : `${target}.${node.name}(${args.join(", ")})`
    }
    case "obj": {
      if (node.entries.length === 0) return "{}"
      if (node.breakAlways || node.entries.some((e) => e.comment !== undefined)) return undefined
      const parts: Array<string> = []
      for (const e of node.entries) {
        if (e.value === undefined) {
          parts.push(e.key)
          continue
        }
        const v = flat(e.value)
        if (v === undefined) return undefined
        parts.push(`${e.key}: ${v}`)
      }
      return `{ ${parts.join(", ")} }`
    }
  }
}

const pad = (n: number): string => " ".repeat(n)

const lastLineLength = (text: string, column: number): number => {
  const i = text.lastIndexOf("\n")
  return i === -1 ? column + text.length : text.length - i - 1
}

const hugs = (node: Node): boolean => node.kind === "obj" || node.kind === "call" || node.kind === "method"

/**
 * Prints `node` starting at `column` on a line indented by `indent`, leaving room for `trailing`
 * characters after it on its last line.
 */
export const print = (node: Node, indent: number, column: number, trailing = 0): string => {
  const f = flat(node)
  if (f !== undefined && column + f.length + trailing <= width) return f
  switch (node.kind) {
    case "raw":
      return node.text
    case "call":
      return printArgs(node.fn, node.args, indent, column, trailing)
    case "method": {
      // Leave room for at least `.name({` after the target, so a long target breaks rather than the call.
      const target = print(node.target, indent, column, node.name.length + 3)
      const col = lastLineLength(target, column)
      return target + printArgs(`.${node.name}`, node.args, indent, col, trailing)
    }
    case "obj": {
      if (node.entries.length === 0) return "{}"
      const inner = indent + 2
      const lines = node.entries.map((e, i) => {
        const comma = i === node.entries.length - 1 ? 0 : 1
        const comment = e.comment === undefined ? "" : `${pad(inner)}// ${e.comment}\n`
        if (e.value === undefined) return `${comment}${pad(inner)}${e.key}`
        const head = `${pad(inner)}${e.key}: `
        return `${comment}${head}${print(e.value, inner, head.length, comma)}`
      })
      return `{\n${lines.join(",\n")}\n${pad(indent)}}`
    }
  }
}

const printArgs = (fn: string, args: ReadonlyArray<Node>, indent: number, column: number, trailing: number): string => {
  const start = column + fn.length + 1
  const flats = args.map(flat)
  if (flats.every((a) => a !== undefined)) {
    const joined = flats.join(", ")
    if (start + joined.length + 1 + trailing <= width) return `${fn}(${joined})`
  }
  // Hug a lone object or call argument: `Schema.Struct({` ... `})`.
  if (args.length === 1 && hugs(args[0]!)) return `${fn}(${print(args[0]!, indent, start, trailing + 1)})`
  // Hug a trailing object after short leading arguments: `Group.make("tags", "...", {` ... `})`.
  const last = args[args.length - 1]
  const leading = flats.slice(0, -1)
  if (last?.kind === "obj" && leading.every((a) => a !== undefined)) {
    const head = `${fn}(${leading.join(", ")}, `
    if (column + head.length + 1 <= width) return `${head}${print(last, indent, column + head.length, trailing + 1)})`
  }
  const inner = indent + 2
  const lines = args.map((a, i) => `${pad(inner)}${print(a, inner, inner, i === args.length - 1 ? 0 : 1)}`)
  return `${fn}(\n${lines.join(",\n")}\n${pad(indent)})`
}
