/**
 * The state as rows, and back. Each top-level key of the state is an entry; a key holding a list of objects
 * or a record of objects keeps each member in its own item row, so a change to one agent rewrites one row.
 * Nothing here knows the state's fields: it walks whatever keys the state has.
 */

/** How a top-level key is kept: its whole JSON in the entry, or one item row per member. */
export type Shape = "value" | "list" | "record"

/** One top-level key: its place among the keys, its shape, and its JSON when the shape is `value`. */
export interface Entry {
  readonly name: string
  readonly position: number
  readonly shape: Shape
  readonly json: string | null
}

/** One member of a list (keyed by its `id`, or its index when the members have no unique id) or a record. */
export interface Item {
  readonly name: string
  readonly key: string
  readonly position: number
  readonly json: string
}

/** The rows of a whole state, by entry name and by {@link itemId}. */
export interface Rows {
  readonly entries: ReadonlyMap<string, Entry>
  readonly items: ReadonlyMap<string, Item>
}

/** What to write to go from one set of rows to another. */
export interface Changes {
  readonly entries: ReadonlyArray<Entry>
  readonly removedEntries: ReadonlyArray<string>
  readonly items: ReadonlyArray<Item>
  readonly removedItems: ReadonlyArray<Pick<Item, "name" | "key">>
}

/** The map key of an item row. */
export const itemId = (name: string, key: string): string => `${name}\u0000${key}`

const isObject = (u: unknown): u is object => typeof u === "object" && u !== null

const isPlainObject = (u: unknown): u is Record<string, unknown> => isObject(u) && !Array.isArray(u)

const shapeOf = (value: unknown): Shape => {
  if (Array.isArray(value)) return value.length > 0 && value.every(isPlainObject) ? "list" : "value"
  if (isPlainObject(value)) {
    const members = Object.values(value)
    return members.length > 0 && members.every(isObject) ? "record" : "value"
  }
  return "value"
}

/** The keys of a list's members: their ids when every member has a distinct string or number id, else indexes. */
const listKeys = (list: ReadonlyArray<Record<string, unknown>>): ReadonlyArray<string> => {
  const ids = list.map((member) => member["id"])
  const keys = ids.map(String)
  const usable = ids.every((id) => typeof id === "string" || typeof id === "number") &&
    new Set(keys).size === keys.length
  return usable ? keys : list.map((_, i) => `#${i}`)
}

const membersOf = (shape: Shape, value: unknown): ReadonlyArray<readonly [string, unknown]> => {
  if (shape === "list") {
    const list = value as ReadonlyArray<Record<string, unknown>>
    const keys = listKeys(list)
    return list.map((member, i) => [keys[i]!, member] as const)
  }
  return shape === "record" ? Object.entries(value as Record<string, unknown>) : []
}

/** Serialises every key of a state (absent and `undefined` keys have no row, as in JSON). */
export const fromState = (state: object): Rows => {
  const entries = new Map<string, Entry>()
  const items = new Map<string, Item>()
  let position = 0
  for (const [name, value] of Object.entries(state)) {
    if (value === undefined) continue
    const shape = shapeOf(value)
    entries.set(name, { name, position: position++, shape, json: shape === "value" ? JSON.stringify(value) : null })
    membersOf(shape, value).forEach(([key, member], i) =>
      items.set(itemId(name, key), { name, key, position: i, json: JSON.stringify(member) })
    )
  }
  return { entries, items }
}

const byPosition = (a: { readonly position: number }, b: { readonly position: number }) => a.position - b.position

/** Rebuilds the state from its rows. */
export const toState = (entries: Iterable<Entry>, items: Iterable<Item>): Record<string, unknown> => {
  const members = new Map<string, Array<Item>>()
  for (const item of items) {
    const list = members.get(item.name)
    if (list === undefined) members.set(item.name, [item])
    else list.push(item)
  }
  const state: Record<string, unknown> = {}
  for (const entry of [...entries].sort(byPosition)) {
    const own = (members.get(entry.name) ?? []).sort(byPosition)
    state[entry.name] = entry.shape === "value"
      ? JSON.parse(entry.json ?? "null")
      : entry.shape === "list"
      ? own.map((item) => JSON.parse(item.json))
      : Object.fromEntries(own.map((item) => [item.key, JSON.parse(item.json)]))
  }
  return state
}

const sameEntry = (a: Entry, b: Entry) => a.position === b.position && a.shape === b.shape && a.json === b.json
const sameItem = (a: Item, b: Item) => a.position === b.position && a.json === b.json

/** The rows that differ between two states' rows: new or changed ones to write, gone ones to delete. */
export const diff = (before: Rows, after: Rows): Changes => ({
  entries: [...after.entries.values()].filter((e) => {
    const old = before.entries.get(e.name)
    return old === undefined || !sameEntry(old, e)
  }),
  removedEntries: [...before.entries.keys()].filter((name) => !after.entries.has(name)),
  items: [...after.items].filter(([id, item]) => {
    const old = before.items.get(id)
    return old === undefined || !sameItem(old, item)
  }).map(([, item]) => item),
  removedItems: [...before.items].filter(([id]) => !after.items.has(id)).map(([, { key, name }]) => ({ name, key }))
})

/** Whether there is nothing to write. */
export const isEmpty = (changes: Changes): boolean =>
  changes.entries.length === 0 && changes.removedEntries.length === 0 && changes.items.length === 0 &&
  changes.removedItems.length === 0
