/**
 * End users: the customers behind conversations (read only in the sandbox).
 */
import { EndUsers } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, handle, notFound } from "../internal/handler.js"
import type { EndUser } from "../internal/state.js"
import * as Anonymize from "./Anonymization.js"

const api = EndUsers.EndUsersApi.endpoints

/** An end user as Dixa sends it; users recorded before `createdAt` existed get the epoch. */
const view = (user: EndUser) => ({ ...user, createdAt: user.createdAt ?? new Date(0).toISOString() })

export const handlers = [
  handle(api.list, (input, ctx) =>
    Effect.gen(function*() {
      const filters = [input.email, input.phone, input.externalId].filter((f) => f !== undefined)
      if (filters.length > 1) return yield* badRequest("filter by one of email, phone or externalId")
      let users: ReadonlyArray<EndUser> = ctx.state.endUsers
      if (input.email !== undefined) {
        const email = input.email.trim().toLowerCase()
        users = users.filter((u) => u.email?.toLowerCase() === email)
      } else if (input.phone !== undefined || input.externalId !== undefined) {
        // The sandbox's end users have neither phone numbers nor external ids.
        users = []
      }
      if (users.length === 0 && filters.length > 0) return yield* notFound("no end user matches the filter")
      return users.map(view)
    })),

  handle(api.get, (input, ctx) => {
    const user = ctx.state.endUsers.find((u) => u.id === input.userId)
    return user === undefined
      ? Effect.fail(notFound(`end user ${input.userId} does not exist`))
      : Effect.succeed(view(user))
  }),

  handle(api.anonymize, (input, ctx) =>
    Effect.map(Anonymize.user(ctx, input.userId, input.force === true), Anonymize.view))
]
