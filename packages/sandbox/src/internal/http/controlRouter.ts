/**
 * `/_sandbox/*`: the sandbox's own controls, beside the API and outside its middleware (no key, no limit, no
 * faults): stats, faults, reset and the state.
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as Faults from "../faults.js"
import { json, message } from "./answer.js"
import { type Shared, snapshot } from "./shared.js"

const FaultsBody = Schema.parseJson(Faults.Json)

/** `POST /_sandbox/faults`: replaces the faults in force (an empty body clears them). */
const setFaults = (shared: Shared) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const parsed = yield* Effect.either(Schema.decodeUnknown(FaultsBody)(body.trim() === "" ? "{}" : body))
    if (parsed._tag === "Left") return message(400, ParseResult.TreeFormatter.formatErrorSync(parsed.left))
    const { dropRate, errorRate, latency, rateLimitStorm } = parsed.right
    shared.faults.current = { errorRate, rateLimitStorm, latencyMillis: latency, dropRate }
    return json(200, Faults.toJson(shared.faults.current))
  })

const state = (shared: Shared) =>
  shared.store.read((state) => Effect.succeed(json(200, state))).pipe(
    Effect.catchAll((e) => Effect.succeed(message(500, e.message)))
  )

const unknown = Effect.map(
  HttpServerRequest.HttpServerRequest,
  (request) =>
    message(404, `no sandbox control at ${request.method} ${new URL(request.url, "http://sandbox.local").pathname}`)
)

/** A control at its path (the router takes it with or without a trailing slash). */
const control = (
  method: HttpRouter.Route["method"],
  path: `/${string}`,
  handler: HttpRouter.Route.Handler<never, never>
) => HttpRouter.route(method)(`/_sandbox${path}`, handler)

export const make = (shared: Shared) =>
  HttpRouter.empty.pipe(
    control("GET", "/stats", Effect.sync(() => json(200, snapshot(shared.counters)))),
    control("GET", "/faults", Effect.sync(() => json(200, Faults.toJson(shared.faults.current)))),
    control("POST", "/faults", setFaults(shared)),
    control("POST", "/reset", Effect.as(shared.reset, HttpServerResponse.empty({ status: 204 }))),
    control("GET", "/state", state(shared)),
    HttpRouter.all("/_sandbox/*", unknown)
  )
