import { describe, expectTypeOf, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import type * as Conversations from "../src/api/Conversations.js"
import type * as CustomAttributes from "../src/api/CustomAttributes.js"
import type * as Tags from "../src/api/Tags.js"
import type * as DixaError from "../src/DixaError.js"

// Checked by `tsc` (pnpm typecheck runs before the tests): each method's error type is exactly what its operation
// can produce, so catching an error it cannot produce does not compile.

type ErrorOf<F> = F extends (...args: never) => Effect.Effect<unknown, infer E> ? E : never

declare const tags: Tags.TagsClient

describe("errors typed per operation", () => {
  it("tags.list declares 400 and 500: BadRequest and what any call meets, nothing else", () => {
    expectTypeOf<ErrorOf<Tags.TagsClient["list"]>>().toEqualTypeOf<DixaError.BadRequest | DixaError.Always>()
    expectTypeOf<ErrorOf<Tags.TagsClient["get"]>>().toEqualTypeOf<
      DixaError.BadRequest | DixaError.NotFound | DixaError.Always
    >()
  })

  it("an operation that names a resource in its path can fail with NotFound, declared or not", () => {
    type Errors = ErrorOf<CustomAttributes.CustomAttributesClient["get"]>
    expectTypeOf<Extract<Errors, { _tag: "NotFound" }>>().toEqualTypeOf<DixaError.NotFound>()
  })

  it("an operation that declares 409 can fail with Conflict", () => {
    type Errors = ErrorOf<Conversations.ConversationsClient["claim"]>
    expectTypeOf<Extract<Errors, { _tag: "Conflict" }>>().toEqualTypeOf<DixaError.Conflict>()
  })

  it("catchTag of an error the operation cannot produce is a type error", () => {
    const program = () =>
      tags.list().pipe(
        // @ts-expect-error: tags.list cannot answer 409
        Effect.catchTag("Conflict", () => Effect.succeed([]))
      )
    const fine = () => tags.get({ tagId: "x" as never }).pipe(Effect.catchTag("NotFound", () => Effect.void))
    expectTypeOf(program).toBeFunction()
    expectTypeOf(fine).toBeFunction()
  })
})
