/**
 * The sandbox's state, kept in SQLite and shared by every process that opens the same file.
 *
 * Each process holds the state in memory together with the rows it was read from and the version it had.
 * A read checks the version and reloads when another process has written since; a write does the same inside
 * a `BEGIN IMMEDIATE` transaction, runs the change against the in-memory state, writes back only the rows
 * whose JSON differs and bumps the version, all before COMMIT. Without a file the database lives in memory,
 * with the same discipline.
 */
import * as SqliteClient from "@effect/sql-sqlite-node/SqliteClient"
import type * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Fs from "node:fs"
import * as Path from "node:path"
import type { State } from "../state.js"
import * as Database from "./database.js"
import { StoreError } from "./error.js"
import * as ImportJson from "./importJson.js"
import * as Rows from "./rows.js"

export interface Store {
  /**
   * Runs `f` on the up-to-date state without the write lock. What `f` changes stays in memory only: the next write
   * stores it, a reload drops it. So `f` may fill in what is derived (a lazily seeded area) but must not mint ids.
   */
  readonly read: <A, E>(f: (state: State) => Effect.Effect<A, E>) => Effect.Effect<A, E | StoreError>
  /** Runs `f` on the up-to-date state in one write transaction, and stores what it changed. */
  readonly write: <A, E>(f: (state: State) => Effect.Effect<A, E>) => Effect.Effect<A, E | StoreError>
}

export interface Options {
  /** The SQLite file; in memory when undefined. */
  readonly file: string | undefined
  /** The state of a store created now. */
  readonly initial: () => State
}

/** How long a writer waits for another process's transaction before failing. */
const busyTimeoutMillis = 15_000

/**
 * One in-process lock per file. Two stores of one process on the same file (two sandboxes in one test) take
 * turns here rather than in SQLite: SQLite's busy wait blocks the whole thread, so a store waiting for the
 * write lock there would stop the other one from finishing the transaction that holds it.
 */
const locks = new Map<string, Effect.Semaphore>()

const lockFor = (file: string): Effect.Semaphore => {
  const key = Path.resolve(file)
  const existing = locks.get(key)
  if (existing !== undefined) return existing
  const lock = Effect.unsafeMakeSemaphore(1)
  locks.set(key, lock)
  return lock
}

/** What this process last read or wrote. */
interface Cell {
  state: State
  rows: Rows.Rows
  /** The version of `rows`; `undefined` forces a reload. */
  version: number | undefined
}

const failed = (what: string) => (cause: SqlError) =>
  new StoreError({ message: `the sandbox state store ${what}: ${cause.cause ?? cause.message}`, cause })

const connect = (file: string | undefined): Effect.Effect<SqlClient.SqlClient, StoreError, Scope.Scope> =>
  Effect.gen(function*() {
    if (file !== undefined) {
      yield* Effect.try({
        try: () => Fs.mkdirSync(Path.dirname(file), { recursive: true }),
        catch: (cause) => new StoreError({ message: `cannot create the directory of ${file}`, cause })
      })
    }
    const context = yield* Layer.build(SqliteClient.layer({ filename: file ?? ":memory:" })).pipe(
      Effect.catchAllDefect((cause) => Effect.fail(cause)),
      Effect.mapError((cause) => new StoreError({ message: `cannot open the state file ${file}: ${cause}`, cause }))
    )
    const sql = Context.get(context, SqliteClient.SqliteClient)
    // NORMAL keeps every committed transaction through a crash of the process (it is in the WAL file) and
    // only spares the fsync that protects against a power loss.
    yield* Effect.all([
      sql.unsafe(`PRAGMA busy_timeout = ${busyTimeoutMillis}`),
      sql`PRAGMA synchronous = NORMAL`
    ]).pipe(Effect.mapError(failed("cannot be set up")))
    return sql
  })

