/**
 * Rendering results: pretty JSON, NDJSON, YAML and plain tables. Every value here is already in its
 * JSON form (encoded with the endpoint's schema), so dates are strings and ids are plain.
 *
 * @since 0.1.0
 */

import * as Columns from "./Columns.js"

/** The output formats. */
export const formats = ["json", "ndjson", "table", "yaml"] as const
export type Format = (typeof formats)[number]

/** What `--output` accepts: a format, or `auto` (the default) for {@link defaultFormat}. */
export const choices = ["auto", ...formats] as const

/** Table when stdout is a terminal, JSON otherwise. */
export const defaultFormat = (isTty: boolean): Format => (isTty ? "table" : "json")

/** `--output` resolved: `auto` (or nothing) is {@link defaultFormat}. */
export const resolve = (choice: string | undefined, isTty: boolean): Format =>
  choice === undefined || choice === "auto" ? defaultFormat(isTty) : (choice as Format)

/** The width to write for: the terminal's, else `$COLUMNS`, else 80. */
export const width = (): number => {
  if (process.stdout.isTTY && process.stdout.columns > 20) return process.stdout.columns
  const columns = Number(process.env["COLUMNS"])
  return Number.isInteger(columns) && columns > 20 ? columns : 80
}

/** What the user chose to see: `--columns` for tables, `--fields` for data (each falls back on the other). */
export interface View {
  readonly columns?: ReadonlyArray<string> | undefined
  readonly fields?: ReadonlyArray<string> | undefined
}

// One command runs per process: its view is set once, before anything is printed.
let view: View = {}

/** Sets the {@link View} every rendering below follows. */
export const setView = (next: View): void => {
  view = next
}

const selected = (value: unknown): unknown => {
  const fields = view.fields ?? view.columns
  return fields === undefined ? value : Columns.pick(value, fields)
}

/** Pretty JSON, two spaces (only the chosen `--fields`). */
export const json = (value: unknown): string => JSON.stringify(selected(value), null, 2)

/** One line (only the chosen `--fields`). */
export const line = (value: unknown): string => JSON.stringify(selected(value))

// ---------------------------------------------------------------------------------------------
// YAML (JSON values only; strings that could be misread are double-quoted, which YAML shares with JSON)
// ---------------------------------------------------------------------------------------------

const plainString = /^[A-Za-z_][A-Za-z0-9_ ./@+-]*$/
const yamlWords = /^(true|false|yes|no|on|off|null|y|n|~)$/i

const yamlScalar = (value: unknown): string => {
  if (value === null || value === undefined) return "null"
  if (typeof value === "string") {
    return plainString.test(value) && !yamlWords.test(value) && !value.endsWith(" ") ? value : JSON.stringify(value)
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value)
  return JSON.stringify(value)
}

const yamlKey = (key: string): string => (plainString.test(key) && !yamlWords.test(key) ? key : JSON.stringify(key))

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const yamlLines = (value: unknown, indent: string): Array<string> => {
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${indent}[]`]
    return value.flatMap((item) => {
      const inner = yamlLines(item, indent + "  ")
      if ((isObject(item) && Object.keys(item).length > 0) || (Array.isArray(item) && item.length > 0)) {
        return [`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1)]
      }
      return [`${indent}- ${yamlScalar(item)}`]
    })
  }
  if (isObject(value)) {
    const keys = Object.keys(value).filter((k) => value[k] !== undefined)
    if (keys.length === 0) return [`${indent}{}`]
    return keys.flatMap((key) => {
      const v = value[key]
      if ((isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0)) {
        return [`${indent}${yamlKey(key)}:`, ...yamlLines(v, indent + "  ")]
      }
      return [`${indent}${yamlKey(key)}: ${isObject(v) ? "{}" : Array.isArray(v) ? "[]" : yamlScalar(v)}`]
    })
  }
  return [`${indent}${yamlScalar(value)}`]
}

/** A YAML document for a JSON value (only the chosen `--fields`). */
export const yaml = (value: unknown): string => yamlLines(selected(value), "").join("\n")

/** One item of a YAML sequence, for printing a list as it arrives. */
export const yamlItem = (value: unknown): string => yamlLines([selected(value)], "").join("\n")

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

const cell = (value: unknown): string => {
  if (value === undefined) return ""
  if (value === null) return "-"
  if (Array.isArray(value) && value.every((v) => typeof v !== "object")) return value.join(", ")
  const text = typeof value === "string" ? value : JSON.stringify(value)
  return text.replace(/\s+/g, " ")
}

const clip = (text: string, width: number): string =>
  text.length <= width ? text : width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + "…"

/**
 * A list as a table. Without `--columns`: the items' fields (nested ones as dot paths), best first (see
 * `Columns.rank`), as many as fit in `width`. With `--columns`: exactly those, even past `width`.
 */
export const table = (items: ReadonlyArray<unknown>, width: number): string => {
  if (items.length === 0) return "(no items)"
  if (!items.every(isObject)) return items.map((item) => clip(cell(item), width)).join("\n")
  const objects = items as ReadonlyArray<Record<string, unknown>>
  const asked = view.columns ?? view.fields
  const all = asked ?? Columns.ranked(objects)
  if (all.length === 0) return items.map((item) => clip(line(item), width)).join("\n")
  const natural = (column: string) =>
    Math.max(column.length, ...objects.map((item) => cell(Columns.at(item, column)).length))
  const columns = asked === undefined
    ? Columns.fit(all, natural, width)
    : asked.map((column) => [column, Math.min(Columns.maxWidth, natural(column))] as const)
  const rows = [
    columns.map(([column]) => column),
    ...objects.map((item) => columns.map(([column]) => cell(Columns.at(item, column))))
  ]
  const text = (row: ReadonlyArray<string>) =>
    row.map((value, i) => clip(value, columns[i]![1]).padEnd(columns[i]![1])).join("  ").trimEnd()
  return rows.map((row) => (asked === undefined ? clip(text(row), width) : text(row))).join("\n")
}

/** One object as key/value rows (the `--columns` only, when given); nested values as one-line JSON. */
export const record = (value: unknown, width: number): string => {
  if (!isObject(value)) return clip(cell(value), width)
  const asked = view.columns ?? view.fields
  const keys = asked ?? Object.keys(value).filter((k) => value[k] !== undefined)
  if (keys.length === 0) return "(empty)"
  const keyWidth = Math.max(...keys.map((k) => k.length))
  return keys.map((key) => clip(`${key.padEnd(keyWidth)}  ${cell(Columns.at(value, key))}`, width)).join("\n")
}

/** The whole output for one value (not a list) in a format. */
export const single = (format: Format, value: unknown, width: number): string => {
  if (Array.isArray(value)) return list(format, value, width)
  switch (format) {
    case "json":
      return json(value)
    case "ndjson":
      return line(value)
    case "yaml":
      return yaml(value)
    case "table":
      return record(value, width)
  }
}

/** The whole output for a list that is already complete. */
export const list = (format: Format, items: ReadonlyArray<unknown>, width: number): string => {
  switch (format) {
    case "json":
      return json(items)
    case "ndjson":
      return items.map(line).join("\n")
    case "yaml":
      return items.length === 0 ? "[]" : items.map(yamlItem).join("\n")
    case "table":
      return table(items, width)
  }
}
