/**
 * End users: the customers behind conversations, with their contact details and custom attributes.
 */
import { EndUsers } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, type GroupHandlers, iso, notFound } from "../internal/handler.js"
import type { EndUser, State } from "../internal/state.js"
import * as Anonymize from "./Anonymization.js"
import * as Attributes from "./CustomAttributes.js"

/** The fields a caller may set on an end user. */
const detailKeys = [
  "displayName",
  "email",
  "phoneNumber",
  "additionalEmails",
  "additionalPhoneNumbers",
  "firstName",
  "lastName",
  "middleNames",
  "avatarUrl",
  "externalId"
] as const

type Details = { readonly [K in (typeof detailKeys)[number]]?: EndUser[K] | ReadonlyArray<string> | undefined }

/**
 * An end user as Dixa sends it; users recorded before `createdAt` existed get the epoch. Lists leave the
 * custom attributes out, as Dixa does.
 */
const view = (state: State, user: EndUser, withAttributes = true) => {
  const { customAttributes, ...details } = user
  const attributes = withAttributes ? Attributes.render(state, customAttributes) : []
  return {
    ...details,
    createdAt: user.createdAt ?? new Date(0).toISOString(),
    additionalEmails: user.additionalEmails ?? [],
    additionalPhoneNumbers: user.additionalPhoneNumbers ?? [],
    middleNames: user.middleNames ?? [],
    ...(attributes.length > 0 ? { customAttributes: attributes } : {})
  }
}

const missing = (id: string) => notFound(`end user ${id} does not exist`)

const findOrFail = (state: State, id: string) => {
  const user = state.endUsers.find((u) => u.id === id)
  return user === undefined ? Effect.fail(missing(id)) : Effect.succeed(user)
}

const lower = (s: string) => s.trim().toLowerCase()
const emailsOf = (u: EndUser) => [u.email, ...(u.additionalEmails ?? [])].filter((e) => e !== undefined).map(lower)
const phonesOf = (u: EndUser) => [u.phoneNumber, ...(u.additionalPhoneNumbers ?? [])].filter((p) => p !== undefined)

/**
 * Why a user with these details cannot be stored, or `undefined`: its email or phone number is another user's
 * (the spec's "Duplicate email address", "Duplicate phone number").
 */
const problemWith = (state: State, user: EndUser): string | undefined => {
  const others = state.endUsers.filter((u) => u.id !== user.id)
  const email = user.email === undefined ? undefined : lower(user.email)
  if (email !== undefined && others.some((u) => emailsOf(u).includes(email))) return `email ${email} exists`
  const phone = user.phoneNumber
  if (phone !== undefined && others.some((u) => phonesOf(u).includes(phone))) return `phone number ${phone} exists`
  return undefined
}

/** Copies the given details onto `target`; with `replace`, details not given are removed. */
const assign = (target: EndUser, details: Details, replace: boolean) => {
  const record = target as unknown as Record<string, unknown>
  for (const key of detailKeys) {
    const value = details[key]
    if (value !== undefined) record[key] = Array.isArray(value) ? [...value] : value
    else if (replace && key !== "displayName") delete record[key]
  }
}

const hasDetails = (details: Details) => detailKeys.some((key) => details[key] !== undefined)

/** A display name for a new user who was given none: the names, else the email, else the phone number. */
const displayNameOf = (user: EndUser) => {
  const names = [user.firstName, ...(user.middleNames ?? []), user.lastName].filter((n) => n !== undefined && n !== "")
  return names.length > 0 ? names.join(" ") : user.email ?? user.phoneNumber ?? user.externalId ?? "Unknown"
}

/** The stored user after a change, or why the change is refused; the state is untouched on refusal. */
const change = (state: State, user: EndUser, details: Details, replace: boolean) => {
  const candidate: EndUser = structuredClone(user)
  assign(candidate, details, replace)
  if (candidate.displayName === undefined || candidate.displayName.trim() === "") {
    candidate.displayName = displayNameOf(candidate)
  }
  const problem = problemWith(state, candidate)
  if (problem !== undefined) return { problem }
  Object.assign(user, candidate)
  for (const key of detailKeys) if (!(key in candidate)) delete (user as unknown as Record<string, unknown>)[key]
  return { user }
}

const create = (ctx: Context, details: Details) => {
  const user: EndUser = { id: ctx.rng.uuid(), displayName: "", createdAt: iso(ctx.now) }
  const result = change(ctx.state, user, details, false)
  if (result.problem === undefined) ctx.state.endUsers.push(user)
  return result
}

type Outcome =
  | { _type: "BulkActionSuccess"; data: unknown }
  | { _type: "BulkActionFailure"; error: { _type: string; id?: string; message: string } }

