import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Tracer from "effect/Tracer"
import * as DixaClient from "../src/DixaClient.js"
import { Tags } from "../src/index.js"
import * as Retry from "../src/Retry.js"
import { scriptedHttp } from "./support/scriptedHttp.js"

const secret = "tracing-secret-key"

/** Records every span the native tracer makes. */
const recording = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    span: (...args) => {
      const span = native.span(...args)
      spans.push(span)
      return span
    },
    context: (f) => f()
  })
  return { spans, tracer }
})

describe("tracing", () => {
  it.effect("each call is one span named after its operation, with no secret in it", () =>
    Effect.gen(function*() {
      const { spans, tracer } = yield* recording
      const client = yield* DixaClient.make({
        apiKey: Redacted.make(secret),
        baseUrl: "http://dixa.test",
        rateLimit: false,
        retry: Retry.policy({ maxRetries: 0 })
      }).pipe(Effect.provideService(HttpClient.HttpClient, scriptedHttp([404], [])))
      const tags = DixaClient.bindGroup(client, Tags.TagsApi)
      const failure = yield* Effect.flip(
        tags.get({ tagId: "6c9a3f5e-5f3a-4c57-9d8e-0c8f9c1e2a11" as never }).pipe(Effect.withTracer(tracer))
      )
      expect(failure._tag).toBe("NotFound")
      const span = spans.find((s) => s.name === "dixa.tags.get")
      expect(span).toBeDefined()
      expect(span!.kind).toBe("client")
      expect(span!.attributes.get("dixa.operation")).toBe("tags.get")
      expect(span!.attributes.get("url.template")).toBe("/beta/tags/{tagId}")
      expect(span!.attributes.get("http.response.status_code")).toBe(404)
      for (const s of spans) {
        expect(JSON.stringify([...s.attributes.entries()])).not.toContain(secret)
      }
      expect(JSON.stringify(failure)).not.toContain(secret)
    }))
})
