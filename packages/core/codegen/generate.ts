/**
 * Writes `src/api/<Group>.ts` (one module per resource group), `src/api/Common.ts` (schemas shared by
 * several groups) and `src/Api.ts` from the Dixa OpenAPI spec and the hand-written table in
 * `operations.ts`. Only names, literals and types are taken from the spec, never its prose.
 *
 * Usage: tsx codegen/generate.ts [path/to/dixa-api-beta.yaml]
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"
import { type Brand, brands, byName, fields as brandFields, resourceIds } from "./brands.js"
import { schemaOverrides } from "./deviations.js"
import { type GroupName, groups, type Operation, operations } from "./operations.js"
import { call, type Entry, method, type Node, obj, print, raw } from "./printer.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const packageRoot = path.resolve(here, "..")
const repoRoot = path.resolve(packageRoot, "../..")

// ---------------------------------------------------------------------------------------------
// The spec, as far as we read it
// ---------------------------------------------------------------------------------------------

interface JsonSchema {
  readonly $ref?: string
  readonly type?: string
  readonly format?: string
  readonly enum?: ReadonlyArray<unknown>
  readonly nullable?: boolean
  readonly properties?: Readonly<Record<string, JsonSchema>>
  readonly required?: ReadonlyArray<string>
  readonly items?: JsonSchema
  readonly additionalProperties?: boolean | JsonSchema
  readonly oneOf?: ReadonlyArray<JsonSchema>
  readonly anyOf?: ReadonlyArray<JsonSchema>
  readonly allOf?: ReadonlyArray<JsonSchema>
  readonly minimum?: number
  readonly maximum?: number
  readonly minLength?: number
}

interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header" | "cookie"
  readonly required?: boolean
  readonly schema: JsonSchema
}

interface MediaType {
  readonly schema?: JsonSchema
}

interface SpecOperation {
  readonly operationId: string
  readonly deprecated?: boolean
  readonly parameters?: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly required?: boolean; readonly content: Readonly<Record<string, MediaType>> }
  readonly responses: Readonly<Record<string, { readonly content?: Readonly<Record<string, MediaType>> }>>
}

interface Spec {
  readonly paths: Readonly<Record<string, Readonly<Record<string, SpecOperation>>>>
  readonly components: { readonly schemas: Readonly<Record<string, JsonSchema>> }
}

/** Orders names as the formatter (dprint, through lint) orders imports and named imports: case-insensitively. */
const byLowerCase = (a: string, b: string): number => {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  return x < y ? -1 : x > y ? 1 : 0
}

/** A group's service: its tag, the layer over the client, and stubs for tests. */
const serviceCode = (group: string, module: string): string => {
  const fits = (line: string) => line.length <= 120
  const classHead = `export class ${module}`
  const classTail = `extends Context.Tag("@org/dixa-core/${module}")<${module}, ${module}Client>()`
  const classLine = fits(`${classHead} ${classTail} {}`)
    ? `${classHead} ${classTail} {}`
    : `${classHead}\n  ${classTail}\n{}`
  const layerHead = `export const layer: Layer.Layer<${module}, never, DixaClient.DixaClient> = GroupService.layer(`
  const layerLine = fits(`${layerHead}${module}, ${module}Api)`)
    ? `${layerHead}${module}, ${module}Api)`
    : `${layerHead}\n  ${module},\n  ${module}Api\n)`
  return `/** The methods of {@link ${module}}: one per operation, and \`xxxAll\` streams for the paginated ones. */
export type ${module}Client = DixaClient.GroupClient<typeof ${module}Api>

/**
 * The ${group} operations as a service: \`const ${lowerFirst(module)} = yield* ${module}.${module}\`. Provide it with
 * {@link layer} (or \`Api.layer\` for every group), or with {@link stub} in a test.
 */
${classLine}

/** {@link ${module}} through the \`DixaClient\` in context. */
${layerLine}

/**
 * {@link ${module}} answering from the functions given, for tests; calling any other operation dies with a message
 * naming it. A stubbed \`list\` also serves \`listAll\`, page by page.
 */
export const stub = (stubs: GroupService.Stubs<typeof ${module}Api>): Layer.Layer<${module}> =>
  GroupService.stub(${module}, ${module}Api, stubs)
`
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1)

const apiModule = () => {
  const modules = Object.values(groups).map((g) => g.module)
  const imports = [...modules].sort(byLowerCase).map((m) => `import * as ${m} from "./api/${m}.js"`).join("\n")
  const column = (items: ReadonlyArray<string>, indent: string) => items.map((i) => `${indent}${i}`).join(",\n")
  return `/**
 * The whole Dixa API as this SDK knows it: every group, every endpoint by id, and every group's service.
 *
 * Written by codegen/generate.ts.
 *
 * @since 0.1.0
 */
import * as Layer from "effect/Layer"
${imports}
import type * as DixaClient from "./DixaClient.js"
import type * as Endpoint from "./Endpoint.js"
import * as Group from "./Group.js"

/** Every group, in the order they are documented. */
export const groups = [
${column(modules.map((m) => `${m}.${m}Api`), "  ")}
] as const satisfies ReadonlyArray<Group.Any>

/** Every endpoint. */
export const endpoints: ReadonlyArray<Endpoint.Any> = groups.flatMap((group) => Group.endpoints(group))

/** Endpoints by id (\`agents.get\`). */
export const byId: ReadonlyMap<string, Endpoint.Any> = new Map(endpoints.map((e) => [e.id, e]))

/** Every group's service. */
export type Services =
${modules.map((m) => `  | ${m}.${m}`).join("\n")}

/** Every group's service, through the \`DixaClient\` in context. */
export const layer: Layer.Layer<Services, never, DixaClient.DixaClient> = Layer.mergeAll(
${column(modules.map((m) => `${m}.layer`), "  ")}
)
`
}

