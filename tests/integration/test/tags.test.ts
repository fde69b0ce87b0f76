import { expect, it } from "@effect/vitest"
import { Tags } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { describeTargets, start } from "./support.js"

describeTargets("tags", (target) => {
  it.scopedLive("create, read, deactivate, activate, list with and without deactivated, delete", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const tags = env.bind(Tags.TagsApi)
      const created = yield* tags.create({ body: { name: "integration" } })
      expect(created.name).toBe("integration")
      expect((yield* tags.create({ body: { name: "integration" } })).id).toBe(created.id)
      yield* tags.deactivate({ tagId: created.id })
      expect((yield* tags.get({ tagId: created.id })).state).toBe("Inactive")
      const active = yield* tags.list()
      expect(active.some((t) => t.id === created.id)).toBe(false)
      const all = yield* tags.list({ includeDeactivated: true })
      expect(all.some((t) => t.id === created.id)).toBe(true)
      yield* tags.activate({ tagId: created.id })
      expect((yield* tags.get({ tagId: created.id })).state).toBe("Active")
      yield* tags.delete({ tagId: created.id })
      const gone = yield* Effect.flip(tags.get({ tagId: created.id }))
      expect(gone._tag).toBe("NotFound")
      const stats = yield* env.sandbox.stats
      expect(stats.byOperation["tags.get"]).toBe(3)
      expect(stats.rateLimited).toBe(0)
    }))
})
