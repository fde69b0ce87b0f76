import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import * as Api from "../src/Api.js"
import * as Agents from "../src/api/Agents.js"
import * as Tags from "../src/api/Tags.js"
import * as DixaClient from "../src/DixaClient.js"
import type { TagId } from "../src/Model.js"
import { scriptedHttp } from "./support/scriptedHttp.js"

const tag = { id: "6c9a3f5e-5f3a-4c57-9d8e-0c8f9c1e2a11" as TagId, name: "vip", state: "Active" } as Tags.TagsClient[
  "get"
] extends (...args: never) => Effect.Effect<infer A, infer _E> ? A : never

/** A program of a user's that needs only the tags group. */
const tagNames = Effect.gen(function*() {
  const tags = yield* Tags.Tags
  return (yield* tags.list()).map((t) => t.name)
})

describe("one service per group", () => {
  it.effect("a program that needs Tags runs on a stub of Tags alone", () =>
    Effect.gen(function*() {
      const names = yield* tagNames.pipe(Effect.provide(Tags.stub({ list: () => Effect.succeed([tag]) })))
      expect(names).toEqual(["vip"])
    }))

  it.effect("an operation the stub does not give dies with a message naming it", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(
        Effect.flatMap(Tags.Tags, (tags) => tags.get({ tagId: tag.id })).pipe(
          Effect.provide(Tags.stub({ list: () => Effect.succeed([]) }))
        )
      )
      expect(Exit.isFailure(exit) && Cause.pretty(exit.cause)).toContain("tags.get is not stubbed")
    }))

  it.effect("a stubbed list also serves listAll, following the page keys", () =>
    Effect.gen(function*() {
      const agent = (id: string) => ({ id, displayName: id, createdAt: new Date(0) }) as never
      const layer = Agents.stub({
        list: (input) =>
          Effect.succeed(
            input?.pageKey === undefined
              ? { data: [agent("a"), agent("b")], meta: {}, nextPageKey: Option.some("p2") }
              : { data: [agent("c")], meta: {}, nextPageKey: Option.none() }
          )
      })
      const ids = yield* Effect.flatMap(Agents.Agents, (agents) => Stream.runCollect(agents.listAll())).pipe(
        Effect.provide(layer)
      )
      expect(Chunk.toArray(ids).map((a) => a.id)).toEqual(["a", "b", "c"])
    }))

  it.effect("Api.layer gives every group's service over one client", () =>
    Effect.gen(function*() {
      const seen: Array<number> = []
      const client = DixaClient.layer({ apiKey: Redacted.make("k"), rateLimit: false }).pipe(
        Layer.provide(Layer.succeed(HttpClient.HttpClient, scriptedHttp([], seen)))
      )
      const program = Effect.gen(function*() {
        const tags = yield* Tags.Tags
        const agents = yield* Agents.Agents
        yield* Effect.either(tags.get({ tagId: tag.id }))
        yield* Effect.either(agents.get({ agentId: "3b6b0a55-1f1a-4c4e-a6a9-0c1b0e5b8a11" as never }))
      })
      yield* program.pipe(Effect.provide(Api.layer), Effect.provide(client))
      expect(seen).toHaveLength(2)
    }))
})

describe("endpoint ids", () => {
  it("are set where the endpoint is defined, and the group holds that same value", () => {
    expect(Tags.get.id).toBe("tags.get")
    expect(Tags.remove.id).toBe("tags.delete")
    expect(Tags.remove).toBe(Tags.TagsApi.endpoints.delete)
    for (const group of Api.groups) {
      for (const [action, endpoint] of Object.entries(group.endpoints)) {
        expect([endpoint.id, endpoint.group, endpoint.name]).toEqual([`${group.name}.${action}`, group.name, action])
      }
    }
  })

  it.effect("an endpoint called outside its group still names its operation in errors", () =>
    Effect.gen(function*() {
      const client = yield* DixaClient.make({ apiKey: Redacted.make("k"), rateLimit: false }).pipe(
        Effect.provideService(HttpClient.HttpClient, scriptedHttp([404], []))
      )
      const error = yield* Effect.flip(client.call(Tags.get, { tagId: tag.id }))
      expect(error._tag === "NotFound" && error.operation).toBe("tags.get")
    }))
})