const success = (state: State, user: EndUser): Outcome => ({ _type: "BulkActionSuccess", data: view(state, user) })
const failure = (_type: string, message: string, id?: string): Outcome => ({
  _type: "BulkActionFailure",
  error: id === undefined ? { _type, message } : { _type, id, message }
})

/** Updates (`replace`) or patches each listed user, each with its own outcome. */
const changeMany = (
  state: State,
  items: ReadonlyArray<Details & { readonly id: string }> | undefined,
  replace: boolean
) =>
  Effect.sync(() =>
    (items ?? []).map(({ id, ...details }): Outcome => {
      const user = state.endUsers.find((u) => u.id === id)
      if (user === undefined) return failure("NotFound", `end user ${id} does not exist`, id)
      if (!replace && !hasDetails(details)) return failure("EmptyPatchSet", "the patch changes nothing", id)
      const result = change(state, user, details, replace)
      return result.problem === undefined
        ? success(state, user)
        : failure("Validation", `end user ${id}: ${result.problem}`, id)
    })
  )

export const handlers: GroupHandlers<typeof EndUsers.EndUsersApi> = {
  list: (input, ctx) =>
    Effect.gen(function*() {
      const filters = [input.email, input.phone, input.externalId].filter((f) => f !== undefined)
      if (filters.length > 1) return yield* badRequest("filter by one of email, phone or externalId")
      let users: ReadonlyArray<EndUser> = ctx.state.endUsers
      if (input.email !== undefined) {
        const email = lower(input.email)
        users = users.filter((u) => emailsOf(u).includes(email))
      } else if (input.phone !== undefined) {
        // Spaces and dashes are ignored; a `+` sent unencoded in the query arrives as a space.
        const digits = input.phone.replace(/[\s-]/g, "")
        const phone = digits.startsWith("+") ? digits : `+${digits}`
        users = users.filter((u) => phonesOf(u).includes(phone))
      } else if (input.externalId !== undefined) {
        users = users.filter((u) => u.externalId === input.externalId)
      }
      if (users.length === 0 && filters.length > 0) return yield* notFound("no end user matches the filter")
      return users.map((u) => view(ctx.state, u, false))
    }),

  get: (input, ctx) => Effect.map(findOrFail(ctx.state, input.userId), (u) => view(ctx.state, u)),

  create: (input, ctx) =>
    Effect.gen(function*() {
      const result = create(ctx, input.body)
      if (result.problem !== undefined) return yield* badRequest(`body: ${result.problem}`)
      return view(ctx.state, result.user)
    }),

  createMany: (input, ctx) =>
    Effect.sync(() =>
      (input.body.data ?? []).map((details, i): Outcome => {
        const result = create(ctx, details)
        return result.problem === undefined
          ? success(ctx.state, result.user)
          : failure("Validation", `end user ${i}: ${result.problem}`)
      })
    ),

  updateMany: (input, ctx) => changeMany(ctx.state, input.body.data, true),

  patchMany: (input, ctx) => changeMany(ctx.state, input.body.data, false),

  update: (input, ctx) =>
    Effect.gen(function*() {
      const user = yield* findOrFail(ctx.state, input.userId)
      const result = change(ctx.state, user, input.body, true)
      if (result.problem !== undefined) return yield* badRequest(`body: ${result.problem}`)
      return view(ctx.state, user)
    }),

  patch: (input, ctx) =>
    Effect.gen(function*() {
      const user = yield* findOrFail(ctx.state, input.userId)
      if (!hasDetails(input.body)) return yield* badRequest("body: the patch changes nothing")
      const result = change(ctx.state, user, input.body, false)
      if (result.problem !== undefined) return yield* badRequest(`body: ${result.problem}`)
      return view(ctx.state, user)
    }),

  anonymize: (input, ctx) => Effect.map(Anonymize.user(ctx, input.userId, input.force === true), Anonymize.view),

  patchCustomAttributes: (input, ctx) =>
    Effect.gen(function*() {
      const user = yield* findOrFail(ctx.state, input.userId)
      const values = yield* Attributes.applyPatch(ctx.state, "Contact", user.customAttributes, input.body)
      if (Object.keys(values).length > 0) user.customAttributes = values
      else delete user.customAttributes
      return Attributes.render(ctx.state, values)
    }),

  listConversations: (input, ctx) =>
    Effect.map(
      findOrFail(ctx.state, input.userId),
      (user) =>
        ctx.state.conversations.filter((c) => c.data.requesterId === user.id).map((c) => {
          // Lists leave custom attributes out, as Dixa does.
          const { customAttributes: _, ...data } = c.data
          return data
        })
    )
}
