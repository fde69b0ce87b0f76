/**
 * The contract test: the OpenAPI document derived from our definition against Dixa's own. Every
 * difference must be listed as a deliberate deviation in `codegen/deviations.ts`, with a reason, and
 * every listed deviation must still be a difference.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import { createRequire } from "node:module"
import * as path from "node:path"
import * as Api from "../src/Api.js"
import * as OpenApi from "../src/OpenApi.js"
import { type Deviation, deviationsPath, loadDeviations } from "./support/deviations.js"
import * as Spec from "./support/spec.js"

/** What kind of thing differs. An operation's deviation may name the kind in its `what` ("errors: ..."). */
const kinds = ["missing", "extra", "param", "body", "status", "errors", "schema"] as const
type Kind = (typeof kinds)[number]

interface Difference {
  readonly kind: Kind
  /** The spec's operationId, when the difference is about an operation. */
  readonly specId?: string
  /** Our endpoint id, when the difference is about an operation we define. */
  readonly ourId?: string
  /** The spec's component schema name, for `schema` differences. */
  readonly schema?: string
  /** Our name for that schema, when we renamed it. */
  readonly ourSchema?: string
  /** The property concerned, for `schema` and `body` differences about one field. */
  readonly field?: string
  /** For `body` differences: the spec's component schema of the request body, when it names one. */
  readonly bodySchema?: string
  readonly detail: string
}

const show = (d: Difference): string =>
  `[${d.kind}] ${
    d.schema !== undefined ? d.schema + (d.field ? `.${d.field}` : "") : [d.specId, d.ourId].filter(Boolean).join(" / ")
  }: ${d.detail}`

/**
 * The differences between one of our schemas and the spec's schema it stands for, field by field.
 * `name` is the spec's name (what deviations name); `ourName` is ours when we renamed it.
 */
const compareSchema = (
  spec: Spec.Doc,
  ours: Spec.Doc,
  pairs: ReadonlyMap<string, string>,
  name: string,
  ourName: string,
  o: unknown,
  s: unknown
): Array<Difference> => {
  const out: Array<Difference> = []
  const renamed = ourName === name ? {} : { ourSchema: ourName }
  const note = ourName === name ? "" : ` (ours: ${ourName})`
  const add = (detail: string, field?: string) =>
    out.push({ kind: "schema", schema: name, ...renamed, ...(field ? { field } : {}), detail: detail + note })
  const oFam = Spec.family(ours, o)
  const sFam = Spec.family(spec, s)
  if (oFam !== sFam) {
    add(`is ${oFam}, the spec's is ${sFam}${Spec.isEmptyObjectUnion(spec, s) ? " (a oneOf of empty objects)" : ""}`)
    return out
  }
  if (Spec.hasCatchAll(ours, o) && !Spec.hasCatchAll(spec, s)) add("is a union with a member that accepts any object")
  const oReq = Spec.requiredFields(ours, o)
  const sReq = Spec.requiredFields(spec, s)
  for (const f of oReq) if (!sReq.includes(f)) add("required by us, optional in the spec", f)
  for (const f of sReq) if (!oReq.includes(f)) add("optional for us, required in the spec", f)
  const oProps = Spec.properties(ours, o)
  const sProps = Spec.properties(spec, s)
  for (const f of Object.keys(oProps)) if (!(f in sProps)) add("ours only", f)
  for (const f of Object.keys(sProps)) {
    if (!(f in oProps)) {
      add("the spec's only", f)
      continue
    }
    // A property that refers to corresponding named schemas on both sides is compared with them.
    const named = Spec.refName(oProps[f])
    if (named !== undefined && (pairs.get(named) ?? named) === Spec.refName(sProps[f])) continue
    const a = Spec.family(ours, oProps[f])
    const b = Spec.family(spec, sProps[f])
    const names = Spec.isEmptyObjectUnion(spec, sProps[f]) ? " (a oneOf of empty objects)" : ""
    if (a !== b) add(`is ${a}, the spec's is ${b}${names}`, f)
  }
  return out
}

