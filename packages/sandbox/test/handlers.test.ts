/**
 * Handlers are typed by their operation: every operation of the API has exactly one, a handler's answer
 * has the type of the operation's wire JSON, and one that cannot match does not compile.
 */
import { describe, expect, expectTypeOf, it } from "@effect/vitest"
import { Agents, Api, Common, Conversations as ConversationsApi, Tags } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Conversations from "../src/handlers/conversations/index.js"
import { routes } from "../src/handlers/index.js"
import { type GroupHandlers, handle, type Result } from "../src/internal/handler.js"

describe("handlers", () => {
  it("every operation of the API has exactly one handler, bound to that operation", () => {
    const ids = routes.map((route) => route.endpoint.id)
    expect(Api.endpoints).toHaveLength(123)
    expect(ids).toHaveLength(123)
    expect([...ids].sort()).toEqual(Api.endpoints.map((endpoint) => endpoint.id).sort())
    for (const route of routes) expect(route.endpoint).toBe(Api.byId.get(route.endpoint.id))
  })

  it("each conversation operation is handled in exactly one file of the folder", () => {
    const names = Conversations.parts.flatMap((part) => Object.keys(part))
    expect(new Set(names).size).toBe(names.length)
    expect([...names].sort()).toEqual(Object.keys(ConversationsApi.ConversationsApi.endpoints).sort())
  })

  it("a handler answers with the wire JSON of its operation's response", () => {
    expectTypeOf<Result<typeof Tags.get>>().toEqualTypeOf<typeof Common.Tag.Encoded>()
    expectTypeOf<Result<typeof Tags.list>>().toEqualTypeOf<ReadonlyArray<typeof Common.Tag.Encoded>>()
    // A page handler answers every item; the server cuts the page.
    expectTypeOf<Result<typeof Agents.list>>().toEqualTypeOf<ReadonlyArray<typeof Agents.Agent.Encoded>>()
    expectTypeOf<Result<typeof Tags.remove>>().toEqualTypeOf<void>()
    // Encoded, not decoded: dates are strings on the wire.
    expectTypeOf<Result<typeof Agents.get>["createdAt"]>().toEqualTypeOf<string>()
  })

  it("a handler whose answer cannot match its operation does not compile", () => {
    // @ts-expect-error a tag's id is a string, and it has a name and a state
    const wrong = handle(Tags.get, () => Effect.succeed({ id: 42 }))
    const right = handle(Tags.get, () => Effect.succeed({ id: "x", name: "billing", state: "Active" }))
    expect([wrong, right].map((route) => route.endpoint.id)).toEqual(["tags.get", "tags.get"])
  })

  it("a group's handlers must cover its operations, and only those", () => {
    const none = () => Effect.void
    // @ts-expect-error `list`, `create` and `get` have no handler
    const missing: GroupHandlers<typeof Tags.TagsApi> = { delete: none, activate: none, deactivate: none }
    const unknown: GroupHandlers<typeof Tags.TagsApi> = {
      list: () => Effect.succeed([]),
      create: () => Effect.die("not used"),
      get: () => Effect.die("not used"),
      delete: none,
      activate: none,
      deactivate: none,
      // @ts-expect-error there is no operation `tags.rename`
      rename: none
    }
    expect(Object.keys(missing)).toHaveLength(3)
    expect(Object.keys(unknown)).toHaveLength(7)
  })
})
