/**
 * The SQL side of the store: the tables, reading every row, writing changed rows, the version counter
 * and write transactions that take SQLite's write lock at BEGIN.
 *
 * - `meta`: `format` (the layout below) and `version` (bumped by every transaction that changes a row).
 * - `entries`: one row per top-level key of the state.
 * - `items`: one row per member of a key kept as a list or record (see rows.ts).
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Scope from "effect/Scope"
import type * as Rows from "./rows.js"

/** The table layout this code reads and writes. */
export const format = 1

/** Creates the tables of an empty database (a no-op on an existing one). */
export const createTables = (sql: SqlClient.SqlClient): Effect.Effect<void, SqlError> =>
  Effect.all([
    sql`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL)`,
    sql`CREATE TABLE IF NOT EXISTS entries (
      name TEXT PRIMARY KEY, position INTEGER NOT NULL, shape TEXT NOT NULL, json TEXT)`,
    sql`CREATE TABLE IF NOT EXISTS items (
      name TEXT NOT NULL, key TEXT NOT NULL, position INTEGER NOT NULL, json TEXT NOT NULL,
      PRIMARY KEY (name, key)) WITHOUT ROWID`
  ], { discard: true })

/** A number kept in `meta`, if there is one. */
export const readMeta = (
  sql: SqlClient.SqlClient,
  key: "format" | "version"
): Effect.Effect<Option.Option<number>, SqlError> =>
  Effect.map(
    sql<{ readonly value: number }>`SELECT value FROM meta WHERE key = ${key}`,
    (rows) => Option.fromNullable(rows[0]?.value)
  )

export const writeMeta = (sql: SqlClient.SqlClient, key: "format" | "version", value: number) =>
  sql`INSERT OR REPLACE INTO meta (key, value) VALUES (${key}, ${value})`

/** Every row, read in one transaction so that they belong to one version. */
export const readAll = (sql: SqlClient.SqlClient) =>
  sql.withTransaction(Effect.all({
    version: readMeta(sql, "version"),
    entries: sql<Rows.Entry>`SELECT name, position, shape, json FROM entries`,
    items: sql<Rows.Item>`SELECT name, key, position, json FROM items`
  }))

/** Rows per multi-row INSERT (4 parameters each, far below SQLite's limit on parameters). */
const chunkSize = 200

const chunks = <A>(rows: ReadonlyArray<A>): Array<ReadonlyArray<A>> =>
  Array.from({ length: Math.ceil(rows.length / chunkSize) }, (_, i) => rows.slice(i * chunkSize, (i + 1) * chunkSize))

/** Writes the changed rows and deletes the removed ones. */
export const writeChanges = (sql: SqlClient.SqlClient, changes: Rows.Changes): Effect.Effect<void, SqlError> =>
  Effect.all([
    Effect.forEach(
      chunks(changes.entries),
      (rows) =>
        sql`INSERT OR REPLACE INTO entries ${
          sql.insert(rows.map((e) => ({ name: e.name, position: e.position, shape: e.shape, json: e.json })))
        }`
    ),
    Effect.forEach(changes.removedEntries, (name) => sql`DELETE FROM entries WHERE name = ${name}`),
    Effect.forEach(
      chunks(changes.items),
      (rows) =>
        sql`INSERT OR REPLACE INTO items ${
          sql.insert(rows.map((i) => ({ name: i.name, key: i.key, position: i.position, json: i.json })))
        }`
    ),
    Effect.forEach(
      changes.removedItems,
      (item) => sql`DELETE FROM items WHERE name = ${item.name} AND key = ${item.key}`
    )
  ], { discard: true })

/**
 * Runs an effect in a transaction opened with `BEGIN IMMEDIATE`: the write lock is taken at the start (waiting
 * up to the busy timeout while another process holds it), so what the effect reads cannot be changed by
 * another writer before it commits. A plain `BEGIN` would take the lock only at the first write and could
 * fail there instead of waiting.
 */
export const immediateTransaction = (sql: SqlClient.SqlClient) =>
  SqlClient.makeWithTransaction({
    transactionTag: SqlClient.TransactionConnection,
    spanAttributes: [],
    acquireConnection: Effect.flatMap(
      Scope.make(),
      (scope) => Effect.map(Scope.extend(sql.reserve, scope), (conn) => [scope, conn] as const)
    ),
    begin: (conn) => conn.executeUnprepared("BEGIN IMMEDIATE", [], undefined),
    savepoint: (conn, id) => conn.executeUnprepared(`SAVEPOINT effect_sql_${id}`, [], undefined),
    commit: (conn) => conn.executeUnprepared("COMMIT", [], undefined),
    rollback: (conn) => conn.executeUnprepared("ROLLBACK", [], undefined),
    rollbackSavepoint: (conn, id) => conn.executeUnprepared(`ROLLBACK TO SAVEPOINT effect_sql_${id}`, [], undefined)
  })