/** A parameter reduced to what the contract compares. */
interface ParamView {
  readonly key: string
  readonly required: boolean
  readonly type: string
}

const paramView = (doc: Spec.Doc, param: Spec.Doc): ParamView => {
  const p = Spec.deref(doc, param)
  const schema = Spec.deref(doc, p["schema"])
  const fam = Spec.family(doc, schema)
  // Within the string family, the formats that change what a value may be.
  const format = fam === "string" && (schema["format"] === "uuid" || schema["format"] === "date-time")
    ? `/${schema["format"]}`
    : ""
  return { key: `${p["in"]}:${p["name"]}`, required: p["in"] === "path" || p["required"] === true, type: fam + format }
}

const mediaTypes = (content: Spec.Doc | undefined): string => Object.keys(content ?? {}).sort().join(",")

const compareOperation = (
  spec: Spec.Doc,
  ours: Spec.Doc,
  s: Spec.OperationRef,
  o: Spec.OperationRef
): Array<Difference> => {
  const out: Array<Difference> = []
  const at = { specId: s.operationId, ourId: o.operationId }
  const add = (kind: Kind, detail: string) => out.push({ kind, ...at, detail })

  const params = (doc: Spec.Doc, op: Spec.Doc): Map<string, ParamView> =>
    new Map((op["parameters"] ?? []).map((p: Spec.Doc) => paramView(doc, p)).map((p: ParamView) => [p.key, p]))
  const specParams = params(spec, s.op)
  const ourParams = params(ours, o.op)
  for (const [key, sp] of specParams) {
    const op = ourParams.get(key)
    if (op === undefined) add("param", `${key} is not defined`)
    else {
      if (op.type !== sp.type) add("param", `${key} is ${op.type}, the spec says ${sp.type}`)
      if (op.required !== sp.required) add("param", `${key} required ${op.required}, the spec says ${sp.required}`)
    }
  }
  for (const key of ourParams.keys()) {
    if (!specParams.has(key)) add("param", `${key} is not in the spec`)
  }

  const sb = s.op["requestBody"] as Spec.Doc | undefined
  const ob = o.op["requestBody"] as Spec.Doc | undefined
  if (sb !== undefined && ob === undefined) add("body", "the spec has a request body, we send none")
  if (sb === undefined && ob !== undefined) add("body", "we send a request body, the spec has none")
  if (sb !== undefined && ob !== undefined) {
    if ((sb["required"] === true) !== (ob["required"] === true)) {
      add("body", `required ${ob["required"] === true}, the spec says ${sb["required"] === true}`)
    }
    if (mediaTypes(sb["content"]) !== mediaTypes(ob["content"])) {
      add("body", `media type ${mediaTypes(ob["content"])}, the spec says ${mediaTypes(sb["content"])}`)
    }
    const sSchema = (Object.values(sb["content"] ?? {})[0] as Spec.Doc | undefined)?.["schema"]
    const oSchema = (Object.values(ob["content"] ?? {})[0] as Spec.Doc | undefined)?.["schema"]
    const sFam = Spec.family(spec, sSchema)
    const oFam = Spec.family(ours, oSchema)
    if (sFam !== oFam) add("body", `is ${oFam}, the spec says ${sFam}`)
    const sReq = Spec.requiredFields(spec, sSchema)
    const oReq = Spec.requiredFields(ours, oSchema)
    const ref = (sSchema as Spec.Doc | undefined)?.["$ref"]
    const bodySchema = typeof ref === "string" ? ref.replace("#/components/schemas/", "") : undefined
    const field = (f: string, detail: string) =>
      out.push({ kind: "body", ...at, field: f, ...(bodySchema ? { bodySchema } : {}), detail })
    for (const f of oReq) if (!sReq.includes(f)) field(f, `we require ${f}, the spec does not`)
    for (const f of sReq) if (!oReq.includes(f)) field(f, `the spec requires ${f}, we do not`)
  }

  const codes = (op: Spec.Doc) => Object.keys(op["responses"] ?? {}).map(Number).sort((a, b) => a - b)
  const success = (op: Spec.Doc) => codes(op).filter((c) => c >= 200 && c < 300).join(",")
  const errors = (op: Spec.Doc) => codes(op).filter((c) => c >= 300).join(",")
  if (success(s.op) !== success(o.op)) add("status", `answers ${success(o.op)}, the spec says ${success(s.op)}`)
  if (errors(s.op) !== errors(o.op)) add("errors", `declares [${errors(o.op)}], the spec declares [${errors(s.op)}]`)
  return out
}

