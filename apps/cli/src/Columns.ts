/**
 * Which fields a table shows and which fields `--fields` keeps. Items are flattened to dot paths
 * (`attributes.content.value`, two levels of nesting at most), ranked so that what a person reads first
 * (names, email, text, status, availability) comes before ids and timestamps, and fitted to the width
 * by leaving out the lowest-ranked columns. Columns the user names are always shown, in their order.
 *
 * @since 0.1.0
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean"

const scalarList = (value: unknown): boolean => Array.isArray(value) && value.length > 0 && value.every(isScalar)

/** Nesting levels below the item that still become columns: `a.b.c` at most. */
const depth = 2

/** An item's scalar values (and lists of scalars) by dot path, in the item's own order. */
export const flatten = (item: Record<string, unknown>, prefix = "", level = 0): Array<[string, unknown]> =>
  Object.entries(item).flatMap(([key, value]): Array<[string, unknown]> => {
    const path = prefix + key
    if (isScalar(value) || scalarList(value)) return [[path, value]]
    if (isObject(value) && level < depth) return flatten(value, path + ".", level + 1)
    return []
  })

/** The value at a dot path, or `undefined`. */
export const at = (item: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), item)

const human = /^(name|displayName|title|subject|email|text|value|body|message|status|state|availability|channel)$/i
const humanEnd = /(Name|Email|Status|State|Availability|Channel|Text)$/
const identifying = /^(id|_?type|key)$|Id$|Ids$/
const timestamp = /(At|Date|Time|Timestamp)$|^(created|updated|date|time|timestamp)$/

/** Lower is shown first: human fields, then other values, then types and ids, then timestamps. */
export const rank = (path: string): number => {
  const last = path.slice(path.lastIndexOf(".") + 1)
  if (timestamp.test(last)) return 4
  if (last === "_type") return path.includes(".") ? 3 : 2
  if (identifying.test(last)) return 3
  return human.test(last) || humanEnd.test(last) ? 0 : 1
}

/** Every column the items have, best first (ties keep the order fields first appear in). */
export const ranked = (items: ReadonlyArray<Record<string, unknown>>): Array<string> => {
  const seen: Array<string> = []
  for (const item of items) for (const [path] of flatten(item)) if (!seen.includes(path)) seen.push(path)
  return seen.map((path, i) => [path, rank(path), i] as const)
    .sort((a, b) => a[1] - b[1] || a[2] - b[2])
    .map(([path]) => path)
}

/** The widest a chosen column gets before its values are cut. */
export const maxWidth = 40

/**
 * The columns that fit in `width`, taken best first, each as wide as its widest value (at most
 * {@link maxWidth}); the first column is always kept. Returned in display order, with their widths.
 */
export const fit = (
  columns: ReadonlyArray<string>,
  natural: (column: string) => number,
  width: number
): Array<readonly [string, number]> => {
  const chosen: Array<readonly [string, number]> = []
  let used = 0
  for (const column of columns) {
    const w = Math.min(maxWidth, natural(column))
    const needed = used === 0 ? w : used + 2 + w
    if (chosen.length > 0 && needed > width) continue
    chosen.push([column, w])
    used = needed
  }
  return chosen
}

/** Keeps only the given dot paths of a value (of each item, for an array), in their nesting. */
export const pick = (value: unknown, paths: ReadonlyArray<string>): unknown => {
  if (Array.isArray(value)) return value.map((item) => pick(item, paths))
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const path of paths) {
    const found = at(value, path)
    if (found === undefined) continue
    const keys = path.split(".")
    let target = out
    for (const key of keys.slice(0, -1)) {
      const next = isObject(target[key]) ? target[key] : {}
      target[key] = next
      target = next
    }
    target[keys[keys.length - 1]!] = found
  }
  return out
}

/** `a, b.c,,d` → `["a", "b.c", "d"]`. */
export const parseList = (text: string): Array<string> => text.split(",").map((s) => s.trim()).filter((s) => s !== "")
