/**
 * An `HttpClient` that answers from a script instead of a network, recording the (virtual) time of each request:
 * for timing tests under the TestClock, where real sockets and real time cannot be used.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"

/**
 * A status, a refused connection, a server that never answers, a status with a `Retry-After` header, or a page of one
 * item that links to a next page.
 */
export type Answer = number | "refused" | "hang" | "page" | { readonly status: number; readonly retryAfter: string }

export const scriptedHttp = (script: Array<Answer>, seen: Array<number>) =>
  HttpClient.make((request) =>
    Effect.gen(function*() {
      seen.push(yield* Clock.currentTimeMillis)
      const answer = script.shift() ?? 200
      if (answer === "hang") return yield* Effect.never
      if (answer === "refused") {
        return yield* new HttpClientError.RequestError({
          request,
          reason: "Transport",
          cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" })
        })
      }
      if (answer === "page") {
        const page = { data: [{ id: "x" }], meta: { next: "/beta/things/list?pageKey=more" } }
        return HttpClientResponse.fromWeb(request, Response.json(page))
      }
      const status = typeof answer === "number" ? answer : answer.status
      const headers: Record<string, string> = { "content-type": "application/json" }
      if (typeof answer === "object") headers["retry-after"] = answer.retryAfter
      const body = status === 200
        ? JSON.stringify({ data: { id: "x" } })
        : status === 204
        ? null
        : JSON.stringify({ message: "no" })
      return HttpClientResponse.fromWeb(request, new Response(body, { status, headers }))
    })
  )
