/**
 * The deliberate deviations from the official spec, read from `packages/core/codegen/deviations.ts`
 * (owned by the generator). Read loosely, at run time, so the test does not depend on the file's exact
 * export name or on it existing at all.
 */
import { existsSync } from "node:fs"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { repoRoot } from "./spec.js"

/** One deliberate deviation: an operation or a named schema (or a rule), what differs and why. */
export interface Deviation {
  /** How the entry names what it is about, as written. */
  readonly where: string
  /** The operation (spec operationId or our id) or schema named, explicitly or by the start of `where`. */
  readonly target?: string | undefined
  /** A single property of the target schema, for `Schema.property` entries. */
  readonly field?: string | undefined
  readonly what: string
  readonly why: string
  /** Everything the entry says, lower-cased, for matching general rules. */
  readonly text: string
}

export const deviationsPath = path.resolve(repoRoot, "packages/core/codegen/deviations.ts")

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined

/** The listed deviations, or `undefined` when the file does not exist. */
export const loadDeviations = async (): Promise<ReadonlyArray<Deviation> | undefined> => {
  if (!existsSync(deviationsPath)) return undefined
  const module = await import(pathToFileURL(deviationsPath).href) as Record<string, unknown>
  const list = Array.isArray(module["deviations"])
    ? module["deviations"]
    : Object.values(module).find((value) => Array.isArray(value))
  if (!Array.isArray(list)) throw new Error(`${deviationsPath} exports no list of deviations`)
  return list.map((entry: Record<string, unknown>): Deviation => {
    // Either `{ operationId?, schema?, what, why }` or `{ where, spec, ours, why }`.
    const what = text(entry["what"]) ??
      [text(entry["spec"]) && `spec: ${entry["spec"]}`, text(entry["ours"]) && `ours: ${entry["ours"]}`]
        .filter(Boolean).join("; ")
    const where = text(entry["where"]) ?? ""
    // `where` starts with the thing it is about: an operationId, a schema, or `Schema.property`.
    const target = /^([A-Za-z0-9_.-]+)(?=\s|\(|$)/.exec(where.trim())?.[1]
    const explicit = text(entry["operationId"]) ?? text(entry["operation"]) ?? text(entry["schema"])
    const named = explicit ?? target
    const dot = named?.indexOf(".") ?? -1
    // Our operation ids contain a dot too (`agents.get`): only a schema name is split at it.
    const isOurId = named !== undefined && /^[a-z][a-z-]*\.[a-z][A-Za-z]*$/.test(named)
    return {
      where: where || explicit || "",
      target: dot > 0 && !isOurId ? named!.slice(0, dot) : named,
      field: dot > 0 && !isOurId ? named!.slice(dot + 1) : undefined,
      what,
      why: text(entry["why"]) ?? "",
      text: [where, what, text(entry["why"])].filter(Boolean).join(" ").toLowerCase()
    }
  })
}
