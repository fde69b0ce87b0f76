/**
 * Templates: quick responses and email auto-replies. The API lists and deletes them.
 */
import { Templates } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { type GroupHandlers, notFound } from "../internal/handler.js"

export const handlers: GroupHandlers<typeof Templates.TemplatesApi> = {
  list: (input, ctx) =>
    Effect.sync(() => {
      const all = ctx.state.templates ?? []
      return input.type === undefined ? all : all.filter((t) => t._type === input.type)
    }),

  delete: (input, ctx) =>
    Effect.gen(function*() {
      const all = ctx.state.templates ?? []
      if (!all.some((t) => t.id === input.templateId)) {
        return yield* notFound(`template ${input.templateId} does not exist`)
      }
      ctx.state.templates = all.filter((t) => t.id !== input.templateId)
    })
}