/** Every difference between the two documents. */
const compare = (spec: Spec.Doc, ours: Spec.Doc): Array<Difference> => {
  const out: Array<Difference> = []
  const ourOps = new Map(Spec.operations(ours).map((o) => [Spec.routeKey(o.method, o.path), o]))
  const specOps = new Map(Spec.operations(spec).map((s) => [Spec.routeKey(s.method, s.path), s]))
  for (const [key, s] of specOps) {
    const o = ourOps.get(key)
    if (o === undefined) out.push({ kind: "missing", specId: s.operationId, detail: `${key} is not in the definition` })
    else out.push(...compareOperation(spec, ours, s, o))
  }
  for (const [key, o] of ourOps) {
    if (!specOps.has(key)) out.push({ kind: "extra", ourId: o.operationId, detail: `${key} is not in the spec` })
  }
  // Named schemas: same family, fields and required fields as the spec's schema they stand for.
  const specSchemas: Spec.Doc = spec["components"]?.["schemas"] ?? {}
  const ourSchemas: Spec.Doc = ours["components"]?.["schemas"] ?? {}
  for (const [ourName, specName] of correspondingSchemas(spec, ours)) {
    const pairs = pairsOf(spec, ours)
    out.push(...compareSchema(spec, ours, pairs, specName, ourName, ourSchemas[ourName], specSchemas[specName]))
  }
  return out
}

const bodySchemas = (op: Spec.Doc): Array<unknown> => {
  const out: Array<unknown> = []
  for (const media of Object.values<Spec.Doc>(op["requestBody"]?.["content"] ?? {})) out.push(media["schema"])
  for (const [status, response] of Object.entries<Spec.Doc>(op["responses"] ?? {})) {
    if (!status.startsWith("2")) continue
    for (const media of Object.values<Spec.Doc>(response["content"] ?? {})) out.push(media["schema"])
  }
  return out
}

const pairCache = new WeakMap<Spec.Doc, ReadonlyMap<string, string>>()

/** Our schema names paired with the spec's by where the operations use them. */
const pairsOf = (spec: Spec.Doc, ours: Spec.Doc): ReadonlyMap<string, string> => {
  const cached = pairCache.get(ours)
  if (cached !== undefined) return cached
  const specOps = new Map(Spec.operations(spec).map((s) => [Spec.routeKey(s.method, s.path), s]))
  const roots: Array<readonly [unknown, unknown]> = []
  for (const o of Spec.operations(ours)) {
    const s = specOps.get(Spec.routeKey(o.method, o.path))
    if (s === undefined) continue
    const a = bodySchemas(o.op)
    const b = bodySchemas(s.op)
    if (a.length === b.length) a.forEach((schema, i) => roots.push([schema, b[i]]))
  }
  const pairs = Spec.pairComponents(ours, spec, roots)
  pairCache.set(ours, pairs)
  return pairs
}

/**
 * Which of our named schemas stands for which of the spec's: the same name when the spec has it, else
 * the spec's schema found at the same place in the same operations.
 */
