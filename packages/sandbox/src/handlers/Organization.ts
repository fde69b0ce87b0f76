/**
 * The organization behind the token.
 */
import { Organization } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import type { GroupHandlers } from "../internal/handler.js"

export const handlers: GroupHandlers<typeof Organization.OrganizationApi> = {
  get: (_, ctx) => Effect.succeed(ctx.state.organization)
}
