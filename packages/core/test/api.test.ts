/**
 * The generated API definition against the official spec: every operation mapped once, the spec's own
 * examples decode with our schemas, and the generated files are what the generator writes today.
 */
import { describe, expect, it } from "@effect/vitest"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { generate } from "../codegen/generate.js"
import { operations } from "../codegen/operations.js"
import * as Api from "../src/Api.js"
import type * as Endpoint from "../src/Endpoint.js"
import * as Wire from "../src/Wire.js"
import * as Spec from "./support/spec.js"

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")

const endpoint = (id: string): Endpoint.Any => {
  const found = Api.byId.get(id)
  if (found === undefined) throw new Error(`no endpoint ${id}`)
  return found
}

const agent = {
  id: "4d2ab456-8510-4a35-b266-e502160d5177",
  createdAt: "2020-12-16T09:41:43Z",
  displayName: "Alice Brown",
  email: "alice@brown.com"
}

describe("the definition", () => {
  it("has unique ids, one per operation of the table", () => {
    const ids = Api.endpoints.map((e) => e.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.sort()).toEqual(Object.values(operations).map((o) => `${o.group}.${o.name}`).sort())
  })

  it("keeps the names the other packages build on", () => {
    const slice = [
      "organization.get",
      ...["list", "get", "create", "createMany", "updateMany", "patchMany", "update", "patch", "delete"].map((a) =>
        `agents.${a}`
      ),
      "agents.listPresence",
      "agents.getPresence",
      "agents.listTeams",
      "agents.setWorkingChannel",
      ...["list", "create", "get", "delete", "activate", "deactivate"].map((a) => `tags.${a}`),
      ...["get", "close", "anonymize", "anonymizeMessage"].map((a) => `conversations.${a}`),
      "anonymization.getRequest"
    ]
    for (const id of slice) expect(Api.byId.has(id), id).toBe(true)
    expect(endpoint("agents.createMany").path).toBe("/beta/agents/bulk")
    expect(endpoint("agents.updateMany").method).toBe("PUT")
    expect(endpoint("agents.patchMany").method).toBe("PATCH")
    expect(endpoint("anonymization.getRequest").path).toBe("/beta/anonymization/request/{requestId}")
  })

  it.effect("decodes a [GMT] date-time, an unknown _type variant, and keeps unknown fields", () =>
    Effect.gen(function*() {
      const request: any = yield* Wire.decodeResponse(endpoint("anonymization.getRequest"), {
        data: {
          id: "062f0b37-4de0-40f2-95a4-641435cb2869",
          entityType: "UserAnonymizationType",
          _type: "User",
          initiatedAt: "2021-12-01T12:46:36.581Z[GMT]",
          targetEntityId: "da9db703-4a7a-4f44-8a6a-c03b179b8ae2",
          requestedBy: "bac5a02c-15b3-44da-ae1e-ab7b9db4aa89"
        }
      })
      expect(DateTime.isDateTime(request.initiatedAt)).toBe(true)
      expect(DateTime.formatIso(request.initiatedAt)).toBe("2021-12-01T12:46:36.581Z")

      const conversation: any = yield* Wire.decodeResponse(endpoint("conversations.get"), {
        data: { id: 7, _type: "CarrierPigeonConversation", pigeon: { name: "Ada" } }
      })
      expect(conversation).toEqual({ id: 7, _type: "CarrierPigeonConversation", pigeon: { name: "Ada" } })

      const known: any = yield* Wire.decodeResponse(endpoint("conversations.get"), {
        data: {
          id: 1,
          requesterId: "d58c8b1c-85ad-4678-a6c8-7442945f3836",
          channel: "WidgetChat",
          createdAt: "2020-12-16T09:41:43Z",
          _type: "ChatConversation",
          mood: "sunny"
        }
      })
      expect(DateTime.isDateTime(known.createdAt)).toBe(true)
      expect(known.mood).toBe("sunny")

      const withExtra: any = yield* Wire.decodeResponse(endpoint("agents.get"), { data: { ...agent, shoeSize: 42 } })
      expect(withExtra.shoeSize).toBe(42)
      expect(withExtra.displayName).toBe("Alice Brown")
    }))

  it.effect("encodes path and query parameters as the spec types them", () =>
    Effect.gen(function*() {
      const conversation = yield* Wire.encodeRequest(endpoint("conversations.get"), { conversationId: 42 })
      expect(conversation.path).toBe("/beta/conversations/42")

      const agents = yield* Wire.encodeRequest(endpoint("agents.list"), { email: "a@b.c", pageLimit: 10 })
      expect(agents.query).toEqual([["email", "a@b.c"], ["pageLimit", "10"]])

      const tags = yield* Wire.encodeRequest(endpoint("tags.list"), { includeDeactivated: true })
      expect(tags.query).toEqual([["includeDeactivated", "true"]])

      const upcoming = yield* Wire.encodeRequest(endpoint("business-hours.getUpcoming"), {
        scheduleId: "a0d559bf-cdf8-4088-841d-f3807b93272e",
        days: 91
      }).pipe(Effect.flip)
      expect(new Set(upcoming.issues.map((i) => i.path))).toEqual(new Set(["query.days"]))

      const badId = yield* Wire.encodeRequest(endpoint("agents.get"), { agentId: "not-a-uuid" }).pipe(Effect.flip)
      expect(new Set(badId.issues.map((i) => i.path))).toEqual(new Set(["path.agentId"]))

      const templates = yield* Wire.encodeRequest(endpoint("templates.list"), { type: "Fax" }).pipe(Effect.flip)
      expect(new Set(templates.issues.map((i) => i.path))).toEqual(new Set(["query.type"]))
    }))

  it("marks the one upload as multipart and everything else as JSON", () => {
    const multipart = Api.endpoints.filter((e) => e.bodyEncoding === "multipart").map((e) => e.id)
    expect(multipart).toEqual(["knowledge.uploadAttachments"])
  })

  it("rejects a known variant that lacks its required fields", () => {
    const result = Effect.runSync(
      Effect.either(Wire.decodeResponse(endpoint("agents.get"), { data: { ...agent, createdAt: "yesterday" } }))
    )
    expect(Either.isLeft(result)).toBe(true)
  })
})

