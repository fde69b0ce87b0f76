/**
 * The organization behind the token.
 */
import { Organization } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { handle } from "../internal/handler.js"

export const handlers = [
  handle(Organization.OrganizationApi.endpoints.get, (_, ctx) => Effect.succeed(ctx.state.organization))
]
