/**
 * Conversation tags: a flat list with an active/inactive state.
 */
import { Tags } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { type GroupHandlers, notFound } from "../internal/handler.js"
import type { State, Tag } from "../internal/state.js"

const findOrFail = (state: State, id: string) => {
  const tag = state.tags.find((t) => t.id === id)
  return tag === undefined ? Effect.fail(notFound(`tag ${id} does not exist`)) : Effect.succeed(tag)
}

const setState = (next: Tag["state"]) => (input: { readonly tagId: string }, ctx: { readonly state: State }) =>
  Effect.map(findOrFail(ctx.state, input.tagId), (tag) => {
    tag.state = next
  })

export const handlers: GroupHandlers<typeof Tags.TagsApi> = {
  list: (input, ctx) =>
    Effect.sync(() =>
      input.includeDeactivated === true ? ctx.state.tags : ctx.state.tags.filter((t) => t.state === "Active")
    ),

  create: (input, ctx) =>
    Effect.sync(() => {
      const name = input.body.name.trim()
      // Creating a tag whose name exists hands back the existing tag, unchanged.
      const existing = ctx.state.tags.find((t) => t.name.toLowerCase() === name.toLowerCase())
      if (existing !== undefined) return existing
      const tag: Tag = input.body.color === undefined
        ? { id: ctx.rng.uuid(), name, state: "Active" }
        : { id: ctx.rng.uuid(), name, color: input.body.color, state: "Active" }
      ctx.state.tags.push(tag)
      return tag
    }),

  get: (input, ctx) => findOrFail(ctx.state, input.tagId),

  delete: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.tagId), (tag) => {
      ctx.state.tags = ctx.state.tags.filter((t) => t !== tag)
    }),

  activate: setState("Active"),

  deactivate: setState("Inactive")
}
