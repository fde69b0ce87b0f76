/**
 * The state file (SQLite): loaded at start, written by every change, restored by reset; an older JSON state
 * file is imported.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Sandbox from "../src/index.js"
import * as State from "../src/internal/state.js"
import { query, readStateFile, storeVersion, tempDir } from "./stateFile.js"
import { raw } from "./support.js"

const tempFile = Effect.map(tempDir, (dir) => Path.join(dir, "state.db"))

describe("state file", () => {
  it.scoped("keeps changes across two starts, and reset restores the seed in the file too", () =>
    Effect.gen(function*() {
      const stateFile = yield* tempFile
      const created = yield* Effect.scoped(Effect.gen(function*() {
        const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile })
        const answer = yield* raw(sandbox, "POST", "/beta/agents", {
          body: { displayName: "Persisted", email: "persisted@x.example" }
        })
        expect(answer.status).toBe(201)
        return answer.json.data.id as string
      }))
      const saved = yield* readStateFile(stateFile)
      expect(saved.agents.some((a) => a.id === created)).toBe(true)
      // Closed cleanly: the write-ahead log is folded into the file and removed.
      expect(Fs.readdirSync(Path.dirname(stateFile))).toEqual(["state.db"])

      const second = yield* Sandbox.start({ rateLimit: false, stateFile })
      const read = yield* raw(second, "GET", `/beta/agents/${created}`)
      expect(read.status).toBe(200)
      expect(read.json.data.email).toBe("persisted@x.example")

      yield* second.reset
      expect((yield* raw(second, "GET", `/beta/agents/${created}`)).status).toBe(404)
      const afterReset = yield* readStateFile(stateFile)
      expect(afterReset.agents.some((a) => a.id === created)).toBe(false)
      expect(afterReset).toEqual(JSON.parse(JSON.stringify(State.seed(1, 0))))
    }))

  it.scoped("creates a missing file (and directory) with the seeded state; reads write nothing", () =>
    Effect.gen(function*() {
      const stateFile = Path.join(Path.dirname(yield* tempFile), "nested", "state.db")
      const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile, seed: 5 })
      expect((yield* readStateFile(stateFile)).seed).toBe(5)
      const version = yield* storeVersion(stateFile)
      expect((yield* raw(sandbox, "GET", "/beta/agents")).status).toBe(200)
      expect(yield* storeVersion(stateFile)).toBe(version)
      expect((yield* raw(sandbox, "POST", "/beta/tags", { body: { name: "new" } })).status).toBe(200)
      expect(yield* storeVersion(stateFile)).toBe(version! + 1)
    }))

  it.scoped("writes only the rows a change touched", () =>
    Effect.gen(function*() {
      const stateFile = yield* tempFile
      const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile, agents: 50 })
      const rows = (file: string) =>
        Effect.map(query<{ name: string; key: string; json: string }>(file, "SELECT name, key, json FROM items"), (r) =>
          new Map(r.map((row) => [`${row.name}/${row.key}`, row.json])))
      const before = yield* rows(stateFile)
      const tag = yield* raw(sandbox, "POST", "/beta/tags", { body: { name: "one more" } })
      const after = yield* rows(stateFile)
      const changed = [...after].filter(([key, json]) =>
        before.get(key) !== json
      ).map(([key]) => key)
      expect(changed).toEqual([`tags/${tag.json.data.id}`])
    }))

  it.scoped("imports a JSON state file left by an older sandbox, keeping the JSON beside it", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const stateFile = Path.join(dir, "state.json")
      const older = State.seed(3, 2)
      older.tags.push({ id: "0b6c6a38-3c4e-4b7a-9a51-7d5f0f1e2a3b", name: "from json", state: "Active" })
      Fs.writeFileSync(stateFile, JSON.stringify(older))

      const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile })
      const tags = yield* raw(sandbox, "GET", "/beta/tags")
      expect(tags.json.data.map((t: { name: string }) => t.name)).toContain("from json")
      expect(Fs.readFileSync(stateFile).subarray(0, 15).toString()).toBe("SQLite format 3")
      expect(JSON.parse(Fs.readFileSync(Path.join(dir, "state.old.json"), "utf8"))).toEqual(older)
      expect(yield* readStateFile(stateFile)).toEqual(older)
    }))

  it.scoped("refuses to start on a file that is not a sandbox state", () =>
    Effect.gen(function*() {
      const stateFile = yield* tempFile
      Fs.writeFileSync(stateFile, "{ not json")
      const notJson = yield* Effect.flip(Sandbox.start({ stateFile }))
      expect(notJson._tag).toBe("SandboxStartError")
      expect(notJson.message).toMatch(/neither a SQLite store nor JSON/)
      Fs.writeFileSync(stateFile, JSON.stringify({ hello: "world" }))
      const wrongShape = yield* Effect.flip(Sandbox.start({ stateFile }))
      expect(wrongShape.message).toMatch(/does not hold a sandbox state/)
      Fs.writeFileSync(stateFile, "plain text, neither JSON nor SQLite ".repeat(100))
      const garbage = yield* Effect.flip(Sandbox.start({ stateFile }))
      expect(garbage.message).toMatch(/cannot open the state file .*not a database/)
      // Nothing was renamed or removed.
      expect(Fs.readdirSync(Path.dirname(stateFile))).toEqual(["state.db"])
    }))
})