const spec = Spec.loadSpec()

/** The examples of a media type: `example`, or the values of `examples`. */
const examplesOf = (media: Spec.Doc | undefined): Array<[string, unknown]> => {
  if (media === undefined) return []
  const out: Array<[string, unknown]> = []
  if (media["example"] !== undefined) out.push(["example", media["example"]])
  for (const [name, ex] of Object.entries<Spec.Doc>(media["examples"] ?? {})) {
    if (ex?.["value"] !== undefined) out.push([name, ex["value"]])
  }
  return out
}

/** A plausible path parameter value for a spec parameter. */
const samplePathValue = (param: Spec.Doc): string => {
  const schema = param["schema"] ?? {}
  if (schema["type"] === "integer") return "1"
  if (schema["format"] === "uuid") return "062f0b37-4de0-40f2-95a4-641435cb2869"
  return "sample"
}

if (spec === undefined) {
  describe("the definition against the official spec", () => {
    it.skip(Spec.specMissing, () => {})
  })
} else {
  const specOps = Spec.operations(spec)
  const byRoute = new Map(Api.endpoints.map((e) => [`${e.method} ${e.path}`, e]))

  describe("the definition against the official spec", () => {
    it("maps every operationId exactly once, and nothing else", () => {
      const specIds = specOps.map((o) => o.operationId)
      expect(specIds.length).toBe(123)
      expect(new Set(specIds).size).toBe(specIds.length)
      expect(Object.keys(operations).sort()).toEqual([...specIds].sort())
      expect(Api.endpoints.length).toBe(specIds.length)
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)
        expect(e?.id, o.operationId).toBe(`${operations[o.operationId]!.group}.${operations[o.operationId]!.name}`)
        expect(e?.deprecated, o.operationId).toBe(o.op["deprecated"] === true)
      }
    })

    it("declares the spec's statuses", () => {
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)!
        const codes = Object.keys(o.op["responses"]).map(Number)
        expect(e.status, o.operationId).toBe(codes.find((c) => c >= 200 && c < 300))
        expect([...e.errors].sort(), o.operationId).toEqual(codes.filter((c) => c >= 300).sort())
      }
    })

    it("the generated files are what the generator writes now, every time", () => {
      const generated = generate(Spec.specPath)
      expect([...generate(Spec.specPath)]).toEqual([...generated])
      for (const [file, text] of generated) {
        expect(readFileSync(path.resolve(packageRoot, file), "utf8"), file).toBe(text)
      }
    })

    describe("the spec's success examples decode", () => {
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)
        const status = Object.keys(o.op["responses"]).find((c) => c.startsWith("2"))!
        const examples = examplesOf(o.op["responses"][status]?.["content"]?.["application/json"])
        if (e === undefined || examples.length === 0) continue
        it.effect(`${e.id} (${o.operationId})`, () =>
          Effect.gen(function*() {
            for (const [name, example] of examples) {
              const failure = yield* Wire.decodeResponse(e, example).pipe(
                Effect.match({ onFailure: (error) => error.message, onSuccess: () => undefined })
              )
              expect(failure, name).toBeUndefined()
            }
          }))
      }
    })

    describe("the spec's request examples decode", () => {
      for (const o of specOps) {
        const e = byRoute.get(`${o.method.toUpperCase()} ${o.path}`)
        const examples = examplesOf(o.op["requestBody"]?.["content"]?.["application/json"])
        if (e === undefined || examples.length === 0) continue
        const pathParams: Record<string, string> = {}
        for (const p of o.op["parameters"] ?? []) if (p["in"] === "path") pathParams[p["name"]] = samplePathValue(p)
        it.effect(`${e.id} (${o.operationId})`, () =>
          Effect.gen(function*() {
            for (const [name, example] of examples) {
              const failure = yield* Wire.decodeRequest(e, {
                pathParams,
                searchParams: new URLSearchParams(),
                bodyText: JSON.stringify(example)
              }).pipe(Effect.match({ onFailure: (error) => error.message, onSuccess: () => undefined }))
              expect(failure, name).toBeUndefined()
            }
          }))
      }
    })
  })
}
