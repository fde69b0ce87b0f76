/**
 * Rendering results: pretty JSON, NDJSON, YAML and plain tables. Every value here is already in its
 * JSON form (encoded with the endpoint's schema), so dates are strings and ids are plain.
 *
 * @since 0.1.0
 */

/** The output formats. */
export const formats = ["json", "ndjson", "table", "yaml"] as const
export type Format = (typeof formats)[number]

/** Table when stdout is a terminal, JSON otherwise. */
export const defaultFormat = (isTty: boolean): Format => (isTty ? "table" : "json")

/** Pretty JSON, two spaces. */
export const json = (value: unknown): string => JSON.stringify(value, null, 2)

/** One line. */
export const line = (value: unknown): string => JSON.stringify(value)

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

/** A YAML document for a JSON value. */
export const yaml = (value: unknown): string => yamlLines(value, "").join("\n")

/** One item of a YAML sequence, for printing a list as it arrives. */
export const yamlItem = (value: unknown): string => yamlLines([value], "").join("\n")

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"

const cell = (value: unknown): string => {
  if (value === undefined) return ""
  if (value === null) return "-"
  const text = typeof value === "string" ? value : JSON.stringify(value)
  return text.replace(/\s+/g, " ")
}

const clip = (text: string, width: number): string =>
  text.length <= width ? text : width <= 1 ? text.slice(0, width) : text.slice(0, width - 1) + "…"

/**
 * A list as a table: a column per top-level scalar field (in order of first appearance), each line
 * cut to `width` characters.
 */
export const table = (items: ReadonlyArray<unknown>, width: number): string => {
  if (items.length === 0) return "(no items)"
  if (!items.every(isObject)) return items.map((item) => clip(cell(item), width)).join("\n")
  const columns: Array<string> = []
  for (const item of items as ReadonlyArray<Record<string, unknown>>) {
    for (const [key, value] of Object.entries(item)) {
      if (!columns.includes(key) && isScalar(value)) columns.push(key)
    }
  }
  if (columns.length === 0) return items.map((item) => clip(line(item), width)).join("\n")
  const rows = [
    columns,
    ...(items as ReadonlyArray<Record<string, unknown>>).map((item) => columns.map((c) => cell(item[c])))
  ]
  const widths = columns.map((_, i) => Math.min(60, Math.max(...rows.map((row) => row[i]!.length))))
  return rows
    .map((row) => clip(row.map((value, i) => clip(value, widths[i]!).padEnd(widths[i]!)).join("  ").trimEnd(), width))
    .join("\n")
}

/** One object as key/value rows; nested values as one-line JSON. */
export const record = (value: unknown, width: number): string => {
  if (!isObject(value)) return clip(cell(value), width)
  const keys = Object.keys(value).filter((k) => value[k] !== undefined)
  if (keys.length === 0) return "(empty)"
  const keyWidth = Math.max(...keys.map((k) => k.length))
  return keys.map((key) => clip(`${key.padEnd(keyWidth)}  ${cell(value[key])}`, width)).join("\n")
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
