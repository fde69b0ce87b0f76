/**
 * The answers a caller gets for an operation: Dixa's, passed through with the headers a caller may see, or one the
 * gateway made when Dixa's did not come. Both are plain data, so an idempotent write's answer can be kept and
 * replayed byte for byte.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { DixaClient, DixaError } from "@org/dixa-core"
import type * as Idempotency from "./Idempotency.js"
import type * as ResponseCache from "./ResponseCache.js"

/** An answer to give a caller: Dixa's, passed through, or one the gateway made when it could not get Dixa's. */
export interface Answer extends Idempotency.Stored {
  readonly cache?: ResponseCache.Outcome
  /** Made by the gateway (a timeout, a deadline, an unreachable Dixa), not received from Dixa. */
  readonly gatewayMade?: boolean
  /** A write may have reached Dixa although its answer did not reach the gateway. */
  readonly inDoubt: boolean
}

const passedHeaders = ["content-type", "retry-after"] as const

const encoder = new TextEncoder()

const json = (status: number, text: string, headers: Record<string, string> = {}): Idempotency.Stored => ({
  status,
  headers: { "content-type": "application/json", ...headers },
  body: encoder.encode(JSON.stringify({ message: text }))
})

/** Dixa's answer with the headers a caller may see. */
export const fromUpstream = (response: DixaClient.RawResponse): Idempotency.Stored => {
  const headers: Record<string, string> = {}
  for (const name of passedHeaders) {
    const value = response.headers[name]
    if (value !== undefined) headers[name] = value
  }
  headers["content-type"] ??= "application/json"
  return { status: response.status, headers, body: response.body }
}

/**
 * The gateway's answer when Dixa's did not come: 429 with Retry-After when the deadline passed before anything was
 * sent (trying again later is safe), 504 when a request was sent but not answered in time, 502 otherwise.
 */
export const transportAnswer = (e: DixaError.TransportError): Idempotency.Stored & { readonly gatewayMade: true } => {
  const answer = e.reason === "Deadline" && e.attempts === 0
    ? json(429, `not sent: ${e.message}`, { "retry-after": "1" })
    : e.reason === "Deadline" || e.reason === "Timeout"
    ? json(504, `Dixa did not answer within this request's deadline: ${e.message}`)
    : json(502, `Dixa could not be reached: ${e.message}`)
  return { ...answer, gatewayMade: true }
}

/** What a repeat of a write gets when the first was cut off after it may have reached Dixa. */
export const inDoubt = json(
  409,
  "an earlier request with this Idempotency-Key may have reached Dixa, but its caller left before the answer came: " +
    "check its effect before retrying with a new key"
)

/** The HTTP response for an answer, with any headers the gateway adds. */
export const toResponse = (answer: Idempotency.Stored, extra: Record<string, string> = {}) => {
  const { "content-type": contentType, ...rest } = answer.headers
  const headers: Record<string, string> = { ...rest, ...extra }
  if ("cache" in answer && answer.cache !== undefined) headers["x-cache"] = answer.cache === "hit" ? "hit" : "miss"
  return answer.body.length === 0 && answer.status === 204
    ? HttpServerResponse.empty({ status: answer.status, headers })
    : HttpServerResponse.uint8Array(answer.body, {
      status: answer.status,
      headers,
      contentType: contentType ?? "application/json"
    })
}
