import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { RateLimit } from "@org/dixa-core"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as CallerKeys from "../src/CallerKeys.js"
import * as NodeGateway from "../src/NodeGateway.js"
import type { Options } from "../src/Options.js"

/** The Dixa token the gateway holds in the tests; nothing a caller sees may contain it. */
export const dixaToken = "dixa-upstream-token-do-not-leak"

export const callers = [
  { name: "billing", key: "billing-key-0123456789", scopes: ["read", "write"] as const },
  { name: "reports", key: "reports-key-0123456789", scopes: ["read"] as const },
  { name: "support", key: "support-key-0123456789", scopes: ["read", "write"] as const }
]

export const keys = CallerKeys.make(callers.map((c) => ({ ...c, scopes: [...c.scopes] })))

/** A sandbox with Dixa's rate limit on, and a gateway in front of it. */
export const stack = (
  options: { readonly sandbox?: Sandbox.Options; readonly gateway?: Partial<Options> } = {}
) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ apiKey: dixaToken, rateLimit: RateLimit.dixaBudget, ...options.sandbox })
    const gateway = yield* NodeGateway.start({
      dixaApiKey: Redacted.make(dixaToken),
      dixaBaseUrl: sandbox.url,
      keys,
      ...options.gateway
    })
    return { sandbox, gateway }
  })

/** What a test sees of an answer. */
export interface Answer {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  readonly text: string
  readonly json: any
}

/** A plain HTTP call, as any Dixa client would make it. */
export const call = (
  url: string,
  init: {
    readonly method?: string
    readonly key?: string
    readonly body?: unknown
    readonly rawBody?: string
    readonly headers?: Record<string, string>
  } = {}
): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const headers: Record<string, string> = { ...init.headers }
    if (init.key !== undefined) headers["authorization"] = init.key
    let body: string | undefined
    if (init.rawBody !== undefined) body = init.rawBody
    else if (init.body !== undefined) body = JSON.stringify(init.body)
    if (body !== undefined) headers["content-type"] = "application/json"
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers,
      ...(body !== undefined ? { body } : {})
    })
    const text = await response.text()
    let json: any = undefined
    try {
      json = JSON.parse(text)
    } catch {
      // not JSON
    }
    return { status: response.status, headers: response.headers, text, json }
  })

export const httpClient = NodeHttpClient.layerUndici
