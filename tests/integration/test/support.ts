/**
 * Every group's suite runs twice: with the client talking to the sandbox directly, and through the gateway
 * in front of the same kind of sandbox. `describeTargets` gives each run a fresh sandbox (and gateway) and a
 * client bound to it.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe } from "@effect/vitest"
import { DixaClient, type Group, Retry } from "@org/dixa-core"
import { CallerKeys, NodeGateway } from "@org/dixa-gateway"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"

const dixaToken = "integration-dixa-token"
const callerKey = "integration-caller-key-0001"

/** Where a suite's client sends its requests. */
export type Target = "sandbox" | "gateway"

export const targets: ReadonlyArray<Target> = ["sandbox", "gateway"]

/** A running target: the client, the sandbox behind it (for its stats and faults) and raw HTTP access. */
export interface Env {
  readonly target: Target
  readonly sandbox: Sandbox.Running
  /** The base URL the client uses: the sandbox's or the gateway's. */
  readonly url: string
  readonly client: DixaClient.Service
  /** A group's operations bound to the client, e.g. `env.bind(Conversations.ConversationsApi)`. */
  readonly bind: <G extends Group.Any>(group: G) => DixaClient.GroupClient<G>
  /** A raw request with the right key, for statuses and bodies exactly as sent. */
  readonly raw: (
    method: string,
    path: string,
    body?: unknown
  ) => Effect.Effect<{ status: number; json: any; text: string }>
}

/**
 * Starts a sandbox (Dixa's rate limit on, the seed given) and, for the gateway target, a gateway in front of it
 * (GET cache off so that every read is seen by the sandbox). The client respects the rate limit and does not
 * retry, so a test sees every answer as it came.
 */
export const start = (target: Target, options: Sandbox.Options = {}): Effect.Effect<Env, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ apiKey: dixaToken, anonymizationDelay: "200 millis", ...options })
    let url = sandbox.url
    let key = dixaToken
    if (target === "gateway") {
      const gateway = yield* NodeGateway.start({
        dixaApiKey: Redacted.make(dixaToken),
        dixaBaseUrl: sandbox.url,
        keys: CallerKeys.make([{ name: "integration", key: callerKey, scopes: ["read", "write"] }]),
        cacheTtl: 0
      })
      url = gateway.url
      key = callerKey
    }
    const http = yield* Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)
    const client = yield* DixaClient.make({
      apiKey: Redacted.make(key),
      baseUrl: url,
      retry: Retry.policy({ maxRetries: 0 })
    }).pipe(Effect.provideService(HttpClient.HttpClient, http))
    const raw = (method: string, path: string, body?: unknown) =>
      Effect.promise(async () => {
        const response = await fetch(url + path, {
          method,
          headers: { authorization: key, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) })
        })
        const text = await response.text()
        let json: any = undefined
        try {
          json = JSON.parse(text)
        } catch {
          // not JSON
        }
        return { status: response.status, json, text }
      })
    return { target, sandbox, url, client, bind: (group) => DixaClient.bindGroup(client, group), raw }
  })

/** Declares the same suite once per target: `describeTargets("queues", (target) => { it.scopedLive(...) })`. */
export const describeTargets = (name: string, suite: (target: Target) => void): void => {
  for (const target of targets) {
    describe(`${name} (client → ${target === "sandbox" ? "sandbox" : "gateway → sandbox"})`, () => suite(target))
  }
}