const correspondingSchemas = (spec: Spec.Doc, ours: Spec.Doc): ReadonlyArray<readonly [string, string]> => {
  const specSchemas: Spec.Doc = spec["components"]?.["schemas"] ?? {}
  const pairs = pairsOf(spec, ours)
  const out: Array<readonly [string, string]> = []
  for (const name of Object.keys(ours["components"]?.["schemas"] ?? {}).sort()) {
    if (specSchemas[name] !== undefined) out.push([name, name])
    else {
      const paired = pairs.get(name)
      if (paired !== undefined && specSchemas[paired] !== undefined) out.push([name, paired])
    }
  }
  return out
}

const mentionedKinds = (deviation: Deviation): ReadonlyArray<Kind> =>
  kinds.filter((kind) => new RegExp(`\\b${kind}`, "i").test(deviation.what))

/** Whether a listed deviation accounts for a difference. */
const covers = (deviation: Deviation, d: Difference): boolean => {
  if (deviation.target === undefined) return false
  const fieldMatches = deviation.field === undefined || deviation.field === d.field
  if (d.kind === "schema") return (d.schema === deviation.target || d.ourSchema === deviation.target) && fieldMatches
  // A request body's required fields follow its schema: an entry for that schema covers them.
  if (d.kind === "body" && d.bodySchema !== undefined && d.bodySchema === deviation.target && fieldMatches) return true
  if (deviation.target !== d.specId && deviation.target !== d.ourId) return false
  const named = mentionedKinds(deviation)
  return named.length === 0 || named.includes(d.kind)
}

/** Every place in a JSON value, with its JSON pointer. */
const walk = (node: unknown, at: string, visit: (node: Record<string, unknown>, at: string) => void): void => {
  if (Array.isArray(node)) node.forEach((item, i) => walk(item, `${at}/${i}`, visit))
  else if (typeof node === "object" && node !== null) {
    visit(node as Record<string, unknown>, at)
    for (const [key, value] of Object.entries(node)) walk(value, `${at}/${key}`, visit)
  }
}

/** Schema forms that JSON Schema draft 7 has and OpenAPI 3.0 does not. */
const notOpenApi30 = (node: Record<string, unknown>): string | undefined => {
  for (const key of ["const", "$id", "$schema", "examples", "propertyNames", "patternProperties", "additionalItems"]) {
    if (key in node) return key
  }
  if (Array.isArray(node["type"])) return "type list"
  if (node["type"] === "null") return "type null"
  if (Array.isArray(node["items"])) return "tuple items"
  if ("$ref" in node && Object.keys(node).length > 1) return "$ref with siblings"
  if (Array.isArray(node["required"]) && node["required"].length === 0) return "empty required"
  if (typeof node["exclusiveMinimum"] === "number" || typeof node["exclusiveMaximum"] === "number") {
    return "numeric exclusive bound"
  }
  return undefined
}

