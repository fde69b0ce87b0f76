/**
 * Who is calling: the middleware that authenticates a request by its gateway key and checks the scope its operation
 * needs, and provides the `Caller` to the handler. The Dixa key is never a caller's concern.
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type { Endpoint } from "@org/dixa-core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { message } from "./Accept.js"
import * as CallerKeys from "./CallerKeys.js"
import { RequestLog } from "./RequestLog.js"

/** The authenticated caller of the request being handled. */
export class Caller extends Context.Tag("@org/dixa-gateway/Caller")<Caller, CallerKeys.Caller>() {}

/**
 * Runs `handler` for an authenticated caller allowed to call `endpoint`: 401 without a known key, 403 without the
 * scope (reads need `read`, everything else `write`). Nothing of the request is read before this passes.
 */
export const authorize = (keys: CallerKeys.CallerKeys, endpoint: Endpoint.Any) => {
  const scope = CallerKeys.scopeFor(endpoint.method)
  return <E, R>(
    handler: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
  ): Effect.Effect<
    HttpServerResponse.HttpServerResponse,
    E,
    Exclude<R, Caller> | HttpServerRequest.HttpServerRequest | RequestLog
  > =>
    // Both services read in one step, and no generator: this runs for every request.
    Effect.contextWithEffect((context: Context.Context<HttpServerRequest.HttpServerRequest | RequestLog>) => {
      const request = Context.get(context, HttpServerRequest.HttpServerRequest)
      const log = Context.get(context, RequestLog)
      log.fields["operation"] = endpoint.id
      const caller = keys.authenticate(request.headers["authorization"])
      if (caller._tag === "None") return Effect.succeed(message(401, "missing or unknown gateway key in Authorization"))
      log.fields["caller"] = caller.value.name
      if (!caller.value.scopes.has(scope)) {
        return Effect.succeed(message(403, `caller ${caller.value.name} lacks the ${scope} scope for ${endpoint.id}`))
      }
      return Effect.provideService(handler, Caller, caller.value)
    })
}
