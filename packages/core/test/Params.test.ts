/**
 * Path and query parameters are read as leniently as Dixa reads them, and no more: booleans in any case,
 * integers as Java parses them, UUIDs in either case, date-times with a lowercase t and z, each parameter once.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Schema from "effect/Schema"
import * as Api from "../src/Api.js"
import type * as Endpoint from "../src/Endpoint.js"
import * as Model from "../src/Model.js"
import * as Wire from "../src/Wire.js"

const endpoint = (id: string): Endpoint.Any => {
  const found = Api.byId.get(id)
  if (found === undefined) throw new Error(`no endpoint ${id}`)
  return found
}

const decodes = <A>(schema: Schema.Schema<A, string>, input: string) =>
  Either.getOrUndefined(Schema.decodeEither(schema)(input))

describe("Param.boolean", () => {
  it("decodes true and false in any case", () => {
    for (const input of ["true", "True", "TRUE", "tRuE"]) expect(decodes(Model.Param.boolean, input)).toBe(true)
    for (const input of ["false", "False", "FALSE", "fAlSe"]) expect(decodes(Model.Param.boolean, input)).toBe(false)
  })

  it("refuses anything else, as Dixa does", () => {
    for (const input of ["", "1", "0", "yes", "no", "t", " true", "true ", "truee"]) {
      expect(Either.isLeft(Schema.decodeEither(Model.Param.boolean)(input))).toBe(true)
    }
  })

  it("encodes in lowercase, also what it decoded from another case", () => {
    expect(Schema.encodeSync(Model.Param.boolean)(true)).toBe("true")
    expect(Schema.encodeSync(Model.Param.boolean)(false)).toBe("false")
    for (const input of ["True", "TRUE", "False"]) {
      const decoded = Schema.decodeSync(Model.Param.boolean)(input)
      expect(Schema.encodeSync(Model.Param.boolean)(decoded)).toBe(input.toLowerCase())
    }
  })
})

describe("Param.int", () => {
  const int = Model.Param.int(Schema.Int)

  it("decodes an optional sign and decimal digits, leading zeros included", () => {
    expect(decodes(int, "42")).toBe(42)
    expect(decodes(int, "+42")).toBe(42)
    expect(decodes(int, "-7")).toBe(-7)
    expect(decodes(int, "007")).toBe(7)
    expect(decodes(Model.ConversationIdParam, "+1234")).toBe(1234)
  })

  it("refuses what Java's parseLong refuses, though JavaScript's Number would take it", () => {
    for (const input of ["", " 5", "5 ", "0x10", "1e2", "5.0", "1_000", "Infinity", "+", "--5", "5-"]) {
      expect(Either.isLeft(Schema.decodeEither(int)(input))).toBe(true)
    }
  })

  it("encodes as plain decimal", () => {
    expect(Schema.encodeSync(int)(42)).toBe("42")
    expect(Schema.encodeSync(int)(-7)).toBe("-7")
  })
})

describe("other parameters", () => {
  it("a UUID in capitals decodes to the canonical lowercase one and is sent as given", () => {
    const upper = "A0D559BF-CDF8-4088-841D-F3807B93272E"
    expect(decodes(Model.AgentId, upper)).toBe(upper.toLowerCase())
    expect(Schema.encodeSync(Model.AgentId)(upper as Model.AgentId)).toBe(upper)
    expect(Either.isLeft(Schema.decodeEither(Model.AgentId)(` ${upper}`))).toBe(true)
  })

  it("a date-time may have a lowercase t and z, as in Java's ISO parsers", () => {
    const decoded = Schema.decodeSync(Model.DixaDateTime)("2021-12-01t12:46:36.581z")
    expect(DateTime.formatIso(decoded)).toBe("2021-12-01T12:46:36.581Z")
  })

  it.effect("a request decodes with a boolean in any case and the same input encodes in lowercase", () =>
    Effect.gen(function*() {
      const tags = endpoint("tags.list")
      const decoded = yield* Wire.decodeRequest(tags, {
        pathParams: {},
        searchParams: new URLSearchParams("includeDeactivated=True"),
        bodyText: undefined
      })
      expect(decoded).toEqual({ includeDeactivated: true })
      const encoded = yield* Wire.encodeRequest(tags, decoded)
      expect(encoded.query).toEqual([["includeDeactivated", "true"]])
    }))

  it.effect("a query parameter given twice is refused", () =>
    Effect.gen(function*() {
      const twice = yield* Wire.decodeRequest(endpoint("agents.list"), {
        pathParams: {},
        searchParams: new URLSearchParams("pageLimit=1&pageLimit=2"),
        bodyText: undefined
      }).pipe(Effect.flip)
      expect(twice.issues.map((i) => i.path)).toEqual(["query.pageLimit"])
      expect(twice.message).toContain("given 2 times")
    }))
})