describe("the derived OpenAPI document", () => {
  const doc = OpenApi.make()

  it("uses only the OpenAPI 3.0 dialect of JSON Schema", () => {
    const problems: Array<string> = []
    walk(doc.components.schemas, "#/components/schemas", (node, at) => {
      const problem = notOpenApi30(node)
      if (problem !== undefined) problems.push(`${at}: ${problem}`)
    })
    walk(doc.paths, "#/paths", (node, at) => {
      const problem = at.includes("/schema") ? notOpenApi30(node) : undefined
      if (problem !== undefined) problems.push(`${at}: ${problem}`)
    })
    expect(problems).toEqual([])
  })

  it("turns draft-7 forms into their OpenAPI 3.0 equivalents", () => {
    expect(OpenApi.toOpenApi30({ anyOf: [{ type: "string" }, { type: "null" }] })).toEqual({
      type: "string",
      nullable: true
    })
    expect(OpenApi.toOpenApi30({ anyOf: [{ $ref: "#/components/schemas/X" }, { type: "null" }] })).toEqual({
      allOf: [{ $ref: "#/components/schemas/X" }],
      nullable: true
    })
    expect(OpenApi.toOpenApi30({ const: "Chat", type: "string" })).toEqual({ enum: ["Chat"], type: "string" })
    expect(OpenApi.toOpenApi30({ type: "integer", exclusiveMinimum: 0 })).toEqual({
      type: "integer",
      minimum: 0,
      exclusiveMinimum: true
    })
    expect(OpenApi.toOpenApi30({ type: "array", items: [{ type: "string" }, { type: "number" }] })).toEqual({
      type: "array",
      items: { anyOf: [{ type: "string" }, { type: "number" }] }
    })
    expect(OpenApi.toOpenApi30({ type: "object", required: [], properties: {} })).toEqual({
      type: "object",
      properties: {}
    })
    // Property names are names, not keywords; examples and defaults are data, not schemas.
    expect(OpenApi.toOpenApi30({
      type: "object",
      properties: { const: { const: "x" }, type: { type: ["string", "null"] } },
      default: { const: 1 }
    })).toEqual({
      type: "object",
      properties: { const: { enum: ["x"] }, type: { type: "string", nullable: true } },
      default: { const: 1 }
    })
  })

  it("documents parameters as a caller sees them, not as the strings they travel as", () => {
    const param = (method: OpenApi.PathMethod, p: string, name: string) =>
      doc.paths[p]?.[method]?.parameters.find((x) => x.name === name)?.schema
    const required = (endpointId: string) => expect(Api.byId.has(endpointId), endpointId).toBe(true)
    for (const id of ["agents.list", "tags.list", "conversations.get", "agents.get"]) required(id)
    expect(param("get", "/beta/agents", "pageLimit")).toMatchObject({ type: "integer" })
    expect(param("get", "/beta/tags", "includeDeactivated")).toEqual({ type: "boolean" })
    expect(param("get", "/beta/conversations/{conversationId}", "conversationId")).toEqual({
      type: "integer",
      format: "int64"
    })
    expect(param("get", "/beta/agents/{agentId}", "agentId")).toEqual({ type: "string", format: "uuid" })
  })

  it("secures every operation with the API key header", () => {
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: "apiKey", in: "header", name: "Authorization" })
    for (const item of Object.values(doc.paths)) {
      for (const op of Object.values(item)) expect(op?.security, op?.operationId).toEqual([{ apiKey: [] }])
    }
  })

  it("is what `pnpm openapi` prints", async () => {
    const cli = createRequire(import.meta.url).resolve("tsx/cli")
    const root = path.resolve(Spec.repoRoot, "packages/core")
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [cli, "--conditions=source", "src/bin/openapi.ts"],
        { cwd: root, maxBuffer: 64 * 1024 * 1024 },
        (error, out) => (error ? reject(error) : resolve(out))
      )
    )
    expect(JSON.parse(stdout)).toEqual(JSON.parse(JSON.stringify(doc)))
  })
})

const spec = Spec.loadSpec()