/**
 * Generates every file from the spec at `specPath`. Returns file paths relative to the package root
 * (`src/api/Agents.ts`, `src/Api.ts`) with their contents; writes nothing.
 */
export const generate = (specPath: string): ReadonlyMap<string, string> => {
  const spec = parse(fs.readFileSync(specPath, "utf8")) as Spec
  const components = spec.components.schemas

  const refName = (ref: string): string => ref.slice(ref.lastIndexOf("/") + 1)

  const resolve = (schema: JsonSchema): JsonSchema =>
    schema.$ref === undefined ? schema : components[refName(schema.$ref)]!

  const methods = ["get", "post", "put", "patch", "delete"] as const

  interface Op {
    readonly id: string
    readonly method: (typeof methods)[number]
    readonly path: string
    readonly spec: SpecOperation
    readonly table: Operation
  }

  const ops: Array<Op> = []
  for (const [p, item] of Object.entries(spec.paths)) {
    for (const m of methods) {
      const o = item[m]
      if (o === undefined) continue
      const table = operations[o.operationId]
      if (table === undefined) throw new Error(`operations.ts has no entry for ${o.operationId}`)
      ops.push({ id: o.operationId, method: m, path: p, spec: o, table })
    }
  }
  for (const id of Object.keys(operations)) {
    if (!ops.some((op) => op.id === id)) throw new Error(`operations.ts maps ${id}, which the spec does not have`)
  }
  {
    const seen = new Set<string>()
    for (const op of ops) {
      const key = `${op.table.group}.${op.table.name}`
      if (seen.has(key)) throw new Error(`two operations are named ${key}`)
      seen.add(key)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Unions: `_type` unions, string-like unions of empty objects, and the rest
  // ---------------------------------------------------------------------------------------------

  const isEmptyObject = (s: JsonSchema): boolean =>
    s.type === "object" && (s.properties === undefined || Object.keys(s.properties).length === 0) &&
    s.additionalProperties === undefined && s.oneOf === undefined

  /** The literal a variant carries: its component name without a numeric or generic suffix. */
  const variantLiteral = (component: string): string => component.replace(/_.*$/, "").replace(/\d+$/, "")

  type UnionKind = "strings" | "typed" | "plain"

  /** Every `_type` value that appears in the spec's examples: they say which unions are told apart by it. */
  const exampleTypes = new Set<string>()
  const collectTypes = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(collectTypes)
    else if (typeof value === "object" && value !== null) {
      const t = (value as Record<string, unknown>)["_type"]
      if (typeof t === "string") exampleTypes.add(t)
      Object.values(value).forEach(collectTypes)
    }
  }
  const findExamples = (node: unknown): void => {
    if (typeof node !== "object" || node === null) return
    for (const [key, value] of Object.entries(node)) {
      if (key === "example" || key === "examples") collectTypes(value)
      else findExamples(value)
    }
  }
  findExamples(spec)

  const unionKind = (s: JsonSchema): UnionKind => {
    const members = s.oneOf ?? s.anyOf ?? []
    if (members.every((m) => m.$ref !== undefined && isEmptyObject(resolve(m)))) return "strings"
    const objects = members.every((m) => m.$ref !== undefined && resolve(m).type === "object")
    if (objects && members.some((m) => exampleTypes.has(variantLiteral(refName(m.$ref!))))) return "typed"
    return "plain"
  }

  /** Components that are members of a `_type` union, with the literal they carry. */
  const variantOf = new Map<string, string>()
  /** The unions each component is a member of. */
  const parentsOf = new Map<string, Array<string>>()
  for (const [name, s] of Object.entries(components)) {
    const members = s.oneOf ?? s.anyOf
    if (members === undefined) continue
    for (const m of members) {
      if (m.$ref === undefined) continue
      const member = refName(m.$ref)
      parentsOf.set(member, [...(parentsOf.get(member) ?? []), name])
      if (unionKind(s) === "typed") variantOf.set(member, variantLiteral(member))
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Responses and dependencies
  // ---------------------------------------------------------------------------------------------

  type ResponseShape =
    | { readonly _tag: "Data"; readonly schema: JsonSchema }
    | { readonly _tag: "Page"; readonly item: JsonSchema }
    | { readonly _tag: "Body"; readonly schema: JsonSchema }
    | { readonly _tag: "Empty" }

  const successStatus = (op: Op): string => {
    const statuses = Object.keys(op.spec.responses).filter((s) => s.startsWith("2"))
    if (statuses.length !== 1) throw new Error(`${op.id}: expected one success status, got ${statuses.join(", ")}`)
    return statuses[0]!
  }

  const jsonContent = (content: Readonly<Record<string, MediaType>> | undefined): JsonSchema | undefined =>
    content?.["application/json"]?.schema

  const responseShape = (op: Op): ResponseShape => {
    const schema = jsonContent(op.spec.responses[successStatus(op)]!.content)
    if (schema === undefined) return { _tag: "Empty" }
    const resolved = resolve(schema)
    const props = resolved.properties
    if (props !== undefined && props["data"] !== undefined) {
      const keys = Object.keys(props)
      const data = props["data"]
      // A list is paginated when it has links to other pages, or when the operation takes a page size.
      const takesPages = (op.spec.parameters ?? []).some((p) => p.in === "query" && p.name === "pageLimit")
      const isList = data.type === "array" && keys.every((k) => k === "data" || k === "meta")
      if (isList && (props["meta"] !== undefined || takesPages)) return { _tag: "Page", item: data.items! }
      if (keys.length === 1) return { _tag: "Data", schema: data }
    }
    return { _tag: "Body", schema }
  }

  interface RequestBody {
    readonly schema: JsonSchema
    readonly required: boolean
    readonly encoding: "json" | "multipart"
  }

  const requestBody = (op: Op): RequestBody | undefined => {
    const rb = op.spec.requestBody
    if (rb === undefined) return undefined
    const json = rb.content["application/json"]?.schema
    if (json !== undefined) return { schema: json, required: rb.required ?? false, encoding: "json" }
    const multipart = rb.content["multipart/form-data"]?.schema
    if (multipart !== undefined) return { schema: multipart, required: rb.required ?? false, encoding: "multipart" }
    throw new Error(`${op.id}: unsupported request body ${Object.keys(rb.content).join(", ")}`)
  }

  /** The component names a schema refers to directly (not through other components). */
  const directRefs = (s: JsonSchema, into: Set<string> = new Set()): Set<string> => {
    if (s.$ref !== undefined) {
      into.add(refName(s.$ref))
      return into
    }
    if (s.properties !== undefined) { for (const p of Object.values(s.properties)) directRefs(p, into) }
    if (s.items !== undefined) directRefs(s.items, into)
    if (typeof s.additionalProperties === "object") directRefs(s.additionalProperties, into)
    const members = s.oneOf ?? s.anyOf
    if (members !== undefined && unionKind(s) !== "strings") { for (const m of members) directRefs(m, into) }
    if (s.allOf !== undefined) { for (const m of s.allOf) directRefs(m, into) }
    return into
  }

  const depsOf = new Map<string, ReadonlyArray<string>>()
  for (const [name, s] of Object.entries(components)) depsOf.set(name, [...directRefs(s)].sort())

  const opRoots = (op: Op): Array<string> => {
    const roots = new Set<string>()
    const body = requestBody(op)
    if (body !== undefined) directRefs(body.schema, roots)
    const shape = responseShape(op)
    if (shape._tag === "Data" || shape._tag === "Body") directRefs(shape.schema, roots)
    if (shape._tag === "Page") directRefs(shape.item, roots)
    for (const p of op.spec.parameters ?? []) directRefs(p.schema, roots)
    return [...roots]
  }

  /** Which groups use each component, directly or through other components. */
  const usedBy = new Map<string, Set<GroupName>>()
  const mark = (name: string, group: GroupName) => {
    const set = usedBy.get(name) ?? new Set()
    if (set.has(group)) return
    set.add(group)
    usedBy.set(name, set)
    for (const dep of depsOf.get(name) ?? []) mark(dep, group)
  }
  for (const op of ops) for (const root of opRoots(op)) mark(root, op.table.group)

  /** Components used other than as a member of a union: their `_type` is optional. */
  const usedDirectly = new Set<string>()
  const walkDirect = (s: JsonSchema): void => {
    if (s.$ref !== undefined) {
      usedDirectly.add(refName(s.$ref))
      return
    }
    if (s.properties !== undefined) { for (const p of Object.values(s.properties)) walkDirect(p) }
    if (s.items !== undefined) walkDirect(s.items)
    if (typeof s.additionalProperties === "object") walkDirect(s.additionalProperties)
    for (const m of s.allOf ?? []) walkDirect(m)
    for (const m of s.oneOf ?? s.anyOf ?? []) if (m.$ref === undefined) walkDirect(m)
  }
  for (const name of usedBy.keys()) walkDirect(components[name]!)
  for (const op of ops) {
    const body = requestBody(op)
    if (body !== undefined) walkDirect(body.schema)
    const shape = responseShape(op)
    if (shape._tag === "Data" || shape._tag === "Body") walkDirect(shape.schema)
    if (shape._tag === "Page") walkDirect(shape.item)
  }

  /** Components that can appear in a request body: unions there get no catch-all member. */
  const inRequests = new Set<string>()
  const markRequest = (name: string) => {
    if (inRequests.has(name)) return
    inRequests.add(name)
    for (const dep of depsOf.get(name) ?? []) markRequest(dep)
  }
  for (const op of ops) {
    const body = requestBody(op)
    if (body !== undefined) { for (const root of directRefs(body.schema)) markRequest(root) }
  }

  /** The module a component is emitted in. */
  const homeOf = (name: string): string => {
    const users = usedBy.get(name)!
    if (users.size > 1) return "Common"
    return groups[[...users][0]!].module
  }

  // ---------------------------------------------------------------------------------------------
  // Names
  // ---------------------------------------------------------------------------------------------

  /** Names the generated modules import from Model.ts. */
  const modelNames = new Set([
    "Uuid",
    "Int64",
    "DixaDateTime",
    "TypedUnion",
    "OpenLiteral",
    "PageParams",
    "Param",
    "AgentId",
    "UserId",
    "TagId",
    "TeamId",
    "MessageId",
    "AnonymizationRequestId",
    "ConversationId",
    "ConversationIdParam",
    "QueueId",
    "WebhookSubscriptionId",
    "TemplateId",
    "BusinessHoursScheduleId",
    "KnowledgeCollectionId",
    "KnowledgeCategoryId",
    "KnowledgeArticleId",
    "looseId"
  ])
  for (const brand of Object.keys(brands)) {
    if (!modelNames.has(brand)) throw new Error(`brands.ts names ${brand}, which Model.ts does not export`)
  }
  const reserved = new Set([...modelNames, "Schema", "Endpoint", "Group"])

  const pascal = (s: string): string =>
    s.split(/[^A-Za-z0-9]+/).filter((p) => p !== "").map((p) =>
      p === p.toUpperCase() && p.length > 2
        ? p[0] + p.slice(1).toLowerCase()
        : p[0]!.toUpperCase() + p.slice(1)
    ).join("")

  /** How many emitted components share a name once a numeric suffix is dropped (`IsOneOf`, `IsOneOf1`, ...). */
  const sameBase = new Map<string, number>()
  for (const component of usedBy.keys()) {
    const base = component.replace(/\d+$/, "")
    sameBase.set(base, (sameBase.get(base) ?? 0) + 1)
  }

  const cleanName = (component: string): string => {
    const bulk = /^BulkAction(Outcome|Failure|Success)_[A-Za-z]+_([A-Za-z]+)$/.exec(component)
    let name = bulk !== null ? `${pascal(bulk[2]!)}Bulk${bulk[1]}` : pascal(component)
    const numbered = /^(.*?)\d+$/.exec(name)
    if (numbered !== null) {
      // `Text2` is the spec's way out of a name clash: drop the number when nothing else has the name,
      // otherwise name it after the one union it belongs to (`IsOneOf3` in `DirectionOperator` is `DirectionIsOneOf`).
      const base = numbered[1]!
      const parents = parentsOf.get(component) ?? []
      const free = sameBase.get(component.replace(/\d+$/, "")) === 1 && components[base] === undefined
      if (free && !reserved.has(base)) name = base
      else if (parents.length === 1) name = `${pascal(parents[0]!.replace(/\d+$/, "")).replace(/Operator$/, "")}${base}`
    }
    if (reserved.has(name)) {
      const parents = parentsOf.get(component) ?? []
      name = parents.length === 1 ? `${name}${pascal(parents[0]!)}` : `${name}Schema`
    }
    return name
  }

  const nameOf = new Map<string, string>()
  {
    const taken = new Map<string, string>()
    for (const component of [...usedBy.keys()].sort()) {
      const name = cleanName(component)
      const other = taken.get(name)
      if (other !== undefined) throw new Error(`components ${other} and ${component} would both be named ${name}`)
      taken.set(name, component)
      nameOf.set(component, name)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Branded ids: the rules are in brands.ts
  // ---------------------------------------------------------------------------------------------

  type IdDecision =
    | { readonly _tag: "Brand"; readonly brand: Brand; readonly loose: boolean }
    | { readonly _tag: "Plain"; readonly why: string }

  for (const key of [...Object.keys(brandFields), ...Object.keys(resourceIds).map((c) => `${c}.id`)]) {
    const [component, field] = key.split(".") as [string, string]
    if (!usedBy.has(component) || components[component]!.properties?.[field] === undefined) {
      throw new Error(`brands.ts names ${key}, which no schema in use has`)
    }
  }

  const isIdLike = (key: string): boolean =>
    key === "id" || key === "csid" || /[a-z](Id|Ids|By)$/.test(key) || byName[key] !== undefined

  /**
   * How a schema (or the items of an array) can carry a brand: `exact` when the spec's type is the brand's
   * (a uuid string, an int64), `string` when it is a plain string (a uuid brand over any string).
   */
  const fit = (s: JsonSchema, brand: Brand): "exact" | "string" | undefined => {
    const t = s.type === "array" && s.items !== undefined ? s.items : s
    if (t.$ref !== undefined || t.enum !== undefined) return undefined
    if (brands[brand] === "int64") return t.type === "integer" && t.format === "int64" ? "exact" : undefined
    if (t.type !== "string") return undefined
    if (t.format === "uuid") return "exact"
    return t.format === undefined ? "string" : undefined
  }

  /** Why a field named by rule 3 stays plain: its type in the spec against the type the brand needs. */
  const mismatch = (s: JsonSchema, brand: Brand): string => {
    const t = s.type === "array" && s.items !== undefined ? s.items : s
    const spec = t.$ref !== undefined
      ? refName(t.$ref)
      : [t.type ?? "any", t.format ?? (t.type === "string" ? "(no format)" : undefined)].filter(Boolean).join(" ")
    return `${spec} in the spec, ${brand} needs ${brands[brand] === "int64" ? "an int64" : "a uuid"}`
  }

  /** What each id-like field became, for the list at the bottom of brands.ts. */
  const decided = new Map<string, string>()

  const record = (key: string, d: IdDecision): void => {
    decided.set(key, d._tag === "Plain" ? `plain: ${d.why}` : d.loose ? `${d.brand} over any string` : d.brand)
  }

  /** The brand of a field of `component` (undefined for an inline object), by the rules of brands.ts. */
  const decideField = (component: string | undefined, key: string, s: JsonSchema): IdDecision => {
    const named = component === undefined
      ? undefined
      : brandFields[`${component}.${key}`] ?? (key === "id" ? resourceIds[component] : undefined)
    let d: IdDecision
    if (named === "plain") d = { _tag: "Plain", why: "listed in fields" }
    else if (named !== undefined) {
      const f = fit(s, named)
      if (f === undefined) throw new Error(`brands.ts: ${component}.${key} cannot be branded: ${mismatch(s, named)}`)
      d = { _tag: "Brand", brand: named, loose: f === "string" }
    } else {
      const brand = byName[key]
      d = brand === undefined
        ? { _tag: "Plain", why: "no rule" }
        : fit(s, brand) === "exact"
        ? { _tag: "Brand", brand, loose: false }
        : { _tag: "Plain", why: mismatch(s, brand) }
    }
    if (isIdLike(key) || named !== undefined) record(`${component ?? "(inline)"}.${key}`, d)
    return d
  }

  // ---------------------------------------------------------------------------------------------
  // Schema expressions
  // ---------------------------------------------------------------------------------------------

  /** What one module needs to import, collected while its code is built. */
  class Imports {
    readonly model = new Set<string>()
    readonly common = new Set<string>()
    dateTimeType = false
    constructor(readonly module: string) {}
    useModel(name: string): Node {
      this.model.add(name)
      return raw(name)
    }
  }

  interface Ctx {
    readonly imports: Imports
    /** The component being defined, to refer to itself lazily. */
    readonly self?: string
  }

  const pairs = (fields: ReadonlyArray<readonly [string, Node]>, breakAlways = false): Node =>
    obj(fields.map(([key, value]): Entry => ({ key, value })), breakAlways)

  const schemaCall = (fn: string, ...args: Array<Node>): Node => call(`Schema.${fn}`, args)

  const refExpr = (component: string, ctx: Ctx): Node => {
    const name = nameOf.get(component)!
    if (component === ctx.self) return raw(`Schema.suspend((): Schema.Schema<${name}, ${name}Encoded> => ${name})`)
    const home = homeOf(component)
    if (home !== ctx.imports.module) ctx.imports.common.add(name)
    return raw(name)
  }

  const quoteKey = (key: string): string => /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : JSON.stringify(key)

  const structFields = (s: JsonSchema, ctx: Ctx, component?: string): Array<[string, Node]> => {
    const required = new Set(s.required ?? [])
    const fields: Array<[string, Node]> = []
    const literal = component === undefined ? undefined : variantOf.get(component)
    if (literal !== undefined) {
      const node = schemaCall("Literal", raw(JSON.stringify(literal)))
      fields.push(["_type", usedDirectly.has(component!) ? schemaCall("optional", node) : node])
    }
    const overrides = component === undefined ? undefined : schemaOverrides[component]
    for (const [key, prop] of Object.entries(s.properties ?? {})) {
      if (key === "_type" && literal !== undefined) continue
      const override = overrides?.[key]
      let node = override?.type !== undefined ? raw(override.type) : fieldExpr(component, key, prop, ctx)
      if (override?.type !== undefined) {
        for (const m of modelNames) if (override.type.includes(m)) ctx.imports.model.add(m)
      }
      const isRequired = override?.required ?? required.has(key)
      if (!isRequired) node = schemaCall("optional", node)
      fields.push([quoteKey(key), node])
    }
    return fields
  }

  /** A field's schema: its brand when the rules give it one, otherwise as the spec types it. */
  const fieldExpr = (component: string | undefined, key: string, s: JsonSchema, ctx: Ctx): Node => {
    const d = decideField(component, key, s)
    if (d._tag === "Plain") return expr(s, ctx)
    const brand = ctx.imports.useModel(d.brand)
    if (d.loose) ctx.imports.useModel("looseId")
    const one = d.loose ? call("looseId", [brand]) : brand
    const node = s.type === "array" ? schemaCall("Array", one) : one
    return s.nullable === true ? schemaCall("NullOr", node) : node
  }

  const expr = (s: JsonSchema, ctx: Ctx): Node => {
    const node = exprNonNull(s, ctx)
    return s.nullable === true ? schemaCall("NullOr", node) : node
  }

  const exprNonNull = (s: JsonSchema, ctx: Ctx): Node => {
    if (s.$ref !== undefined) return refExpr(refName(s.$ref), ctx)
    const members = s.oneOf ?? s.anyOf
    if (members !== undefined) {
      const kind = unionKind(s)
      if (kind === "strings") {
        ctx.imports.useModel("OpenLiteral")
        return call("OpenLiteral", members.map((m) => raw(JSON.stringify(variantLiteral(refName(m.$ref!))))))
      }
      // Plain object unions decode with the first member that fits, and open structs fit loosely: try the member
      // with the most required fields first, so a body is never read as a looser variant that drops its specifics.
      const required = (m: JsonSchema) => (m.$ref !== undefined ? resolve(m).required?.length ?? 0 : 0)
      const ordered = kind === "typed" ? members : [...members].sort((a, b) => required(b) - required(a))
      const nodes = ordered.map((m) => expr(m, ctx))
      if (kind === "typed") {
        ctx.imports.useModel("TypedUnion")
        return call("TypedUnion", nodes)
      }
      // A union of objects only ever read from responses also accepts shapes it does not know yet.
      const objects = members.every((m) => m.$ref !== undefined && resolve(m).type === "object")
      if (objects && ctx.self !== undefined && !inRequests.has(ctx.self)) {
        nodes.push(schemaCall("Record", pairs([["key", raw("Schema.String")], ["value", raw("Schema.Unknown")]])))
      }
      return nodes.length === 1 ? nodes[0]! : schemaCall("Union", ...nodes)
    }
    if (s.allOf !== undefined) {
      const merged: Array<[string, Node]> = []
      for (const part of s.allOf) merged.push(...structFields(resolve(part), ctx))
      return schemaCall("Struct", pairs(merged))
    }
    switch (s.type) {
      case "string":
        if (s.enum !== undefined) return schemaCall("Literal", ...s.enum.map((v) => raw(JSON.stringify(v))))
        if (s.format === "uuid") return ctx.imports.useModel("Uuid")
        if (s.format === "date-time") return ctx.imports.useModel("DixaDateTime")
        if (s.format === "binary") return ctx.imports.useModel("FilePart")
        return raw("Schema.String")
      case "integer":
        return s.format === "int64" ? ctx.imports.useModel("Int64") : raw("Schema.Int")
      case "number":
        return raw("Schema.Number")
      case "boolean":
        return raw("Schema.Boolean")
      case "array":
        return schemaCall("Array", s.items === undefined ? raw("Schema.Unknown") : expr(s.items, ctx))
      case "object":
      case undefined: {
        if (s.properties !== undefined && Object.keys(s.properties).length > 0) {
          return schemaCall("Struct", pairs(structFields(s, ctx)))
        }
        const value = typeof s.additionalProperties === "object"
          ? expr(s.additionalProperties, ctx)
          : raw("Schema.Unknown")
        if (s.type === undefined && s.additionalProperties === undefined) return raw("Schema.Unknown")
        return schemaCall("Record", pairs([["key", raw("Schema.String")], ["value", value]]))
      }
      default:
        throw new Error(`unsupported schema type ${s.type}`)
    }
  }

  /** The TypeScript type of a field of a recursive component, with its brand on the decoded side. */
  const fieldTsType = (component: string, key: string, s: JsonSchema, side: "Type" | "Encoded", ctx: Ctx): string => {
    const d = decideField(component, key, s)
    if (d._tag === "Plain" || side === "Encoded") return tsType(s, side, component)
    ctx.imports.useModel(d.brand)
    const t = s.type === "array" ? `ReadonlyArray<${d.brand}>` : d.brand
    return s.nullable === true ? `${t} | null` : t
  }

  /** The TypeScript type of a schema, for the few recursive components that need one spelled out. */
  const tsType = (s: JsonSchema, side: "Type" | "Encoded", self: string): string => {
    const t = tsTypeNonNull(s, side, self)
    return s.nullable === true ? `${t} | null` : t
  }

  const tsTypeNonNull = (s: JsonSchema, side: "Type" | "Encoded", self: string): string => {
    if (s.$ref !== undefined) {
      const c = refName(s.$ref)
      const name = nameOf.get(c)!
      return c === self ? (side === "Type" ? name : `${name}Encoded`) : `typeof ${name}.${side}`
    }
    switch (s.type) {
      case "string":
        return s.format === "date-time" && side === "Type" ? "DateTime.Utc" : "string"
      case "integer":
      case "number":
        return "number"
      case "boolean":
        return "boolean"
      case "array":
        return `ReadonlyArray<${tsType(s.items!, side, self)}>`
      default:
        throw new Error(`recursive schema ${self}: cannot spell out the type of ${JSON.stringify(s)}`)
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Endpoints
  // ---------------------------------------------------------------------------------------------

  /** Parameters a rule of brands.ts names but leaves plain, with the operations concerned. */
  const plainParams = new Map<string, Array<string>>()

  /** A parameter's brand: by name only (rule 3 of brands.ts), where the spec's type agrees. */
  const decideParam = (p: Parameter, op: Op): Brand | undefined => {
    const brand = byName[p.name]
    const d: IdDecision = brand === undefined
      ? { _tag: "Plain", why: "no rule" }
      : fit(p.schema, brand) === "exact" && p.schema.type !== "array"
      ? { _tag: "Brand", brand, loose: false }
      : { _tag: "Plain", why: mismatch(p.schema, brand) }
    if (d._tag === "Plain" && brand !== undefined) {
      const key = `parameter ${p.name}: plain: ${d.why}`
      plainParams.set(key, [...(plainParams.get(key) ?? []), `${op.table.group}.${op.table.name}`])
    } else if (isIdLike(p.name)) record(`parameter ${p.name}`, d)
    return d._tag === "Brand" ? d.brand : undefined
  }

  const paramExpr = (p: Parameter, op: Op, ctx: Ctx): Node => {
    const s = p.schema
    const brand = decideParam(p, op)
    let node: Node
    if (s.type === "integer") {
      if (brand === "ConversationId") {
        node = ctx.imports.useModel("ConversationIdParam")
      } else {
        ctx.imports.useModel("Param")
        let base: Node = s.format === "int64" ? ctx.imports.useModel("Int64") : raw("Schema.Int")
        if (s.minimum !== undefined && s.maximum !== undefined) {
          base = method(base, "pipe", [schemaCall("between", raw(String(s.minimum)), raw(String(s.maximum)))])
        }
        node = call("Param.int", [base])
      }
    } else if (s.type === "boolean") {
      ctx.imports.useModel("Param")
      node = raw("Param.boolean")
    } else if (s.type === "string" && s.format === "uuid") {
      node = ctx.imports.useModel(brand ?? "Uuid")
    } else if (s.type === "string" && s.enum === undefined && s.format === undefined && s.minLength === 1) {
      node = raw("Schema.NonEmptyString")
    } else if (s.type === "array" && s.items?.type === "string") {
      node = schemaCall("Array", raw("Schema.String"))
    } else {
      node = expr(s, ctx)
    }
    return p.required === true ? node : schemaCall("optional", node)
  }

  const responseExpr = (shape: ResponseShape, ctx: Ctx): Node => {
    switch (shape._tag) {
      case "Data":
        return call("Endpoint.data", [expr(shape.schema, ctx)])
      case "Page":
        return call("Endpoint.page", [expr(shape.item, ctx)])
      case "Body":
        return call("Endpoint.body", [expr(shape.schema, ctx)])
      case "Empty":
        return raw("Endpoint.empty")
    }
  }

  const constNames: Readonly<Record<string, string>> = { delete: "remove", import: "importConversation" }
  const constName = (action: string): string => constNames[action] ?? action

  const isPaged = (op: Op): boolean => responseShape(op)._tag === "Page"

  const endpointCode = (op: Op, imports: Imports): string => {
    const ctx: Ctx = { imports }
    const params = op.spec.parameters ?? []
    const pathParams = params.filter((p) => p.in === "path")
    const paged = isPaged(op)
    const isPageParam = (p: Parameter) => paged && (p.name === "pageLimit" || p.name === "pageKey")
    const queryParams = params.filter((p) => p.in === "query" && !isPageParam(p))
    const fields: Array<Entry> = [
      { key: "id", value: raw(JSON.stringify(`${op.table.group}.${op.table.name}`)) },
      { key: "method", value: raw(JSON.stringify(op.method.toUpperCase())) },
      { key: "path", value: raw(JSON.stringify(op.path)) },
      { key: "summary", value: raw(JSON.stringify(op.table.summary)) }
    ]
    const param = (p: Parameter): Entry => ({ key: quoteKey(p.name), value: paramExpr(p, op, ctx) })
    if (pathParams.length > 0) fields.push({ key: "pathParams", value: obj(pathParams.map(param)) })
    if (queryParams.length > 0 || paged) {
      const entries = queryParams.map(param)
      if (paged) entries.push({ key: "...PageParams" })
      if (paged) imports.useModel("PageParams")
      fields.push({ key: "query", value: obj(entries) })
    }
    const body = requestBody(op)
    if (body !== undefined) {
      fields.push({ key: "body", value: expr(body.schema, ctx) })
      fields.push({ key: "bodyRequired", value: raw(String(body.required)) })
      if (body.encoding !== "json") fields.push({ key: "bodyEncoding", value: raw(JSON.stringify(body.encoding)) })
    }
    const shape = responseShape(op)
    fields.push({ key: "response", value: responseExpr(shape, ctx) })
    // Only what differs from Endpoint.make's defaults: 204 without a body, 200 with one, not deprecated.
    if (successStatus(op) !== (shape._tag === "Empty" ? "204" : "200")) {
      fields.push({ key: "status", value: raw(successStatus(op)) })
    }
    const errors = Object.keys(op.spec.responses).filter((s) => !s.startsWith("2")).map(Number).sort((a, b) => a - b)
    fields.push({ key: "errors", value: raw(`[${errors.join(", ")}]`) })
    if (op.spec.deprecated === true) fields.push({ key: "deprecated", value: raw("true") })
    const retry = op.table.retry
    if (retry !== undefined) fields.push({ key: "retry", value: raw(JSON.stringify(retry.class)), comment: retry.why })
    const doc = op.spec.deprecated === true
      ? `/**\n * ${op.table.summary}\n *\n * @deprecated\n */\n`
      : `/** ${op.table.summary} */\n`
    const name = constName(op.table.name)
    const head = `export const ${name} = `
    return `${doc}${head}${print(call("Endpoint.make", [obj(fields, true)]), 0, head.length)}\n`
  }

  // ---------------------------------------------------------------------------------------------
  // Modules
  // ---------------------------------------------------------------------------------------------

  /** Orders components so that each is defined after what it uses (self-references are lazy). */
  const ordered = (names: ReadonlyArray<string>, module: string): Array<string> => {
    const out: Array<string> = []
    const state = new Map<string, "visiting" | "done">()
    const visit = (n: string) => {
      if (state.has(n) || homeOf(n) !== module) return
      state.set(n, "visiting")
      for (const dep of depsOf.get(n) ?? []) {
        if (state.get(dep) === "visiting" && dep !== n) throw new Error(`cycle through ${n} and ${dep}: not supported`)
        visit(dep)
      }
      state.set(n, "done")
      out.push(n)
    }
    for (const n of names) visit(n)
    return out
  }

  /**
   * Marks a schema's definition as free of side effects, so that a bundler drops the schemas a program does not use
   * (a program that lists tags should not carry every shared model of `Common`). It applies to the outermost call,
   * `.annotations({ identifier })`, whose only argument is a literal.
   */
  const pure = "/* @__PURE__ */ "

  const isRecursive = (component: string): boolean => (depsOf.get(component) ?? []).includes(component)

  const schemaCode = (component: string, imports: Imports): string => {
    const s = components[component]!
    const name = nameOf.get(component)!
    const ctx: Ctx = { imports, self: component }
    const isObject = s.oneOf === undefined && s.anyOf === undefined && s.allOf === undefined &&
      (s.type === "object" || s.properties !== undefined)
    const withProps = isObject && (s.properties !== undefined && Object.keys(s.properties).length > 0)
    let node: Node
    if (variantOf.has(component) || withProps) {
      node = schemaCall("Struct", pairs(structFields(s, ctx, component), true))
    } else {
      node = expr(s, ctx)
    }
    const annotated = method(node, "annotations", [pairs([["identifier", raw(JSON.stringify(name))]])])
    if (isRecursive(component)) {
      imports.dateTimeType ||= JSON.stringify(s).includes("date-time")
      const iface = (side: "Type" | "Encoded") => {
        const required = new Set(s.required ?? [])
        const lines = Object.entries(s.properties ?? {}).map(([k, p]) =>
          `  readonly ${quoteKey(k)}${required.has(k) ? "" : "?"}: ${fieldTsType(component, k, p, side, ctx)}${
            required.has(k) ? "" : " | undefined"
          }`
        )
        return `export interface ${side === "Type" ? name : `${name}Encoded`} {\n${lines.join("\n")}\n}\n`
      }
      const definition = pureConst(`export const ${name}: Schema.Schema<${name}, ${name}Encoded> =`, annotated)
      return `${iface("Type")}\n${iface("Encoded")}\n${definition}\n`
    }
    return `${pureConst(`export const ${name} =`, annotated)}\nexport type ${name} = typeof ${name}.Type\n`
  }

  /** `head` and the value marked pure on one line, or, when that line would not fit, the value indented below. */
  const pureConst = (head: string, value: Node): string => {
    const inline = `${head} ${pure}`
    const text = print(value, 0, inline.length)
    if (inline.length + text.split("\n")[0]!.length <= 120) return inline + text
    return `${head}\n  ${pure}${print(value, 2, 2 + pure.length)}`
  }

  const header = (summary: string): string =>
    `/**\n * ${summary}.\n *\n` +
    ` * Generated by codegen/generate.ts from the Dixa API (beta) spec and codegen/operations.ts.\n` +
    ` * Do not edit: change the generator or the operations table and run \`pnpm generate\`.\n` +
    ` *\n * @since 0.1.0\n */\n`

  const importBlock = (imports: Imports, hasEndpoints: boolean): string => {
    const lines: Array<string> = []
    if (hasEndpoints) lines.push(`import * as Context from "effect/Context"`)
    if (imports.dateTimeType) lines.push(`import type * as DateTime from "effect/DateTime"`)
    if (hasEndpoints) lines.push(`import type * as Layer from "effect/Layer"`)
    lines.push(`import * as Schema from "effect/Schema"`)
    if (hasEndpoints) {
      lines.push(`import type * as DixaClient from "../DixaClient.js"`)
      lines.push(`import * as Endpoint from "../Endpoint.js"`)
      lines.push(`import * as Group from "../Group.js"`)
      lines.push(`import * as GroupService from "../GroupService.js"`)
    }
    const importList = (names: ReadonlyArray<string>, from: string): string => {
      const line = `import { ${names.join(", ")} } from "${from}"`
      return line.length <= 120 ? line : `import {\n${names.map((n) => `  ${n}`).join(",\n")}\n} from "${from}"`
    }
    if (imports.model.size > 0) lines.push(importList([...imports.model].sort(byLowerCase), "../Model.js"))
    if (imports.common.size > 0) lines.push(importList([...imports.common].sort(byLowerCase), "./Common.js"))
    return lines.join("\n") + "\n"
  }

  const files = new Map<string, string>()

  // Schemas in the order operations first use them, then the rest by name.
  const firstUse: Array<string> = []
  for (const op of ops) for (const root of opRoots(op)) if (!firstUse.includes(root)) firstUse.push(root)
  const allUsed = [...firstUse, ...[...usedBy.keys()].sort().filter((n) => !firstUse.includes(n))]

  {
    const imports = new Imports("Common")
    const names = ordered([...usedBy.keys()].filter((n) => homeOf(n) === "Common").sort(), "Common")
    const body = names.map((n) => schemaCode(n, imports)).join("\n")
    files.set(
      "Common.ts",
      `${header("Schemas that more than one resource group uses")}${importBlock(imports, false)}\n${body}`
    )
  }

  for (const [group, info] of Object.entries(groups) as Array<[GroupName, (typeof groups)[GroupName]]>) {
    const imports = new Imports(info.module)
    const order = Object.keys(operations)
    const groupOps = ops.filter((op) => op.table.group === group)
      .sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id))
    const names = ordered(allUsed.filter((n) => homeOf(n) === info.module), info.module)
    const schemas = names.map((n) => schemaCode(n, imports)).join("\n")
    const endpoints = groupOps.map((op) => endpointCode(op, imports)).join("\n")
    const members = groupOps.map((op): Entry => {
      const c = constName(op.table.name)
      return c === op.table.name ? { key: c } : { key: quoteKey(op.table.name), value: raw(c) }
    })
    const groupConst = `export const ${info.module}Api = `
    const groupCode = groupConst +
      print(
        call("Group.make", [raw(JSON.stringify(group)), raw(JSON.stringify(info.summary)), obj(members)]),
        0,
        groupConst.length
      )
    const parts = [schemas, endpoints, groupCode + "\n", serviceCode(group, info.module)].filter((p) => p !== "")
    files.set(`${info.module}.ts`, `${header(info.summary)}${importBlock(imports, true)}\n${parts.join("\n")}`)
  }

  // Which schemas (under their spec names) the rules in deviations.ts touched.
  const touched: Array<string> = []
  for (const component of [...usedBy.keys()].sort()) {
    const s = components[component]!
    const members = s.oneOf ?? s.anyOf
    let rule: string | undefined
    if (variantOf.has(component)) rule = "variant"
    else if (members !== undefined) {
      const kind = unionKind(s)
      const objects = members.every((m) => m.$ref !== undefined && resolve(m).type === "object")
      if (kind === "typed") rule = "typedUnion"
      else if (kind === "strings") rule = "namesAsStrings"
      else if (objects && !inRequests.has(component)) rule = "openUnion"
    }
    if (rule !== undefined) touched.push(`  [${JSON.stringify(component)}, ${JSON.stringify(rule)}]`)
  }
  const deviationsFile = path.resolve(here, "deviations.ts")
  const deviationsText = fs.readFileSync(deviationsFile, "utf8").replace(
    /(\/\/ generated:start\n)[\s\S]*?(\/\/ generated:end\n)/,
    (_, start: string, end: string) =>
      `${start}const touched: ReadonlyArray<readonly [schema: string, rule: keyof typeof rules]> = [\n` +
      `${touched.join(",\n")}\n]\n${end}`
  )

  for (const [key, ops] of plainParams) {
    const [head, decision] = key.split(": plain: ") as [string, string]
    decided.set(`${head} in ${[...new Set(ops)].join(", ")}`, `plain: ${decision}`)
  }
  // Schema fields first, then parameters.
  const sortKey = (field: string) => `${field.startsWith("parameter ") ? 1 : 0}${field}`
  const decisions = [...decided].sort(([a], [b]) => sortKey(a).localeCompare(sortKey(b)))
    .map(([field, decision]) => {
      const line = `  [${JSON.stringify(field)}, ${JSON.stringify(decision)}]`
      return line.length < 120 ? line : `  [\n    ${JSON.stringify(field)},\n    ${JSON.stringify(decision)}\n  ]`
    })
  const brandsFile = path.resolve(here, "brands.ts")
  const brandsText = fs.readFileSync(brandsFile, "utf8").replace(
    /(\/\/ generated:start\n)[\s\S]*?(\/\/ generated:end\n)/,
    (_, start: string, end: string) =>
      `${start}export const decided: ReadonlyArray<readonly [field: string, decision: string]> = [\n` +
      `${decisions.join(",\n")}\n]\n${end}`
  )

  const out = new Map<string, string>()
  for (const [file, text] of files) out.set(`src/api/${file}`, text)
  out.set("src/Api.ts", apiModule())
  out.set("codegen/deviations.ts", deviationsText)
  out.set("codegen/brands.ts", brandsText)
  return out
}

/** The default location of the spec: beside the repository. */
export const defaultSpecPath = path.resolve(repoRoot, "../shared/dixa-spec/dixa-api-beta.yaml")

const main = () => {
  const [arg] = process.argv.slice(2).filter((a) => a !== "--")
  const specPath = path.resolve(arg ?? defaultSpecPath)
  const generated = generate(specPath)
  const outDir = path.resolve(packageRoot, "src/api")
  fs.mkdirSync(outDir, { recursive: true })
  for (const existing of fs.readdirSync(outDir)) {
    if (existing.endsWith(".ts") && !generated.has(`src/api/${existing}`)) fs.rmSync(path.join(outDir, existing))
  }
  for (const [file, text] of generated) fs.writeFileSync(path.resolve(packageRoot, file), text)
  console.log(`wrote ${generated.size} files from ${specPath}`)
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
