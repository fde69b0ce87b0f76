/**
 * Reading a sandbox state file from a test, the way the sandbox reads it (the file is SQLite).
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import type * as State from "../src/internal/state.js"
import * as Store from "../src/internal/store/store.js"

/** The state kept in a file (which must exist). */
export const readStateFile = (file: string): Effect.Effect<State.State, Store.StoreError> =>
  Effect.scoped(Effect.flatMap(
    Store.open({
      file,
      initial: () => {
        throw new Error(`${file} holds no state`)
      }
    }),
    (store) => store.read((state) => Effect.succeed(structuredClone(state)))
  ))

/** Runs one query on a SQLite file through its own connection. */
export const query = <A extends object>(file: string, text: string) =>
  Effect.scoped(Effect.gen(function*() {
    const context = yield* Layer.build(SqliteClient.layer({ filename: file }))
    return yield* Context.get(context, SqliteClient.SqliteClient).unsafe<A>(text)
  })).pipe(Effect.orDie)

/** The store's version counter, bumped by every transaction that changes something. */
export const storeVersion = (file: string) =>
  Effect.map(query<{ value: number }>(file, "SELECT value FROM meta WHERE key = 'version'"), (rows) => rows[0]?.value)

/** A fresh temporary directory, removed with the scope. */
export const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "dixa-sandbox-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)
