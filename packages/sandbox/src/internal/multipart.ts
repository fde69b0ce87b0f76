/**
 * Reading `multipart/form-data` bodies, for the operations whose `bodyEncoding` is `multipart`: the
 * parts become the values the operation's body schema decodes (files as the core's `FilePart`).
 */
import { type Endpoint, Wire } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"

/** A part of a multipart body. */
export interface Part {
  readonly name: string
  readonly filename: string | undefined
  readonly contentType: string | undefined
  readonly data: Buffer
}

/** The boundary of a `multipart/form-data` content type, or `undefined` when it is not one. */
export const boundaryOf = (contentType: string | undefined): string | undefined => {
  if (contentType === undefined) return undefined
  const [type, ...params] = contentType.split(";").map((s) => s.trim())
  if (type?.toLowerCase() !== "multipart/form-data") return undefined
  for (const param of params) {
    const eq = param.indexOf("=")
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== "boundary") continue
    const value = param.slice(eq + 1).trim()
    const unquoted = value.startsWith("\"") && value.endsWith("\"") ? value.slice(1, -1) : value
    return unquoted === "" ? undefined : unquoted
  }
  return undefined
}

const headerParam = (header: string, name: string): string | undefined => {
  const match = new RegExp(`(?:^|;)\\s*${name}="((?:[^"\\\\]|\\\\.)*)"`, "i").exec(header) ??
    new RegExp(`(?:^|;)\\s*${name}=([^;]*)`, "i").exec(header)
  return match === null ? undefined : match[1]!.replace(/\\(.)/g, "$1").trim()
}

/** Splits a multipart body into its parts; `undefined` when it is malformed. */
export const parse = (body: Buffer, boundary: string): ReadonlyArray<Part> | undefined => {
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: Array<Part> = []
  let at = body.indexOf(delimiter)
  if (at < 0) return undefined
  for (;;) {
    at += delimiter.length
    // `--` after a delimiter closes the body.
    if (body[at] === 0x2d && body[at + 1] === 0x2d) return parts
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2
    else if (body[at] === 0x0a) at += 1
    else return undefined
    const next = body.indexOf(delimiter, at)
    if (next < 0) return undefined
    let end = next
    if (body[end - 1] === 0x0a) end--
    if (body[end - 1] === 0x0d) end--
    const part = body.subarray(at, end)
    let headerEnd = part.indexOf("\r\n\r\n")
    let skip = 4
    if (headerEnd < 0) {
      headerEnd = part.indexOf("\n\n")
      skip = 2
    }
    if (headerEnd < 0) return undefined
    const headers = new Map<string, string>()
    for (const line of part.subarray(0, headerEnd).toString("utf8").split(/\r?\n/)) {
      const colon = line.indexOf(":")
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
    }
    const disposition = headers.get("content-disposition")
    const name = disposition === undefined ? undefined : headerParam(disposition, "name")
    if (name === undefined) return undefined
    parts.push({
      name,
      filename: disposition === undefined ? undefined : headerParam(disposition, "filename"),
      contentType: headers.get("content-type"),
      data: part.subarray(headerEnd + skip)
    })
    at = next
  }
}

/**
 * The body a multipart request stands for, or a message saying why it cannot be read. A file part
 * becomes `{ name, content, contentType }` (the core's `FilePart`), grouped by field name into a list;
 * a text part gives its text (a repeated one, a list).
 */
export const toBody = (
  contentType: string | undefined,
  body: Buffer
): { readonly body: Record<string, unknown> } | { readonly problem: string } => {
  const boundary = boundaryOf(contentType)
  if (boundary === undefined) return { problem: "body: expected multipart/form-data with a boundary" }
  const parts = parse(body, boundary)
  if (parts === undefined) return { problem: "body: is not well-formed multipart/form-data" }
  const fields: Record<string, unknown> = {}
  for (const part of parts) {
    if (part.filename !== undefined) {
      const file = {
        name: part.filename,
        content: new Uint8Array(part.data),
        contentType: part.contentType ?? "application/octet-stream"
      }
      const list = fields[part.name]
      if (Array.isArray(list)) list.push(file)
      else fields[part.name] = [file]
    } else {
      const text = part.data.toString("utf8")
      const prior = fields[part.name]
      fields[part.name] = prior === undefined ? text : Array.isArray(prior) ? [...prior, text] : [prior, text]
    }
  }
  return { body: fields }
}

const preserve = { errors: "all", onExcessProperty: "preserve" } as const

/**
 * Decodes a multipart request: path and query as usual, the body (already read into values) with the
 * operation's body schema. Problems carry field paths, as for JSON requests.
 */
export const decodeRequest = (
  endpoint: Endpoint.Any,
  raw: { readonly pathParams: Readonly<Record<string, string | undefined>>; readonly searchParams: URLSearchParams },
  body: Record<string, unknown>
): Effect.Effect<Record<string, unknown>, Wire.RequestInvalid> =>
  Effect.gen(function*() {
    const issues: Array<Wire.Issue> = []
    const rest = yield* Wire.decodeRequest({ ...endpoint, body: undefined, bodyRequired: false }, {
      ...raw,
      bodyText: undefined
    }).pipe(Effect.catchAll((e) => (issues.push(...e.issues), Effect.succeed({}))))
    const decoded = endpoint.body === undefined ? undefined : yield* Schema.decodeUnknown(
      endpoint.body as Schema.Schema<unknown, unknown, never>,
      preserve
    )(body).pipe(Effect.catchAll((e) => (issues.push(...Wire.issuesOf("body", e)), Effect.succeed(undefined))))
    if (issues.length > 0) return yield* new Wire.RequestInvalid({ issues })
    return decoded === undefined ? rest : { ...rest, body: decoded }
  })
