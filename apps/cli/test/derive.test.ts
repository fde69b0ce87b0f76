// The command line read off the definition, and the output formats, without spawning anything.
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@org/dixa-core/Api"
import { kebab, shapeOf } from "../src/Derive.js"
import * as Output from "../src/Output.js"

const endpoint = (id: string) => {
  const found = Api.byId.get(id)
  if (found === undefined) throw new Error(`no endpoint ${id}`)
  return found
}

describe("Derive", () => {
  it("kebab-cases action and field names", () => {
    expect(kebab("anonymizeMessage")).toBe("anonymize-message")
    expect(kebab("createMany")).toBe("create-many")
    expect(kebab("displayName")).toBe("display-name")
    expect(kebab("_type")).toBe("type")
    expect(kebab("list")).toBe("list")
  })

  it("path parameters are positional, in path order", () => {
    expect(shapeOf(endpoint("conversations.anonymizeMessage")).args).toEqual(["conversationId", "messageId"])
    expect(shapeOf(endpoint("organization.get")).args).toEqual([])
  })

  it("query parameters and scalar body fields become flags; the rest needs --input", () => {
    const create = shapeOf(endpoint("agents.create"))
    expect(create.body.map((f) => f.flag)).toEqual(expect.arrayContaining(["display-name", "email"]))
    expect(create.body.find((f) => f.field === "email")?.required).toBe(true)
    expect(create.hasBody).toBe(true)
    const createMany = shapeOf(endpoint("agents.createMany"))
    expect(createMany.body).toEqual([])
    expect(createMany.hasBody).toBe(true)

    const anonymize = shapeOf(endpoint("conversations.anonymize"))
    expect(anonymize.query.find((f) => f.field === "force")?.kind._tag).toBe("boolean")
    expect(anonymize.destructive).toBe(true)

    const list = shapeOf(endpoint("agents.list"))
    expect(list.paginated).toBe(true)
    expect(list.query.map((f) => f.flag)).toEqual(expect.arrayContaining(["page-limit", "page-key"]))
    expect(list.destructive).toBe(false)
    expect(shapeOf(endpoint("tags.delete")).destructive).toBe(true)
  })

  it("no two flags of an action share a name", () => {
    for (const e of Api.endpoints) {
      const shape = shapeOf(e)
      const flags = [...shape.query, ...shape.body].map((f) => f.flag)
      expect(new Set(flags).size, e.id).toBe(flags.length)
    }
  })
})

describe("Output", () => {
  const items = [{ id: "a", count: 1, ok: true, nested: { x: 1 } }, { id: "b", count: 22, extra: "yes" }]

  it("yaml quotes what could be misread and nests objects and lists", () => {
    expect(Output.yaml({ a: "true", b: "plain text", c: 1, d: null, e: [], f: { g: ["x", "10"] } })).toBe(
      [`a: "true"`, `b: plain text`, `c: 1`, `d: null`, `e: []`, `f:`, `  g:`, `    - x`, `    - "10"`].join("\n")
    )
    expect(Output.list("yaml", items, 80)).toBe(
      [`- id: a`, `  count: 1`, `  ok: true`, `  nested:`, `    x: 1`, `- id: b`, `  count: 22`, `  extra: "yes"`].join("\n")
    )
  })

  it("a table has a column per scalar field and fits the width", () => {
    const lines = Output.table(items, 80).split("\n")
    expect(lines[0]).toMatch(/^id\s+count\s+ok\s+extra$/)
    expect(lines[1]).toMatch(/^a\s+1\s+true$/)
    for (const line of Output.table(items, 8).split("\n")) expect(line.length).toBeLessThanOrEqual(8)
  })

  it("ndjson is a line per item; one object is a line", () => {
    expect(Output.list("ndjson", items, 80).split("\n").map((l) => JSON.parse(l))).toEqual(items)
    expect(Output.single("ndjson", items[0], 80)).toBe(JSON.stringify(items[0]))
  })
})
