/**
 * A client of the things API over a scripted transport, on the test's clock: one request a second, retries 100 ms
 * apart without jitter, unless `options` say otherwise. Every request's (virtual) time goes into `seen`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as DixaClient from "../../src/DixaClient.js"
import * as Retry from "../../src/Retry.js"
import { type Answer, scriptedHttp } from "./scriptedHttp.js"
import { ThingsApi } from "./thingsApi.js"

export const thingsClient = (script: Array<Answer>, seen: Array<number>, options: Partial<DixaClient.Options> = {}) =>
  Effect.gen(function*() {
    const made = yield* DixaClient.make({
      apiKey: Redacted.make("secret-key"),
      baseUrl: "http://dixa.test",
      rateLimit: { requestsPerSecond: 1, burst: 1 },
      retry: Retry.policy({ jitter: false, baseDelay: "100 millis" }),
      clock: yield* Effect.clock,
      ...options
    }).pipe(Effect.provideService(HttpClient.HttpClient, scriptedHttp(script, seen)))
    return DixaClient.bindGroup(made, ThingsApi)
  })
