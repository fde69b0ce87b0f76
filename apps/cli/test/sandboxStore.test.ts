// The sandbox's SQLite store shared by real processes: many `dixa --sandbox` runs at once, several
// `dixa sandbox serve --state FILE` on one file, a server killed with SIGKILL in the middle of writes, and the
// import of the JSON state file older versions kept.
import { describe, expect, it } from "@effect/vitest"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { against, dixa, json, sandboxState, scratch, serve } from "./support.js"

interface Database {
  readonly pragma: (text: string, options: { simple: true }) => unknown
  readonly prepare: (text: string) => { readonly all: () => Array<Record<string, unknown>> }
  readonly close: () => void
}

// The CLI's own copy of the driver (untyped here: the CLI only loads it at run time, from the bundle).
const Sqlite = createRequire(import.meta.url)("better-sqlite3") as new(file: string) => Database

/** Opens a store file as SQLite would after a crash, and reports its integrity check and its tag names. */
const inspect = (file: string) => {
  const db = new Sqlite(file)
  try {
    const integrity = db.pragma("integrity_check", { simple: true })
    const tags = db.prepare("SELECT json FROM items WHERE name = 'tags'").all().map((row) =>
      (JSON.parse(row["json"] as string) as { name: string }).name
    )
    return { integrity, tags }
  } finally {
    db.close()
  }
}

const freshDir = (name: string) => fs.mkdtempSync(path.join(scratch, `${name}-`))

/** A raw POST to a sandbox; the created item's id, or undefined when the request got no 2xx answer. */
const create = (url: string, pathname: string, body: unknown) =>
  Effect.promise(() =>
    fetch(url + pathname, {
      method: "POST",
      headers: { authorization: "any-token", "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then(
      async (response) => response.ok ? ((await response.json()) as { data: { id: string } }).data.id : undefined,
      () => undefined
    )
  )

const endUserIds = (url: string) =>
  Effect.map(
    against(url)(["--output", "ndjson", "end-users", "list", "--all"]),
    (result) => result.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { id: string }).id)
  )

describe("the --sandbox store shared by processes", () => {
  it.effect(
    "20 concurrent `dixa --sandbox tags create` give 20 tags with 20 distinct ids",
    () =>
      Effect.gen(function*() {
        const env = { DIXA_SANDBOX_STATE: path.join(freshDir("concurrent"), "sandbox.db"), DIXA_API_KEY: undefined }
        const names = Array.from({ length: 20 }, (_, i) => `t${i}`)
        const runs = yield* Effect.forEach(
          names,
          (name) => dixa(["--yes", "--sandbox", "tags", "create", "--name", name], { env }),
          { concurrency: "unbounded" }
        )
        for (const run of runs) expect(run.code, run.stderr).toBe(0)
        const ids = runs.map((run) => json(run).id as string)
        expect(new Set(ids).size).toBe(20)

        const listed = json(yield* dixa(["--sandbox", "tags", "list"], { env })) as Array<{ id: string; name: string }>
        const created = listed.filter((tag) => names.includes(tag.name))
        expect(created.map((tag) => tag.id).sort()).toEqual([...ids].sort())
      }),
    120_000
  )

  it.effect(
    "imports the JSON state file of an older version once, and `sandbox reset` removes every store file",
    () =>
      Effect.gen(function*() {
        const home = freshDir("xdg")
        const dir = path.join(home, "dixa")
        const env = { XDG_STATE_HOME: home, DIXA_SANDBOX_STATE: undefined, DIXA_API_KEY: undefined }
        const seeded = json(yield* dixa(["--yes", "--sandbox", "tags", "create", "--name", "before"], { env }))
        // What an older version kept: the same state as JSON, in sandbox.json.
        const state = yield* Effect.scoped(Effect.gen(function*() {
          const sandbox = yield* Sandbox.start({ stateFile: path.join(dir, "sandbox.db") })
          return yield* sandboxState(sandbox.url)
        }))
        yield* dixa(["sandbox", "reset"], { env })
        expect(fs.readdirSync(dir)).toEqual([])
        fs.writeFileSync(path.join(dir, "sandbox.json"), JSON.stringify(state))

        const runs = yield* Effect.forEach(
          [1, 2, 3],
          () => dixa(["--sandbox", "tags", "list"], { env }),
          { concurrency: "unbounded" }
        )
        for (const run of runs) {
          expect(run.code, run.stderr).toBe(0)
          expect((json(run) as Array<{ id: string }>).map((tag) => tag.id)).toContain(seeded.id)
        }
        const notices = runs.flatMap((run) => run.stderr.split("\n").filter((line) => line.includes("imported")))
        expect(notices).toEqual([expect.stringContaining("sandbox.old.json")])
        expect(fs.readdirSync(dir).sort()).toEqual(["sandbox.db", "sandbox.old.json"])

        expect((yield* dixa(["sandbox", "reset"], { env })).code).toBe(0)
        expect(fs.readdirSync(dir)).toEqual(["sandbox.old.json"])
      }),
    120_000
  )
})

