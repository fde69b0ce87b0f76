/**
 * Contact endpoints: the email addresses and phone numbers of the organization (read only).
 */
import { ContactEndpoints } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type GroupHandlers, notFound } from "../internal/handler.js"
import type { ContactEndpoint, State } from "../internal/state.js"

const types = ["EmailEndpoint", "TelephonyEndpoint"]

const endpointsOf = (state: State): ReadonlyArray<ContactEndpoint> => state.contactEndpoints ?? []

/** An endpoint's id is its address or its number. */
const idOf = (endpoint: ContactEndpoint) =>
  endpoint._type === "EmailEndpoint" ? endpoint.address.toLowerCase() : endpoint.number

export const handlers: GroupHandlers<typeof ContactEndpoints.ContactEndpointsApi> = {
  list: (input, ctx) =>
    Effect.gen(function*() {
      const type = input._type
      if (type === undefined) return endpointsOf(ctx.state)
      if (!types.includes(type)) return yield* badRequest(`query._type: expected one of ${types.join(", ")}`)
      return endpointsOf(ctx.state).filter((e) => e._type === type)
    }),

  get: (input, ctx) =>
    Effect.gen(function*() {
      // A `+` sent unencoded in the path arrives as a space.
      const id = input.contactEndpointId.replace(/^ /, "+").trim()
      const key = id.includes("@") ? id.toLowerCase() : id.startsWith("+") ? id : `+${id}`
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(key) && !/^\+[1-9]\d{6,14}$/.test(key)) {
        return yield* badRequest(`contactEndpointId: neither an email address nor an E.164 phone number: ${id}`)
      }
      const found = endpointsOf(ctx.state).find((e) => idOf(e) === key)
      return found === undefined ? yield* notFound(`contact endpoint ${id} does not exist`) : found
    })
}
