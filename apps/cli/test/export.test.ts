// `dixa export <group> <list-action> --to FILE`: every page streamed to NDJSON or CSV with a checkpoint, resumable
// after --timeout; through the built bundle against a sandbox server.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { against, apiKey, faults, hasScript, json, onTerminal, scratch, serve } from "./support.js"

const requests = (url: string) =>
  Effect.promise(() => fetch(`${url}/_sandbox/stats`).then((r) => r.json() as Promise<{ requests: number }>))

let n = 0
/** A fresh path in the scratch directory. */
const fresh = (ext: string) => path.join(scratch, `export-${process.pid}-${++n}.${ext}`)

const lines = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "")

/** Every agent, as `agents list --all` prints them. */
const allAgents = (url: string) => Effect.map(against(url)(["agents", "list", "--all"]), json)

describe("dixa export", () => {
  it.scoped("writes every page as NDJSON, the same items as --all, and removes its checkpoint", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const file = fresh("ndjson")
      const result = yield* against(url)(["export", "agents", "list", "--page-limit", "2", "--to", file])
      expect(result.code, result.stderr).toBe(0)
      const expected = yield* allAgents(url)
      expect(expected.length).toBeGreaterThan(2)
      expect(lines(file).map((l) => JSON.parse(l))).toEqual(expected)
      expect(fs.existsSync(`${file}.checkpoint`)).toBe(false)
      expect(json(result)).toEqual({
        file,
        format: "ndjson",
        items: expected.length,
        pages: Math.ceil(expected.length / 2)
      })
      expect(result.stderr).toBe("")
    }))

  it.scoped("writes CSV: a header of the item's fields, a row per item, nested values as JSON text", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const file = fresh("csv")
      const result = yield* against(url)(["export", "agents", "list", "--page-limit", "3", "--to", file])
      expect(result.code, result.stderr).toBe(0)
      const rows = fs.readFileSync(file, "utf8").split("\r\n").filter((l) => l !== "")
      const header = rows[0]!.split(",")
      expect(header).toEqual(expect.arrayContaining(["id", "displayName", "email", "roles"]))
      const expected = yield* allAgents(url)
      expect(rows).toHaveLength(expected.length + 1)
      const first = expected[0]
      const roles = `"${JSON.stringify(first.roles).replace(/"/g, "\"\"")}"`
      expect(rows[1]!.startsWith(`${first.id},`)).toBe(true)
      expect(rows[1]).toContain(roles)
    }))

  it.scoped("refuses to overwrite a file without --resume or --force; --force overwrites", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const file = fresh("ndjson")
      fs.writeFileSync(file, "keep me\n")
      const refused = yield* against(url)(["export", "agents", "list", "--to", file])
      expect(refused.code).toBe(2)
      expect(refused.stderr).toMatch(/exists: pass --resume .* or --force/)
      expect(fs.readFileSync(file, "utf8")).toBe("keep me\n")
      const forced = yield* against(url)(["export", "agents", "list", "--to", file, "--force"])
      expect(forced.code, forced.stderr).toBe(0)
      expect(lines(file).map((l) => JSON.parse(l))).toEqual(yield* allAgents(url))
    }))

  it.scoped("takes only paginated lists and .ndjson/.csv files: exit 2, nothing sent", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const before = (yield* requests(url)).requests
      const notList = yield* against(url)(["export", "agents", "get", "some-id", "--to", fresh("ndjson")])
      expect(notList.code).toBe(2)
      expect(notList.stderr).toMatch(/agents get is not a paginated list/)
      const badName = fresh("txt")
      const badFile = yield* against(url)(["export", "agents", "list", "--to", badName])
      expect(badFile.code).toBe(2)
      expect(badFile.stderr).toMatch(/must end in \.ndjson, \.jsonl or \.csv/)
      expect(fs.existsSync(badName)).toBe(false)
      const noCheckpoint = yield* against(url)(["export", "agents", "list", "--to", fresh("ndjson"), "--resume"])
      expect(noCheckpoint.code).toBe(2)
      expect(noCheckpoint.stderr).toMatch(/no .*\.checkpoint to resume from/)
      expect((yield* requests(url)).requests).toBe(before)
    }))

  it.scoped("--timeout stops after whole pages, keeps the checkpoint, says how to resume; --resume finishes", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const expected = yield* allAgents(url)
      const file = fresh("ndjson")
      yield* faults(url, { latency: 700 })
      const args = ["export", "agents", "list", "--page-limit", "1", "--to", file]
      const stopped = yield* against(url)([...args, "--timeout", "2s"])
      expect(stopped.code).toBe(4)
      expect(stopped.stderr).toMatch(
        /items \(\d+ pages\) are in .*; the checkpoint .*\.checkpoint is kept: .* --resume/
      )
      expect(stopped.stderr).toMatch(/gave up after \d+\.\ds \(--timeout 2s\)/)
      const checkpoint = JSON.parse(fs.readFileSync(`${file}.checkpoint`, "utf8"))
      expect(checkpoint.items).toBeLessThan(expected.length)
      expect(lines(file)).toHaveLength(checkpoint.items)
      // A run killed in the middle of a page leaves a partial line: the resume cuts it off.
      fs.appendFileSync(file, "{\"partial\":")
      yield* faults(url, {})
      const before = (yield* requests(url)).requests
      const resumed = yield* against(url)([...args, "--resume"])
      expect(resumed.code, resumed.stderr).toBe(0)
      // It went on from the checkpoint's page: one request per page left, none for the pages already written.
      expect((yield* requests(url)).requests - before).toBe(expected.length - checkpoint.items)
      expect(lines(file).map((l) => JSON.parse(l))).toEqual(expected)
      expect(fs.existsSync(`${file}.checkpoint`)).toBe(false)
    }))

  it.scoped("--resume with other flags than the checkpoint's is refused", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const file = fresh("ndjson")
      fs.writeFileSync(file, "")
      fs.writeFileSync(
        `${file}.checkpoint`,
        JSON.stringify({ operation: "agents.list", query: "/beta/agents?pageLimit=9", pages: 0, items: 0, bytes: 0 })
      )
      const result = yield* against(url)(["export", "agents", "list", "--page-limit", "1", "--to", file, "--resume"])
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/is of another export/)
    }))

  it.scoped.skipIf(!hasScript)("on a terminal, pages and items so far, wiped at the end", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const file = fresh("ndjson")
      const result = yield* onTerminal(
        ["--base-url", url, "export", "agents", "list", "--page-limit", "2", "--to", file],
        "",
        { DIXA_API_KEY: apiKey }
      )
      expect(result.code).toBe(0)
      const wipe = "\r\u001b[K"
      expect(result.stdout).toContain(
        `${wipe}exporting to ${file}: pages 1, items 2${wipe}exporting to ${file}: pages 2, items 4`
      )
      expect(result.stdout).toContain(`${wipe}exported `)
      expect(result.stdout).toMatch(/exported \d+ items \(\d+ pages\) to /)
    }))
})
