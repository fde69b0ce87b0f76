/**
 * Reading the official Dixa OpenAPI document (kept beside the repository, never in it) and the small
 * amount of schema reasoning the contract test needs: following `$ref`s, merging `allOf`, and reducing a
 * schema to its type family and its required fields.
 */
import { existsSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import YAML from "yaml"

/** The repository root (this file is `packages/core/test/support/spec.ts`). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..")

/** Where the official document lives: `../shared/dixa-spec/` beside the repository. */
export const specPath = path.resolve(repoRoot, "../shared/dixa-spec/dixa-api-beta.yaml")

/** Why a test that needs the official document is skipped. */
export const specMissing = `the official spec is not beside the repo (expected ${specPath})`

/** A parsed OpenAPI document, read loosely: these are documents we do not control. */
export type Doc = { readonly [key: string]: any }

let cached: Doc | undefined

/** The official document, or `undefined` when it is not beside the repository. */
export const loadSpec = (): Doc | undefined => {
  if (cached !== undefined) return cached
  if (!existsSync(specPath)) return undefined
  cached = YAML.parse(readFileSync(specPath, "utf8")) as Doc
  return cached
}

export const methods = ["get", "post", "put", "patch", "delete"] as const

/** One operation of a document. */
export interface OperationRef {
  readonly method: (typeof methods)[number]
  readonly path: string
  readonly operationId: string
  readonly op: Doc
}

/** Every operation of a document, in document order. */
export const operations = (doc: Doc): ReadonlyArray<OperationRef> => {
  const out: Array<OperationRef> = []
  for (const [p, item] of Object.entries<Doc>(doc["paths"] ?? {})) {
    for (const method of methods) {
      const op = item[method]
      if (op !== undefined) out.push({ method, path: p, operationId: String(op.operationId), op })
    }
  }
  return out
}

/** `GET /beta/agents/{}`: a key that ignores the names of path parameters. */
export const routeKey = (method: string, template: string): string =>
  `${method.toUpperCase()} ${template.replace(/\{[^}]+\}/g, "{}")}`

/** Follows `$ref`s (local ones only) until a schema that is not a reference. */
export const deref = (doc: Doc, schema: unknown): Doc => {
  let current = schema as Doc | undefined
  for (let i = 0; i < 32 && current !== undefined && typeof current["$ref"] === "string"; i++) {
    const ref: string = current["$ref"]
    if (!ref.startsWith("#/")) throw new Error(`cannot follow ${ref}`)
    current = ref.slice(2).split("/").reduce<any>(
      (node, key) => node?.[key.replace(/~1/g, "/").replace(/~0/g, "~")],
      doc
    )
    if (current === undefined) throw new Error(`dangling reference ${ref}`)
  }
  return current ?? {}
}

/** The type family of a schema: what a value of it looks like in JSON. */
export type Family = "string" | "integer" | "number" | "boolean" | "array" | "object" | "null" | "any" | "mixed"

const isNull = (doc: Doc, schema: unknown): boolean => deref(doc, schema)["type"] === "null"

/**
 * A union member that accepts any object: our `_type` unions end with `Model.UnknownVariant` so that
 * variants added to the API later still decode, and a few unions end with "any object". Unions are
 * compared without these members; whether a union has one is compared on its own.
 */
const isCatchAll = (schema: unknown): boolean => {
  if (typeof schema !== "object" || schema === null) return false
  const s = schema as Doc
  if (s["$ref"] === "#/components/schemas/UnknownVariant") return true
  return s["$ref"] === undefined && s["type"] === "object" && Object.keys(s["properties"] ?? {}).length === 0 &&
    (s["additionalProperties"] === true || (typeof s["additionalProperties"] === "object" && s["oneOf"] === undefined))
}

/** The members of a union that say something about the API (no `null`, no catch-all). */
export const unionMembers = (doc: Doc, schema: unknown): ReadonlyArray<unknown> | undefined => {
  const s = deref(doc, schema)
  const members = s["oneOf"] ?? s["anyOf"]
  if (!Array.isArray(members)) return undefined
  return members.filter((m: unknown) => !isNull(doc, m) && !isCatchAll(m))
}

/** Whether a union schema has a member that accepts any object. */
export const hasCatchAll = (doc: Doc, schema: unknown): boolean => {
  const s = deref(doc, schema)
  const members = s["oneOf"] ?? s["anyOf"]
  return Array.isArray(members) && members.some(isCatchAll)
}

/** The component a schema stands for, when it is a plain reference (possibly made nullable). */
export const refName = (schema: unknown): string | undefined => {
  if (typeof schema !== "object" || schema === null) return undefined
  const s = schema as Doc
  const ref = s["$ref"] ?? (Array.isArray(s["allOf"]) && s["allOf"].length === 1 ? s["allOf"][0]?.["$ref"] : undefined)
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.slice(21) : undefined
}

/** A union whose members are all objects without properties: names dressed as schemas. */
export const isEmptyObjectUnion = (doc: Doc, schema: unknown): boolean => {
  const members = unionMembers(doc, schema)
  return members !== undefined && members.length > 0 && members.every((m) => {
    const s = deref(doc, m)
    return Object.keys(s["properties"] ?? {}).length === 0 && (s["required"] ?? []).length === 0 &&
      s["oneOf"] === undefined && s["anyOf"] === undefined && s["allOf"] === undefined
  })
}

/** Reduces a schema to its type family, looking through references, `allOf`, unions and enums. */
export const family = (doc: Doc, schema: unknown): Family => {
  const s = deref(doc, schema)
  if (typeof s["type"] === "string") return s["type"] as Family
  if (Array.isArray(s["allOf"])) {
    const families = s["allOf"].map((m: unknown) => family(doc, m)).filter((f: Family) => f !== "any")
    return families[0] ?? "any"
  }
  const members = unionMembers(doc, s)
  if (members !== undefined) {
    const families = new Set<Family>(members.map((m) => family(doc, m)))
    families.delete("any")
    return families.size === 1 ? [...families][0]! : families.size === 0 ? "any" : "mixed"
  }
  if (Array.isArray(s["enum"]) && s["enum"].length > 0) {
    const kinds = new Set(s["enum"].map((v: unknown) => typeof v))
    if (kinds.size === 1) {
      const kind = [...kinds][0]
      if (kind === "string" || kind === "boolean") return kind
      if (kind === "number") return s["enum"].every(Number.isInteger) ? "integer" : "number"
    }
    return "mixed"
  }
  if (s["properties"] !== undefined || s["additionalProperties"] !== undefined) return "object"
  if (s["items"] !== undefined) return "array"
  return "any"
}

/**
 * The names of the fields an object schema requires. `allOf` requires what any member requires; a
 * union requires what every member requires; an array requires what its items require.
 */
export const requiredFields = (doc: Doc, schema: unknown): ReadonlyArray<string> => {
  const s = deref(doc, schema)
  const out = new Set<string>(Array.isArray(s["required"]) ? s["required"] : [])
  if (Array.isArray(s["allOf"])) { for (const m of s["allOf"]) for (const f of requiredFields(doc, m)) out.add(f) }
  const members = unionMembers(doc, s)?.map((m) => requiredFields(doc, m))
  if (members !== undefined && members.length > 0) {
    for (const f of members[0]!) if (members.every((m) => m.includes(f))) out.add(f)
  }
  if (s["type"] === "array" && s["items"] !== undefined) { for (const f of requiredFields(doc, s["items"])) out.add(f) }
  return [...out].sort()
}

/** The direct properties of an object schema, `allOf` members merged. */
export const properties = (doc: Doc, schema: unknown): Readonly<Record<string, unknown>> => {
  const s = deref(doc, schema)
  let out: Record<string, unknown> = { ...(s["properties"] ?? {}) }
  if (Array.isArray(s["allOf"])) { for (const m of s["allOf"]) out = { ...properties(doc, m), ...out } }
  return out
}

const typeTag = (doc: Doc, schema: unknown): string | undefined => {
  const values = deref(doc, properties(doc, schema)["_type"])["enum"]
  return Array.isArray(values) && values.length === 1 && typeof values[0] === "string" ? values[0] : undefined
}

const fieldNames = (doc: Doc, schema: unknown): Set<string> =>
  new Set(Object.keys(properties(doc, schema)).filter((name) => name !== "_type"))

/**
 * Pairs the members of two unions: the same component name first, then by our `_type` literal and the
 * fields they share (each member goes to the one other member it scores best with; ties pair nothing).
 * Member order is not trusted: a generator may reorder members to decode the most specific first.
 */
const pairMembers = (
  ours: Doc,
  spec: Doc,
  om: ReadonlyArray<unknown>,
  sm: ReadonlyArray<unknown>,
  known: ReadonlyMap<string, string>
): Array<readonly [unknown, unknown]> => {
  const out: Array<readonly [unknown, unknown]> = []
  const left = new Set(om)
  const right = new Set(sm)
  for (const m of om) {
    const name = refName(m)
    const target = name === undefined ? undefined : known.get(name) ?? name
    const n = sm.find((x) => right.has(x) && target !== undefined && refName(x) === target)
    if (n !== undefined) {
      out.push([m, n])
      left.delete(m)
      right.delete(n)
    }
  }
  for (const m of left) {
    const mine = fieldNames(ours, m)
    const tag = typeTag(ours, m)
    const scored = [...right].map((n) => {
      const theirs = fieldNames(spec, n)
      const shared = [...mine].filter((f) => theirs.has(f)).length
      // Our `_type` literal is the variant's name in the spec's examples: the spec's name without a number.
      const named = tag !== undefined && tag === refName(n)?.replace(/\d+$/, "") ? 1 : 0
      return { n, score: named + shared / Math.max(1, new Set([...mine, ...theirs]).size) }
    }).sort((a, b) => b.score - a.score)
    const best = scored[0]
    if (best === undefined || best.score === 0 || scored[1]?.score === best.score) continue
    out.push([m, best.n])
    right.delete(best.n)
  }
  return out
}

/**
 * Pairs our component schemas with the spec's by where they are used, for schemas we renamed: starting
 * from schemas known to correspond (an operation's request and response bodies), both sides are walked
 * in step (same property, array items, map values, corresponding union members) and the components met
 * at the same place are paired. Returns our name → the spec's name; a name is paired once, first come.
 */
export const pairComponents = (
  ours: Doc,
  spec: Doc,
  roots: ReadonlyArray<readonly [unknown, unknown]>
): ReadonlyMap<string, string> => {
  const pairs = new Map<string, string>()
  const seen = new Set<unknown>()
  const visit = (o: unknown, s: unknown, depth: number): void => {
    if (depth > 40 || o === undefined || s === undefined) return
    const on = refName(o)
    const sn = refName(s)
    if (on !== undefined && sn !== undefined) {
      if (pairs.has(on)) return
      pairs.set(on, sn)
    }
    const od = deref(ours, o)
    const sd = deref(spec, s)
    if (seen.has(od)) return
    seen.add(od)
    const op = properties(ours, od)
    const sp = properties(spec, sd)
    for (const f of Object.keys(op)) if (f in sp) visit(op[f], sp[f], depth + 1)
    if (od["items"] !== undefined && sd["items"] !== undefined) visit(od["items"], sd["items"], depth + 1)
    const oa = od["additionalProperties"]
    const sa = sd["additionalProperties"]
    if (typeof oa === "object" && typeof sa === "object") visit(oa, sa, depth + 1)
    const om = unionMembers(ours, od)
    const sm = unionMembers(spec, sd)
    if (om !== undefined && sm !== undefined) {
      for (const [m, n] of pairMembers(ours, spec, om, sm, pairs)) visit(m, n, depth + 1)
    }
  }
  for (const [o, s] of roots) visit(o, s, 0)
  return pairs
}
