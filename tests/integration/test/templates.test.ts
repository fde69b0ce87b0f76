import { expect, it } from "@effect/vitest"
import { type Model, Templates } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import { describeTargets, start } from "./support.js"

describeTargets("templates", (target) => {
  it.scopedLive("list by page and by type, delete, deleting again is 404", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const templates = env.bind(Templates.TemplatesApi)
      const first = yield* templates.list({ pageLimit: 2 })
      expect(first.data).toHaveLength(2)
      expect(Option.isSome(first.nextPageKey)).toBe(true)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(templates.listAll({ pageLimit: 2 })))
      const names = ["Refund policy", "Password reset", "Greeting", "Received", "Out of hours"]
      expect(all.map((t) => t["name"])).toEqual(names)
      const replies = yield* templates.list({ type: "EmailAutoReply" })
      expect(replies.data.map((t) => t._type)).toEqual(["EmailAutoReply", "EmailAutoReply"])

      const greeting = all.find((t) => t["name"] === "Greeting")!
      const templateId = greeting["id"] as Model.TemplateId
      yield* templates.delete({ templateId })
      const left = yield* templates.list({ type: "QuickResponse" })
      expect(left.data.map((t) => t["name"])).toEqual(["Refund policy", "Password reset"])
      expect((yield* Effect.flip(templates.delete({ templateId })))._tag).toBe("NotFound")
    }))
})
