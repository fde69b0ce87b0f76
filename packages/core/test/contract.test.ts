/**
 * The contract test: the OpenAPI document derived from our definition against Dixa's own. Every
 * difference must be listed as a deliberate deviation in `codegen/deviations.ts`, with a reason, and
 * every listed deviation must still be a difference.
 */
import { beforeAll, describe, expect, it } from "@effect/vitest"
import * as Api from "../src/Api.js"
import * as OpenApi from "../src/OpenApi.js"
import { type Deviation, deviationsPath, loadDeviations } from "./support/deviations.js"
import * as Spec from "./support/spec.js"

/** What kind of thing differs. An operation's deviation may name the kind in its `what` ("errors: ..."). */
const kinds = ["missing", "extra", "param", "body", "status", "errors", "schema"] as const
type Kind = (typeof kinds)[number]

/**
 * General rules of the generator, each stated once in the deviations list rather than per schema:
 * - `_type`: every member of a `oneOf` of objects carries a required `_type` literal;
 * - `names`: a `oneOf` of property-less objects (names dressed as schemas) is a string.
 * A difference that follows a rule is covered by the deviation entry that states the rule.
 */
type Rule = "_type" | "names"

const ruleStated: Readonly<Record<Rule, (text: string) => boolean>> = {
  _type: (text) => text.includes("_type"),
  names: (text) => /oneof/.test(text) && /empty object/.test(text)
}

interface Difference {
  readonly kind: Kind
  /** The spec's operationId, when the difference is about an operation. */
  readonly specId?: string
  /** Our endpoint id, when the difference is about an operation we define. */
  readonly ourId?: string
  /** The component schema name, for `schema` differences. */
  readonly schema?: string
  /** The property concerned, for `schema` and `body` differences about one field. */
  readonly field?: string
  readonly rule?: Rule
  readonly detail: string
}

const show = (d: Difference): string =>
  `[${d.kind}] ${
    d.schema !== undefined ? d.schema + (d.field ? `.${d.field}` : "") : [d.specId, d.ourId].filter(Boolean).join(" / ")
  }: ${d.detail}`

/** The differences between one of our schemas and the spec's schema of the same name, field by field. */
const compareSchema = (spec: Spec.Doc, ours: Spec.Doc, name: string, o: unknown, s: unknown): Array<Difference> => {
  const out: Array<Difference> = []
  const add = (detail: string, field?: string, rule?: Rule) =>
    out.push({ kind: "schema", schema: name, ...(field ? { field } : {}), ...(rule ? { rule } : {}), detail })
  const typeRule = (field: string): Rule | undefined => field === "_type" ? "_type" : undefined
  const oFam = Spec.family(ours, o)
  const sFam = Spec.family(spec, s)
  if (oFam !== sFam) {
    add(`is ${oFam}, the spec's is ${sFam}`, undefined, oFam === "string" && Spec.isEmptyObjectUnion(spec, s) ? "names" : undefined)
    return out
  }
  const oReq = Spec.requiredFields(ours, o)
  const sReq = Spec.requiredFields(spec, s)
  for (const f of oReq) if (!sReq.includes(f)) add("required by us, optional in the spec", f, typeRule(f))
  for (const f of sReq) if (!oReq.includes(f)) add("optional for us, required in the spec", f, typeRule(f))
  const oProps = Spec.properties(ours, o)
  const sProps = Spec.properties(spec, s)
  for (const f of Object.keys(oProps)) if (!(f in sProps)) add("ours only", f, typeRule(f))
  for (const f of Object.keys(sProps)) {
    if (!(f in oProps)) {
      add("the spec's only", f)
      continue
    }
    const a = Spec.family(ours, oProps[f])
    const b = Spec.family(spec, sProps[f])
    if (a !== b) add(`is ${a}, the spec's is ${b}`, f, a === "string" && Spec.isEmptyObjectUnion(spec, sProps[f]) ? "names" : undefined)
  }
  return out
}

const paramView = (doc: Spec.Doc, param: Spec.Doc) => {
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

const compareOperation = (spec: Spec.Doc, ours: Spec.Doc, s: Spec.OperationRef, o: Spec.OperationRef): Array<Difference> => {
  const out: Array<Difference> = []
  const at = { specId: s.operationId, ourId: o.operationId }
  const add = (kind: Kind, detail: string) => out.push({ kind, ...at, detail })

  const specParams = new Map((s.op["parameters"] ?? []).map((p: Spec.Doc) => paramView(spec, p)).map((p: any) => [p.key, p]))
  const ourParams = new Map((o.op["parameters"] ?? []).map((p: Spec.Doc) => paramView(ours, p)).map((p: any) => [p.key, p]))
  for (const [key, sp] of specParams as Map<string, ReturnType<typeof paramView>>) {
    const op = ourParams.get(key) as ReturnType<typeof paramView> | undefined
    if (op === undefined) add("param", `${key} is not defined`)
    else {
      if (op.type !== sp.type) add("param", `${key} is ${op.type}, the spec says ${sp.type}`)
      if (op.required !== sp.required) add("param", `${key} required ${op.required}, the spec says ${sp.required}`)
    }
  }
  for (const key of ourParams.keys() as Iterable<string>) {
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
    const field = (f: string, detail: string) =>
      out.push({ kind: "body", ...at, field: f, ...(f === "_type" ? { rule: "_type" as const } : {}), detail })
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
  // Named schemas present in both documents under the same name: same family, fields and required fields.
  const specSchemas: Spec.Doc = spec["components"]?.["schemas"] ?? {}
  const ourSchemas: Spec.Doc = ours["components"]?.["schemas"] ?? {}
  for (const name of Object.keys(ourSchemas).sort()) {
    if (specSchemas[name] !== undefined) out.push(...compareSchema(spec, ours, name, ourSchemas[name], specSchemas[name]))
  }
  return out
}

const mentionedKinds = (deviation: Deviation): ReadonlyArray<Kind> =>
  kinds.filter((kind) => new RegExp(`\\b${kind}`, "i").test(deviation.what))

/** Whether a listed deviation accounts for a difference. */
const covers = (deviation: Deviation, d: Difference): boolean => {
  if (d.rule !== undefined && ruleStated[d.rule](deviation.text)) return true
  if (deviation.target === undefined) return false
  if (d.kind === "schema") {
    return d.schema === deviation.target && (deviation.field === undefined || deviation.field === d.field)
  }
  if (deviation.target !== d.specId && deviation.target !== d.ourId) return false
  const named = mentionedKinds(deviation)
  return named.length === 0 || named.includes(d.kind)
}

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
      console.log(`contract: ${differences.length} differences, ${deviations.length} listed deviations`)
    })

    it("the derived document has one secured operation per endpoint and no dangling reference", () => {
      const ops = Spec.operations(ours)
      expect(ops.map((o) => o.operationId).sort()).toEqual(Api.endpoints.map((e) => e.id).sort())
      for (const o of ops) expect(o.op["security"], o.operationId).toEqual([{ [OpenApi.securitySchemeName]: [] }])
      const refs = JSON.stringify(ours).match(/"\$ref":"[^"]+"/g) ?? []
      for (const ref of new Set(refs)) expect(() => Spec.deref(ours, JSON.parse(`{${ref}}`)), ref).not.toThrow()
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

    it("named schemas shared with the spec have its shape", () => {
      expect(unexplained("schema")).toEqual([])
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
