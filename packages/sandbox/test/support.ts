/**
 * Shared test helpers: a real client pointed at a real sandbox, and raw HTTP for what the client hides.
 */
import { DixaClient, Retry } from "@org/dixa-core"
import type { RateLimit } from "@org/dixa-core"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type { Running } from "../src/index.js"

export const apiKey = "sandbox-test-key"

/**
 * A client for the sandbox (needs an `HttpClient`). By default without its own limiter and without
 * retries, to see the raw answers.
 */
export const clientFor = (
  sandbox: Running,
  options: {
    readonly rateLimit?: RateLimit.Budget | false
    readonly retry?: Retry.Policy
    readonly timeout?: Duration.DurationInput
  } = {}
) =>
  DixaClient.make({
    apiKey: Redacted.make(apiKey),
    baseUrl: sandbox.url,
    rateLimit: options.rateLimit ?? false,
    retry: options.retry ?? Retry.policy({ maxRetries: 0 }),
    timeout: options.timeout
  })

/** An answer as received. */
export interface RawAnswer {
  readonly status: number
  readonly header: (name: string) => string | null
  readonly text: string
  readonly json: any
}

/** A raw request, for status codes, headers and bodies exactly as sent. */
export const raw = (
  sandbox: Running,
  method: string,
  path: string,
  init: { readonly body?: unknown; readonly headers?: Record<string, string> } = {}
): Effect.Effect<RawAnswer> =>
  Effect.promise(async () => {
    const response = await fetch(sandbox.url + path, {
      method,
      headers: {
        authorization: apiKey,
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...init.headers
      },
      ...(init.body === undefined
        ? {}
        : { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) })
    })
    const text = await response.text()
    let json: any = undefined
    try {
      json = text === "" ? undefined : JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, header: (name: string) => response.headers.get(name), text, json }
  })
