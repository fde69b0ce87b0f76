/**
 * The files of `dixa export`: the items as NDJSON or CSV, and the checkpoint beside them (`FILE.checkpoint`) that
 * says which page comes next and how many bytes of FILE are complete, so that an interrupted export can go on.
 *
 * @since 0.2.0
 */
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as fs from "node:fs"
import * as path from "node:path"

/** What an export writes. */
export type Format = "ndjson" | "csv"

/** The format a file's extension asks for: `.ndjson` or `.jsonl`, or `.csv`; `undefined` for anything else. */
export const formatOf = (file: string): Format | undefined => {
  const ext = path.extname(file).toLowerCase()
  return ext === ".ndjson" || ext === ".jsonl" ? "ndjson" : ext === ".csv" ? "csv" : undefined
}

/** Where an export stands, as saved after each page. */
export interface Checkpoint {
  readonly operation: string
  /** The encoded query the export was started with (without the page key): a resume must ask the same. */
  readonly query: string
  /** The key of the next page to fetch; none before the first page. */
  readonly pageKey?: string | undefined
  readonly pages: number
  readonly items: number
  /** How many bytes of the file are complete; anything after them is cut on resume. */
  readonly bytes: number
  /** The CSV columns, as written in the header. */
  readonly columns?: ReadonlyArray<string> | undefined
}

/** The checkpoint's path for an export file. */
export const checkpointOf = (file: string): string => `${file}.checkpoint`

/** Reads a checkpoint; `undefined` when there is none, an `Error` when it cannot be read. */
export const readCheckpoint = (file: string): Checkpoint | undefined | Error => {
  let text: string
  try {
    text = fs.readFileSync(checkpointOf(file), "utf8")
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ENOENT" ? undefined : (e as Error)
  }
  try {
    const value = JSON.parse(text) as Checkpoint
    if (typeof value.operation !== "string" || typeof value.bytes !== "number") throw new Error("not a checkpoint")
    return value
  } catch (e) {
    return new Error(`${checkpointOf(file)} cannot be read: ${(e as Error).message}`)
  }
}

/** Saves a checkpoint whole or not at all (written beside it, then renamed over it). */
export const writeCheckpoint = (file: string, checkpoint: Checkpoint): void => {
  const target = checkpointOf(file)
  const temporary = `${target}.${process.pid}`
  fs.writeFileSync(temporary, JSON.stringify(checkpoint) + "\n")
  fs.renameSync(temporary, target)
}

/** Removes the checkpoint of a finished export. */
export const removeCheckpoint = (file: string): void => fs.rmSync(checkpointOf(file), { force: true })

/** Appends text to an open file and flushes it to disk; returns the bytes written. */
export const append = (fd: number, text: string): number => {
  const bytes = Buffer.from(text, "utf8")
  let done = 0
  while (done < bytes.byteLength) done += fs.writeSync(fd, bytes, done)
  fs.fdatasyncSync(fd)
  return bytes.byteLength
}

/** The property names of an object schema's encoded side, in order; a union gives those of all its members. */
const namesOf = (ast: AST.AST, out: Array<string>): void => {
  switch (ast._tag) {
    case "TypeLiteral":
      for (const p of ast.propertySignatures) {
        if (typeof p.name === "string" && !out.includes(p.name)) out.push(p.name)
      }
      return
    case "Union":
      return ast.types.forEach((member) => namesOf(member, out))
    case "Suspend":
      return namesOf(ast.f(), out)
    case "Refinement":
      return namesOf(ast.from, out)
    case "Transformation":
      return namesOf(ast.from, out)
    default:
      return
  }
}

/** The CSV columns for items of a schema: the fields of its JSON form; `value` when the items are not objects. */
export const columnsOf = (item: Schema.Schema.Any): Array<string> => {
  const names: Array<string> = []
  namesOf(AST.encodedAST(item.ast), names)
  return names.length === 0 ? ["value"] : names
}

const cell = (value: unknown): string => {
  const text = value === undefined || value === null
    ? ""
    : typeof value === "object"
    ? JSON.stringify(value)
    : String(value)
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, "\"\"")}"` : text
}

/** One CSV row (with its line end): nested values as JSON text, quoted as RFC 4180 says. */
export const csvRow = (values: ReadonlyArray<unknown>): string => values.map(cell).join(",") + "\r\n"

/** An item as a line of the file. */
export const lineOf = (format: Format, columns: ReadonlyArray<string>, item: unknown): string => {
  if (format === "ndjson") return JSON.stringify(item) + "\n"
  const isObject = typeof item === "object" && item !== null && !Array.isArray(item)
  if (!isObject) return csvRow([item])
  return csvRow(columns.map((name) => (item as Record<string, unknown>)[name]))
}
