/**
 * A JSON state file written before the knowledge base and webhooks existed still loads (imported into
 * SQLite), and gets their seed.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Sandbox from "../src/index.js"
import * as State from "../src/internal/state.js"
import { readStateFile, tempDir } from "./stateFile.js"
import { raw } from "./support.js"

describe("an older state file", () => {
  it.scoped("gets the seeded knowledge base and webhook subscriptions on first use, and keeps them", () =>
    Effect.gen(function*() {
      const stateFile = Path.join(yield* tempDir, "state.json")
      const { knowledge, webhooks, ...older } = State.seed(7, 0)
      Fs.writeFileSync(stateFile, JSON.stringify(older))

      const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile, seed: 7 })
      const collections = yield* raw(sandbox, "GET", "/beta/knowledge/collections")
      expect(collections.status).toBe(200)
      expect(collections.json.data.map((c: { id: string }) => c.id)).toEqual(knowledge!.collections.map((c) => c.id))
      const subscriptions = yield* raw(sandbox, "GET", "/beta/webhooks")
      expect(subscriptions.json.data.map((s: { id: string }) => s.id)).toEqual(webhooks!.subscriptions.map((s) => s.id))

      const article = knowledge!.articles[0]!
      expect((yield* raw(sandbox, "POST", `/beta/knowledge/articles/${article.id}/unpublish`)).status).toBe(204)
      const saved = yield* readStateFile(stateFile)
      expect(saved.knowledge!.articles.find((a) => a.id === article.id)!.published).toEqual([])
    }))
})
