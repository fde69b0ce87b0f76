// The command line read off the definition, and the output formats, without spawning anything.
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@org/dixa-core/Api"
import * as Model from "@org/dixa-core/Model"
import * as Schema from "effect/Schema"
import { mediaTypeOf } from "../src/Action.js"
import { fileKind, kebab, shapeOf } from "../src/Derive.js"
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
    expect(anonymize.risk).toBe("danger")

    const list = shapeOf(endpoint("agents.list"))
    expect(list.paginated).toBe(true)
    expect(list.query.map((f) => f.flag)).toEqual(expect.arrayContaining(["page-limit", "page-key"]))
    expect(list.risk).toBe("read")
    expect(shapeOf(endpoint("tags.delete")).risk).toBe("danger")
    expect(shapeOf(endpoint("teams.removeMembers")).risk).toBe("danger")
    expect(shapeOf(endpoint("anonymization.request")).risk).toBe("danger")
    expect(shapeOf(endpoint("agents.create")).risk).toBe("write")
    expect(shapeOf(endpoint("tags.deactivate")).risk).toBe("write")
    expect(shapeOf(endpoint("tags.create")).risk).toBe("write")
    // Queries sent as POST only read.
    expect(shapeOf(endpoint("search.conversations")).risk).toBe("read")
    expect(shapeOf(endpoint("analytics.queryRecords")).risk).toBe("read")
  })

  it("a body field of files is a file flag, repeatable for a list; the only one in the API is the upload", () => {
    expect(shapeOf(endpoint("knowledge.uploadAttachments")).body).toEqual([
      { flag: "files", field: "files", kind: { _tag: "file", many: true }, required: false }
    ])
    const withFiles = Api.endpoints.filter((e) => shapeOf(e).body.some((f) => f.kind._tag === "file"))
    expect(withFiles.map((e) => e.id)).toEqual(["knowledge.uploadAttachments"])
  })

  it("files are recognised by the FilePart identifier on either side of a schema", () => {
    expect(fileKind(Model.FilePart.ast)).toEqual({ _tag: "file", many: false })
    expect(fileKind(Schema.Array(Model.FilePart).ast)).toEqual({ _tag: "file", many: true })
    expect(fileKind(Schema.UndefinedOr(Schema.Array(Model.FilePart)).ast)).toEqual({ _tag: "file", many: true })
    const lookalike = Schema.Struct({ name: Schema.String, content: Schema.Uint8ArrayFromSelf })
    expect(fileKind(lookalike.ast)).toBeUndefined()
    const file = lookalike.annotations({ identifier: "FilePart" })
    // Only the decoded side is a file, then only the encoded side.
    const decodedSide = Schema.transform(lookalike, file, { strict: true, decode: (a) => a, encode: (a) => a })
    const encodedSide = Schema.transform(file, lookalike, { strict: true, decode: (a) => a, encode: (a) => a })
    expect(fileKind(decodedSide.ast)).toEqual({ _tag: "file", many: false })
    expect(fileKind(encodedSide.ast)).toEqual({ _tag: "file", many: false })
    expect(fileKind(Schema.Array(Schema.String).ast)).toBeUndefined()
    expect(fileKind(Schema.String.ast)).toBeUndefined()
  })

  it("guesses a file's media type from its extension", () => {
    expect(mediaTypeOf("a/logo.png")).toBe("image/png")
    expect(mediaTypeOf("photo.JPG")).toBe("image/jpeg")
    expect(mediaTypeOf("photo.jpeg")).toBe("image/jpeg")
    expect(mediaTypeOf("anim.gif")).toBe("image/gif")
    expect(mediaTypeOf("pic.webp")).toBe("image/webp")
    expect(mediaTypeOf("doc.pdf")).toBe("application/pdf")
    expect(mediaTypeOf("archive.tar.gz")).toBe("application/octet-stream")
    expect(mediaTypeOf("README")).toBe("application/octet-stream")
    expect(mediaTypeOf(".png")).toBe("application/octet-stream")
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
      [`- id: a`, `  count: 1`, `  ok: true`, `  nested:`, `    x: 1`, `- id: b`, `  count: 22`, `  extra: "yes"`].join(
        "\n"
      )
    )
  })

  it("a table has a column per scalar field (nested ones as dot paths), ids last, and fits the width", () => {
    const lines = Output.table(items, 80).split("\n")
    expect(lines[0]).toMatch(/^count\s+ok\s+nested\.x\s+extra\s+id$/)
    expect(lines[1]).toMatch(/^1\s+true\s+1\s+a$/)
    for (const line of Output.table(items, 8).split("\n")) expect(line.length).toBeLessThanOrEqual(8)
  })

  it("ndjson is a line per item; one object is a line", () => {
    expect(Output.list("ndjson", items, 80).split("\n").map((l) => JSON.parse(l))).toEqual(items)
    expect(Output.single("ndjson", items[0], 80)).toBe(JSON.stringify(items[0]))
  })
})