if (spec === undefined) {
  describe("contract with the official spec", () => {
    it.skip(Spec.specMissing, () => {})
  })
} else {
  describe("contract with the official spec", () => {
    const ours = JSON.parse(JSON.stringify(OpenApi.make())) as Spec.Doc
    const differences = compare(spec, ours)
    let deviations: ReadonlyArray<Deviation> = []
    const unexplained = (kind: Kind) =>
      differences.filter((d) => d.kind === kind && !deviations.some((dev) => covers(dev, d))).map(show)

    beforeAll(async () => {
      const loaded = await loadDeviations()
      if (loaded === undefined) console.log(`no deviations file at ${deviationsPath}: none allowed`)
      deviations = loaded ?? []
      const total = Spec.operations(spec).length
      const defined = total - differences.filter((d) => d.kind === "missing").length
      console.log(`contract: ${defined}/${total} operations in the definition, ${Api.endpoints.length} endpoints`)
      const ourSchemas = Object.keys(ours["components"]["schemas"])
      const compared = correspondingSchemas(spec, ours)
      const renamed = compared.filter(([a, b]) => a !== b).length
      console.log(
        `contract: ${compared.length}/${ourSchemas.length} of our named schemas compared with the spec's` +
          ` (${renamed} under another name)`
      )
      console.log(`contract: ${differences.length} differences, ${deviations.length} listed deviations`)
    })

    it("the derived document has one operation per endpoint and no dangling reference", () => {
      const ops = Spec.operations(ours)
      expect(ops.map((o) => o.operationId).sort()).toEqual(Api.endpoints.map((e) => e.id).sort())
      const refs = JSON.stringify(ours).match(/"\$ref":"[^"]+"/g) ?? []
      for (const ref of new Set(refs)) expect(() => Spec.deref(ours, JSON.parse(`{${ref}}`)), ref).not.toThrow()
    })

    it("the comparison notices each kind of difference it checks", () => {
      const mutated = JSON.parse(JSON.stringify(ours)) as Spec.Doc
      const agentsGet = mutated["paths"]["/beta/agents/{agentId}"]["get"]
      agentsGet["parameters"][0]["schema"] = { type: "integer" }
      agentsGet["parameters"].push({ name: "verbose", in: "query", required: true, schema: { type: "boolean" } })
      delete agentsGet["responses"]["404"]
      const tagsCreate = mutated["paths"]["/beta/tags"]["post"]
      tagsCreate["requestBody"]["required"] = false
      mutated["components"]["schemas"]["CreateTagInput"]["required"] = []
      mutated["paths"]["/beta/organization"]["get"]["responses"] = { "201": { description: "" } }
      delete mutated["paths"]["/beta/tags/{tagId}"]
      const found = compare(spec, mutated).map(show)
      const expected = [
        "[param] getAgentsAgentid / agents.get: path:agentId is integer, the spec says string/uuid",
        "[param] getAgentsAgentid / agents.get: query:verbose is not in the spec",
        "[errors] getAgentsAgentid / agents.get: declares [400,500], the spec declares [400,404,500]",
        "[body] postTags / tags.create: required false, the spec says true",
        "[body] postTags / tags.create: the spec requires name, we do not",
        "[schema] CreateTagInput.name: optional for us, required in the spec",
        "[status] getOrganization / organization.get: answers 201, the spec says 200",
        "[errors] getOrganization / organization.get: declares [], the spec declares [400,404,500]"
      ]
      for (const line of expected) expect(found, line).toContain(line)
      expect(found.filter((line) => line.startsWith("[missing]") && line.includes("/beta/tags/{}"))).toHaveLength(2)
    })

    it("every operation of the spec is defined", () => {
      expect(unexplained("missing")).toEqual([])
    })

    it("every defined operation is in the spec", () => {
      expect(unexplained("extra")).toEqual([])
    })

    it("parameters: names, locations, types and required flags", () => {
      expect(unexplained("param")).toEqual([])
    })

    it("request bodies: presence, required flag, media type and required fields", () => {
      expect(unexplained("body")).toEqual([])
    })

    it("success and error statuses", () => {
      expect(unexplained("status")).toEqual([])
      expect(unexplained("errors")).toEqual([])
    })

    it("named schemas have the shape of the spec's schema of the same name", () => {
      expect(unexplained("schema").filter((line) => !line.includes("(ours: "))).toEqual([])
    })

    it("named schemas we renamed have the shape of the spec's schema found in their place", () => {
      expect(unexplained("schema").filter((line) => line.includes("(ours: "))).toEqual([])
    })

    it("every listed deviation says what and why, and still deviates", () => {
      const problems: Array<string> = []
      for (const dev of deviations) {
        const label = dev.where === "" ? "(unnamed)" : dev.where
        if (dev.what.trim() === "") problems.push(`${label}: says nothing about what deviates`)
        if (dev.why.trim().length < 10) problems.push(`${label}: gives no reason`)
        if (!differences.some((d) => covers(dev, d))) problems.push(`${label}: no longer deviates (${dev.what})`)
      }
      expect(problems).toEqual([])
    })
  })
}