/** Fills a new database with `state`, or checks that an existing one has the layout this code knows. */
const initialize = (sql: SqlClient.SqlClient, initial: () => State) =>
  Effect.gen(function*() {
    yield* Database.createTables(sql)
    const format = yield* Database.readMeta(sql, "format")
    if (Option.isSome(format)) {
      if (format.value === Database.format) return
      return yield* new StoreError({
        message: `the state file has layout ${format.value}; this sandbox reads only ${Database.format}`
      })
    }
    const rows = Rows.fromState(initial())
    yield* Database.writeChanges(sql, Rows.diff({ entries: new Map(), items: new Map() }, rows))
    yield* Database.writeMeta(sql, "format", Database.format)
    yield* Database.writeMeta(sql, "version", 1)
  })

export { StoreError }

/**
 * Opens the store, creating the file with the initial state when it is missing, importing it when it holds a
 * JSON state from an older sandbox. The connection closes with the scope.
 */
export const open = (options: Options): Effect.Effect<Store, StoreError, Scope.Scope> =>
  Effect.gen(function*() {
    if (options.file !== undefined) {
      yield* ImportJson.ifJson(options.file, (state, into) =>
        Effect.scoped(openDatabase({ file: into, initial: () => state })))
    }
    return yield* openDatabase(options)
  })

const openDatabase = (options: Options): Effect.Effect<Store, StoreError, Scope.Scope> =>
  Effect.gen(function*() {
    const sql = yield* connect(options.file)
    const lock = options.file === undefined ? yield* Effect.makeSemaphore(1) : lockFor(options.file)
    const immediate = Database.immediateTransaction(sql)
    // Filled by the first refresh, right below.
    const cell: Cell = { state: {} as State, rows: { entries: new Map(), items: new Map() }, version: undefined }
    const sync = refresh(sql, cell)
    yield* lock.withPermits(1)(Effect.zipRight(
      immediate(initialize(sql, options.initial)).pipe(
        Effect.catchTag("SqlError", (e) => Effect.fail(failed("cannot be initialized")(e)))
      ),
      sync
    ))
    const read = <A, E>(f: (state: State) => Effect.Effect<A, E>) =>
      lock.withPermits(1)(Effect.zipRight(sync, Effect.suspend(() => f(cell.state))))
    const write = <A, E>(f: (state: State) => Effect.Effect<A, E>) =>
      lock.withPermits(1)(
        immediate(Effect.zipLeft(Effect.zipRight(sync, Effect.suspend(() => f(cell.state))), persist(sql, cell))).pipe(
          Effect.mapError((e) => e instanceof SqlError ? failed("could not be written")(e) : e),
          // A failed transaction was rolled back: the in-memory state may hold changes the file does not.
          Effect.onError(() => Effect.sync(() => (cell.version = undefined)))
        )
      )
    return { read, write } satisfies Store
  })

/** Brings the in-memory state up to date when another process (or a failed write) left it behind. */
const refresh = (sql: SqlClient.SqlClient, cell: Cell): Effect.Effect<void, StoreError> =>
  Effect.gen(function*() {
    const version = yield* Database.readMeta(sql, "version")
    if (cell.version !== undefined && Option.getOrUndefined(version) === cell.version) return
    const all = yield* Database.readAll(sql)
    cell.rows = {
      entries: new Map(all.entries.map((e) => [e.name, e])),
      items: new Map(all.items.map((i) => [Rows.itemId(i.name, i.key), i]))
    }
    cell.state = Rows.toState(all.entries, all.items) as unknown as State
    cell.version = Option.getOrUndefined(all.version)
  }).pipe(Effect.mapError(failed("could not be read")))

/** Writes the rows the change touched and bumps the version (inside the write transaction). */
const persist = (sql: SqlClient.SqlClient, cell: Cell): Effect.Effect<void, SqlError> =>
  Effect.gen(function*() {
    const rows = Rows.fromState(cell.state)
    const changes = Rows.diff(cell.rows, rows)
    if (Rows.isEmpty(changes)) return
    const version = (cell.version ?? 0) + 1
    yield* Database.writeChanges(sql, changes)
    yield* Database.writeMeta(sql, "version", version)
    cell.rows = rows
    cell.version = version
  })
