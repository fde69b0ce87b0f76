/**
 * Custom attribute definitions (read only), and the checks every patch of attribute values goes
 * through: end users' here, conversations' from the conversation handlers.
 */
import { CustomAttributes } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import type { HttpFailure } from "../internal/handler.js"
import { badRequest, type GroupHandlers, notFound } from "../internal/handler.js"
import type { CustomAttributeDefinition, SelectOption, State } from "../internal/state.js"

/** The definitions of a state; state files written before they existed have none. */
export const definitionsOf = (state: State): Array<CustomAttributeDefinition> =>
  state.customAttributes ?? (state.customAttributes = [])

/** Attribute values by definition id, as stored on an end user or a conversation. */
export type Values = Record<string, string | Array<string>>

/** A value as the wire allows it: a string, or a path of option values for a nested select. */
export type Value = string | ReadonlyArray<string>

const isEmpty = (value: Value) => typeof value === "string" ? value === "" : value.length === 0

/** Checks a select value: one option value, or a path down nested options, all active. */
const checkSelect = (definition: CustomAttributeDefinition, options: ReadonlyArray<SelectOption>, value: Value) => {
  const path = typeof value === "string" ? [value] : value
  let level = options
  for (const step of path) {
    const found = level.find((o) => o.value === step)
    if (found === undefined || found.isDeactivated) {
      const allowed = level.filter((o) => !o.isDeactivated).map((o) => o.value).join(", ")
      return `not an option of ${definition.identifier}: ${JSON.stringify(step)} (expected one of ${allowed})`
    }
    level = found.nestedOptions
  }
  return undefined
}

/**
 * Applies a patch of attribute values (keyed by definition id) to `current` and returns the new values.
 * Every key must be an active definition of `entityType` (`Contact` for end users), text attributes take
 * a string, select attributes an option value or a path of nested option values. An empty string or list
 * clears the value. Nothing changes when any entry is wrong (400 naming it).
 */
export const applyPatch = (
  state: State,
  entityType: CustomAttributeDefinition["entityType"],
  current: Values | undefined,
  patch: Readonly<Record<string, Value>>
): Effect.Effect<Values, HttpFailure> =>
  Effect.gen(function*() {
    const next: Values = { ...current }
    for (const [id, value] of Object.entries(patch)) {
      const definition = definitionsOf(state).find((d) => d.id === id && d.entityType === entityType)
      if (definition === undefined) {
        return yield* badRequest(`body.${id}: no ${entityType} custom attribute has this id`)
      }
      if (definition.isDeactivated || definition.isArchived) {
        return yield* badRequest(`body.${id}: custom attribute ${definition.identifier} is not active`)
      }
      if (isEmpty(value)) {
        delete next[id]
        continue
      }
      const input = definition.inputDefinition
      if (input._type === "Text") {
        if (typeof value !== "string") return yield* badRequest(`body.${id}: ${definition.identifier} takes text`)
      } else {
        const problem = checkSelect(definition, input.options, value)
        if (problem !== undefined) return yield* badRequest(`body.${id}: ${problem}`)
      }
      next[id] = typeof value === "string" ? value : [...value]
    }
    return next
  })

/** Attribute values as Dixa sends them (`{id, name, identifier, value}`), in the order of the definitions. */
export const render = (state: State, values: Values | undefined) =>
  values === undefined ? [] : definitionsOf(state).flatMap((d) => {
    const value = values[d.id]
    return value === undefined ? [] : [{ id: d.id, name: d.label, identifier: d.identifier, value }]
  })

export const handlers: GroupHandlers<typeof CustomAttributes.CustomAttributesApi> = {
  list: (_, ctx) => Effect.sync(() => definitionsOf(ctx.state)),

  get: (input, ctx) => {
    const definition = definitionsOf(ctx.state).find((d) => d.id === input.customAttributeId)
    return definition === undefined
      ? Effect.fail(notFound(`custom attribute ${input.customAttributeId} does not exist`))
      : Effect.succeed(definition)
  }
}
