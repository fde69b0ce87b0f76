/**
 * Cursor pagination as Dixa does it: `pageLimit`, an opaque base64 `pageKey`, and `meta.next` /
 * `meta.previous` as absolute URLs carrying both.
 */

/** The page size when the caller gives none. */
export const defaultPageLimit = 50

interface Cursor {
  /** Offset of the first item of the page. */
  readonly o: number
  /** Id of the item just before the page, when items have ids: keeps pages stable across deletes. */
  readonly k?: string
}

const encodeCursor = (cursor: Cursor): string => Buffer.from(JSON.stringify(cursor), "utf8").toString("base64")

/** Reads a page key; `undefined` when it is not one of ours. */
export const decodeCursor = (key: string): Cursor | undefined => {
  try {
    // A `+` pasted into a URL unencoded arrives as a space.
    const json: unknown = JSON.parse(Buffer.from(key.replace(/ /g, "+"), "base64").toString("utf8"))
    if (typeof json !== "object" || json === null) return undefined
    const { k, o } = json as { o?: unknown; k?: unknown }
    if (typeof o !== "number" || !Number.isInteger(o) || o < 0) return undefined
    return typeof k === "string" ? { o, k } : { o }
  } catch {
    return undefined
  }
}

const idOf = (item: unknown): string | undefined => {
  const id = typeof item === "object" && item !== null ? (item as { id?: unknown }).id : undefined
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined
}

/** One page out of every matching item, with the links to its neighbours. */
export interface Sliced {
  readonly items: ReadonlyArray<unknown>
  readonly meta: { next?: string; previous?: string }
}

/**
 * Cuts the page that `pageKey` points at. `requestUrl` is the absolute URL of the request; the links
 * keep its other query parameters and replace `pageKey` and `pageLimit`.
 */
export const slice = (
  all: ReadonlyArray<unknown>,
  cursor: Cursor | undefined,
  pageLimit: number,
  requestUrl: URL
): Sliced => {
  let start = cursor?.o ?? 0
  if (cursor?.k !== undefined) {
    const at = all.findIndex((item) => idOf(item) === cursor.k)
    if (at >= 0) start = at + 1
  }
  start = Math.min(start, all.length)
  const end = Math.min(start + pageLimit, all.length)
  const items = all.slice(start, end)
  const link = (target: Cursor) => {
    const url = new URL(requestUrl)
    url.searchParams.set("pageKey", encodeCursor(target))
    url.searchParams.set("pageLimit", String(pageLimit))
    return url.toString()
  }
  const meta: { next?: string; previous?: string } = {}
  if (end < all.length) {
    const lastId = idOf(all[end - 1])
    meta.next = link(lastId === undefined ? { o: end } : { o: end, k: lastId })
  }
  if (start > 0) {
    const from = Math.max(0, start - pageLimit)
    const beforeId = from > 0 ? idOf(all[from - 1]) : undefined
    meta.previous = link(beforeId === undefined ? { o: from } : { o: from, k: beforeId })
  }
  return { items, meta }
}