describe("`dixa sandbox serve --state FILE` processes on one file", () => {
  it.scoped("3 servers under concurrent writes lose nothing, and each sees every write", () =>
    Effect.gen(function*() {
      const file = path.join(freshDir("shared"), "state.db")
      const servers = yield* Effect.forEach([1, 2, 3], () => serve(["--state", file, "--no-rate-limit"]), {
        concurrency: "unbounded"
      })
      const ids = yield* Effect.forEach(
        Array.from({ length: 60 }, (_, i) => i),
        (i) => create(servers[i % 3]!.url, "/beta/endusers", { displayName: `Shared ${i}`, email: `s${i}@x.example` }),
        { concurrency: 12 }
      )
      expect(ids.every((id) => id !== undefined)).toBe(true)
      expect(new Set(ids).size).toBe(60)
      for (const server of servers) {
        const seen = yield* endUserIds(server.url)
        expect(seen).toEqual(expect.arrayContaining(ids))
      }
    }), 120_000)

  it.scopedLive(
    "a server killed with SIGKILL mid-stream leaves a sound file holding every acknowledged write",
    () =>
      Effect.gen(function*() {
        const file = path.join(freshDir("killed"), "state.db")
        const victim = yield* serve(["--state", file, "--no-rate-limit"])
        const survivor = yield* serve(["--state", file, "--no-rate-limit"])
        const acknowledged: Array<string> = []
        let killed = false
        // Writers through the victim until it stops answering; one through the survivor until 20 writes after the kill.
        const victimWriter = (prefix: string) =>
          Effect.gen(function*() {
            for (let i = 0;; i++) {
              if ((yield* create(victim.url, "/beta/tags", { name: `${prefix}-${i}` })) === undefined) return
              acknowledged.push(`${prefix}-${i}`)
            }
          })
        const survivorWriter = Effect.gen(function*() {
          const failed: Array<number> = []
          for (let i = 0, afterKill = 0; afterKill < 20; i++) {
            if ((yield* create(survivor.url, "/beta/tags", { name: `s-${i}` })) === undefined) failed.push(i)
            else acknowledged.push(`s-${i}`)
            if (killed) afterKill++
          }
          return failed
        })
        const victimWrites = () => acknowledged.filter((name) => !name.startsWith("s-")).length
        // Killed mid-stream once the victim has acknowledged more than 20 writes (a fixed delay got too few of
        // them on a loaded machine).
        const killer = Effect.sleep("20 millis").pipe(
          Effect.repeat({ until: () => victimWrites() > 20 }),
          Effect.timeout("30 seconds"),
          Effect.ignore,
          Effect.zipRight(Effect.sync(() => {
            victim.child.kill("SIGKILL")
            killed = true
          }))
        )
        const [failed] = yield* Effect.all([survivorWriter, killer, ...["a", "b", "c", "d"].map(victimWriter)], {
          concurrency: "unbounded"
        })
        expect(failed).toEqual([])
        expect(victimWrites()).toBeGreaterThan(20)

        const { integrity, tags } = inspect(file)
        expect(integrity).toBe("ok")
        expect(tags).toEqual(expect.arrayContaining(acknowledged))
      }),
    120_000
  )
})
