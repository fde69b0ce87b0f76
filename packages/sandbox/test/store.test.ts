/**
 * The SQLite store: the state as rows and back, row-level changes, and two sandboxes sharing one file the way
 * two processes do (each has its own connection and its own copy of the state in memory).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Path from "node:path"
import * as Sandbox from "../src/index.js"
import * as State from "../src/internal/state.js"
import * as Rows from "../src/internal/store/rows.js"
import { tempDir } from "./stateFile.js"
import { raw } from "./support.js"

const roundTrip = (state: object) => {
  const rows = Rows.fromState(state)
  return Rows.toState(rows.entries.values(), rows.items.values())
}

describe("the state as rows", () => {
  it("gives back the same state, keys and members in the same order", () => {
    const state = State.seed(4, 3)
    const back = roundTrip(state)
    expect(back).toEqual(JSON.parse(JSON.stringify(state)))
    expect(Object.keys(back)).toEqual(Object.keys(state))
    expect(Object.keys(back["presence"] as object)).toEqual(Object.keys(state.presence))
  })

  it("keeps lists of objects and records of objects as one row per member, everything else whole", () => {
    const rows = Rows.fromState({ list: [{ id: "a" }, { id: "b" }], noIds: [{ x: 1 }], record: { k: { v: 1 } }, n: 1 })
    expect([...rows.entries.values()].map((e) => [e.name, e.shape])).toEqual([
      ["list", "list"],
      ["noIds", "list"],
      ["record", "record"],
      ["n", "value"]
    ])
    expect([...rows.items.values()].map((i) => `${i.name}/${i.key}`)).toEqual([
      "list/a",
      "list/b",
      "noIds/#0",
      "record/k"
    ])
    expect(roundTrip({ empty: [], strings: ["x"], nested: { a: [] } })).toEqual({
      empty: [],
      strings: ["x"],
      nested: { a: [] }
    })
  })

  it("finds the changed, new and removed rows", () => {
    const state = State.seed(1, 0)
    const before = Rows.fromState(state)
    state.agents[0]!.displayName = "Renamed"
    state.tags.splice(1, 1)
    state.rng = 42
    const changes = Rows.diff(before, Rows.fromState(state))
    expect(changes.entries.map((e) => e.name)).toEqual(["rng"])
    expect(changes.items.map((i) => `${i.name}/${i.key}`)).toEqual([
      `agents/${state.agents[0]!.id}`,
      // The tags after the removed one moved up one place.
      ...state.tags.slice(1).map((t) => `tags/${t.id}`)
    ])
    expect(changes.removedItems).toHaveLength(1)
    expect(Rows.isEmpty(Rows.diff(before, before))).toBe(true)
  })
})

describe("two sandboxes on one state file", () => {
  it.scoped("mint no id twice and both see every write", () =>
    Effect.gen(function*() {
      const stateFile = Path.join(yield* tempDir, "shared.db")
      const one = yield* Sandbox.start({ rateLimit: false, stateFile })
      const two = yield* Sandbox.start({ rateLimit: false, stateFile })
      const created = yield* Effect.forEach(
        Array.from({ length: 40 }, (_, i) => i),
        (i) => raw(i % 2 === 0 ? one : two, "POST", "/beta/tags", { body: { name: `shared ${i}` } }),
        { concurrency: 8 }
      )
      const ids = created.map((answer) => answer.json.data.id as string)
      expect(new Set(ids).size).toBe(40)
      for (const sandbox of [one, two]) {
        const listed = (yield* raw(sandbox, "GET", "/beta/tags")).json.data.map((t: { id: string }) => t.id)
        expect(listed).toEqual(expect.arrayContaining(ids))
      }
    }))

  it.scoped("a fresh file mints the same ids as the in-memory sandbox for the same seed", () =>
    Effect.gen(function*() {
      const stateFile = Path.join(yield* tempDir, "seeded.db")
      const inMemory = yield* Sandbox.start({ rateLimit: false, seed: 9 })
      const onFile = yield* Sandbox.start({ rateLimit: false, seed: 9, stateFile })
      const first = yield* raw(inMemory, "POST", "/beta/tags", { body: { name: "same" } })
      const second = yield* raw(onFile, "POST", "/beta/tags", { body: { name: "same" } })
      expect(second.json.data.id).toBe(first.json.data.id)
    }))
})
