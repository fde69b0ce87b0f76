/**
 * The state file: loaded at start, saved after every change, restored by reset.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Sandbox from "../src/index.js"
import { raw } from "./support.js"

const tempFile = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "dixa-sandbox-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
).pipe(Effect.map((dir) => Path.join(dir, "state.json")))

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
      const saved = JSON.parse(Fs.readFileSync(stateFile, "utf8"))
      expect(saved.agents.some((a: { id: string }) => a.id === created)).toBe(true)
      expect(Fs.readdirSync(Path.dirname(stateFile))).toEqual(["state.json"])

      const second = yield* Sandbox.start({ rateLimit: false, stateFile })
      const read = yield* raw(second, "GET", `/beta/agents/${created}`)
      expect(read.status).toBe(200)
      expect(read.json.data.email).toBe("persisted@x.example")

      yield* second.reset
      expect((yield* raw(second, "GET", `/beta/agents/${created}`)).status).toBe(404)
      const afterReset = JSON.parse(Fs.readFileSync(stateFile, "utf8"))
      expect(afterReset.agents.some((a: { id: string }) => a.id === created)).toBe(false)
    }))

  it.scoped("creates a missing file (and directory) with the seeded state; reads do not rewrite it", () =>
    Effect.gen(function*() {
      const stateFile = Path.join(Path.dirname(yield* tempFile), "nested", "state.json")
      const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile, seed: 5 })
      expect(JSON.parse(Fs.readFileSync(stateFile, "utf8")).seed).toBe(5)
      // Every save renames a new file into place, so an unchanged inode means no save happened.
      const inode = Fs.statSync(stateFile).ino
      expect((yield* raw(sandbox, "GET", "/beta/agents")).status).toBe(200)
      expect(Fs.statSync(stateFile).ino).toBe(inode)
      expect((yield* raw(sandbox, "POST", "/beta/tags", { body: { name: "new" } })).status).toBe(200)
      expect(Fs.statSync(stateFile).ino).not.toBe(inode)
    }))

  it.scoped("refuses to start on a file that is not a sandbox state", () =>
    Effect.gen(function*() {
      const stateFile = yield* tempFile
      Fs.writeFileSync(stateFile, "{ not json")
      const notJson = yield* Effect.flip(Sandbox.start({ stateFile }))
      expect(notJson._tag).toBe("SandboxStartError")
      Fs.writeFileSync(stateFile, JSON.stringify({ hello: "world" }))
      const wrongShape = yield* Effect.flip(Sandbox.start({ stateFile }))
      expect(wrongShape.message).toMatch(/does not hold a sandbox state/)
    }))
})
