/**
 * What a handler is: a function from an operation's decoded input to the payload Dixa would send,
 * written against the plain JSON state. The server takes care of routing, decoding, pagination and
 * encoding; handlers only implement behaviour.
 */
import type { Endpoint, Group } from "@org/dixa-core"
import * as Data from "effect/Data"
import type * as Effect from "effect/Effect"
import type * as Schema from "effect/Schema"
import type * as Prng from "./prng.js"
import type { State } from "./state.js"

/** An error answer: the status and Dixa's `{message}`. */
export class HttpFailure extends Data.TaggedError("HttpFailure")<{
  readonly status: number
  readonly message: string
}> {}

export const badRequest = (message: string) => new HttpFailure({ status: 400, message })
export const notFound = (message: string) => new HttpFailure({ status: 404, message })
export const conflict = (message: string) => new HttpFailure({ status: 409, message })

/** What a handler sees besides its input. */
export interface Context {
  /** The state; handlers change it in place (they run one at a time). */
  readonly state: State
  /** The time of the request, epoch milliseconds. */
  readonly now: number
  /** Mints ids from the state's own generator, so a seed gives the same ids run after run. */
  readonly rng: Prng.Rng
  /** How long an anonymization request takes to complete, in milliseconds. */
  readonly anonymizationDelayMillis: number
}

/**
 * What a handler returns, by response shape: the payload inside `data` for `Data`, every matching item
 * for `Page` (the server cuts the page), the whole body for `Body`, nothing for `Empty`. Payloads are
 * the JSON Dixa would send, so their type is the encoded side of the operation's schema: a handler
 * whose answer cannot match does not compile (and the server still checks every answer at run time).
 */
export type Result<E extends Endpoint.Any> = E["response"] extends { readonly _tag: "Page"; readonly item: infer S }
  ? ReadonlyArray<Schema.Schema.Encoded<S>>
  : E["response"] extends { readonly _tag: "Data" | "Body"; readonly schema: infer S } ? Schema.Schema.Encoded<S>
  : void

/** A handler for one operation. */
export type Handler<E extends Endpoint.Any = Endpoint.Any> = (
  input: Endpoint.Input<E>,
  ctx: Context
) => Effect.Effect<Result<E>, HttpFailure>

/** A handler for every operation of a group, by the operation's name in the group (`list`, `get`, ...). */
export type GroupHandlers<G extends Group.Any> = {
  readonly [A in keyof G["endpoints"]]: Handler<G["endpoints"][A]>
}

/** A handler bound to its endpoint. */
export interface Route {
  readonly endpoint: Endpoint.Any
  // The handler's endpoint type is known only at `handle`; a handler's input is contravariant, so no
  // narrower type than `any` accepts every `Handler<E>`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly handler: Handler<any>
}

/** Binds a handler to its endpoint; the input type comes from the endpoint's schemas. */
export const handle = <E extends Endpoint.Any>(endpoint: E, handler: Handler<E>): Route => ({ endpoint, handler })

/** Binds each handler of a group to its endpoint, in the group's order. */
export const routesOf = (group: Group.Any, handlers: Readonly<Record<string, Route["handler"]>>): Array<Route> =>
  Object.entries(group.endpoints).map(([name, endpoint]) => ({ endpoint, handler: handlers[name]! }))

/** The ISO form of a time. */
export const iso = (millis: number): string => new Date(millis).toISOString()
