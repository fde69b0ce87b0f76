import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Tags from "../src/api/Tags.js"
import * as Wire from "../src/Wire.js"

describe("Wire.decodeRequest", () => {
  it.effect("an answer about a large invalid body does not echo it", () =>
    Effect.gen(function*() {
      const huge = JSON.stringify(Array.from({ length: 100_000 }, () => []))
      const error = yield* Effect.flip(
        Wire.decodeRequest(Tags.create, { pathParams: {}, searchParams: new URLSearchParams(), bodyText: huge })
      )
      expect(error.issues[0]?.path).toBe("body")
      expect(error.message.length).toBeLessThan(1000)
    }))

  it.effect("a path parameter that would change the path is refused with its name", () =>
    Effect.gen(function*() {
      for (const tagId of ["..", ".", "a/b", "a\\b", "a\u0000b", "a\r\nb"]) {
        const error = yield* Effect.flip(
          Wire.decodeRequest(Tags.get, { pathParams: { tagId }, searchParams: new URLSearchParams(), bodyText: "" })
        )
        expect(error.issues.map((i) => i.path), JSON.stringify(tagId)).toContain("path.tagId")
      }
    }))
})
