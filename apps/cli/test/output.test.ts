// Readable output through the built bundle against a sandbox over HTTP: the columns a table picks per
// response (email, message text, availability), fitting the width, --columns, --fields, --output auto,
// and errors as JSON whenever the chosen output is machine-readable.
import { describe, expect, it, layer } from "@effect/vitest"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as path from "node:path"
import * as Columns from "../src/Columns.js"
import {
  against,
  apiKey,
  hasScript,
  json,
  onTerminal,
  type Result,
  sandboxState,
  scratch,
  transcript
} from "./support.js"

const stateFile = path.join(scratch, "output-state.db")

const setup = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  return { sandbox, run: against(sandbox.url) }
})

/** The lines of a table, without trailing blanks. */
const linesOf = (result: Result): Array<string> => result.stdout.trimEnd().split("\n")

/** Runs dixa on a pseudo-terminal `cols` wide; stdout and stderr both come back as `stdout`, without carriage returns. */
const onSizedTerminal = (cols: number, args: ReadonlyArray<string>, env: Record<string, string>) =>
  Effect.map(onTerminal(args, "", env, cols), (result) => ({ ...result, stdout: result.stdout.replace(/\r/g, "") }))

layer(Sandbox.layer({ apiKey, rateLimit: false, stateFile, anonymizationDelay: 0 }), { excludeTestServices: true })(
  "output",
  (it) => {
    it.effect("agents list at 80 columns leads with name and email, and no line is wider", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const agents = json(yield* run(["agents", "list"]))
        const table = yield* run(["--output", "table", "agents", "list"], { env: { COLUMNS: "80" } })
        const lines = linesOf(table)
        expect(lines[0]).toMatch(/^displayName\s+email\s/)
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(80)
        for (const agent of agents) expect(table.stdout).toContain(agent.email)
        // Ids and timestamps rank last: they are what is left out first.
        expect(lines[0]).not.toMatch(/createdAt/)
        const wide = linesOf(yield* run(["--output", "table", "agents", "list"], { env: { COLUMNS: "300" } }))
        expect(wide[0]).toMatch(/^displayName\s+email\s.*\sid\s+createdAt$/)
      }))

    it.effect("conversations list-messages shows the text; queues get-availability the availability", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        const conversations = (yield* sandboxState(sandbox.url)).conversations as Array<any>
        const talked = conversations.find((c) => c.messages.length > 1)
        const messages = json(yield* run(["conversations", "list-messages", String(talked.data.id)]))
        const texts = messages.map((m: any) => m.attributes.content?.value).filter(Boolean)
        expect(texts.length).toBeGreaterThan(0)
        const table = yield* run(["--output", "table", "conversations", "list-messages", String(talked.data.id)])
        expect(linesOf(table)[0]).toMatch(/^attributes\.content\.value\s/)
        for (const text of texts) expect(table.stdout).toContain(text.slice(0, 30))

        const queue = json(yield* run(["queues", "list"]))[0]
        const availability = json(yield* run(["queues", "get-availability", queue.id]))
        const shown = yield* run(["--output", "table", "queues", "get-availability", queue.id])
        expect(linesOf(shown)[0]).toMatch(/channelAvailability\.availability/)
        expect(linesOf(shown).slice(1)).toHaveLength(availability.length)
        for (const line of linesOf(shown).slice(1)) {
          expect(line).toMatch(new RegExp(availability[0].channelAvailability.availability))
        }
      }))

    it.effect("--columns shows exactly the columns asked for, in that order, even past the width", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const agents = json(yield* run(["agents", "list"]))
        const table = yield* run(["--output", "table", "agents", "list", "--columns", "id,email,createdAt"], {
          env: { COLUMNS: "40" }
        })
        const lines = linesOf(table)
        expect(lines[0]).toMatch(/^id\s+email\s+createdAt$/)
        expect(lines[1]).toContain(agents[0].id)
        expect(lines[1]).toContain(agents[0].createdAt)
        expect(Math.max(...lines.map((l) => l.length))).toBeGreaterThan(40)
        // One object: a row per asked field.
        const one = yield* run(["--output", "table", "agents", "get", agents[1].id, "--columns", "email,id"])
        expect(linesOf(one)).toEqual([`email  ${agents[1].email}`, `id     ${agents[1].id}`])
      }))

    it.effect("--fields keeps the named fields (dot paths too) in json, ndjson and yaml", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        const agents = json(yield* run(["agents", "list"]))
        const picked = json(yield* run(["agents", "list", "--fields", "email,displayName"]))
        expect(picked).toEqual(agents.map((a: any) => ({ email: a.email, displayName: a.displayName })))
        const nd = yield* run(["--output", "ndjson", "agents", "list", "--all", "--fields", "id"])
        expect(nd.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(agents.map((a: any) => ({ id: a.id })))
        const yaml = yield* run(["--output", "yaml", "agents", "get", agents[1].id, "--fields", "email"])
        expect(yaml.stdout.trim()).toBe(`email: ${agents[1].email}`)

        const conversations = (yield* sandboxState(sandbox.url)).conversations as Array<any>
        const talked = String(conversations.find((c) => c.messages.length > 1).data.id)
        const texts = json(
          yield* run(["conversations", "list-messages", talked, "--fields", "attributes.content.value"])
        )
        const full = json(yield* run(["conversations", "list-messages", talked]))
        expect(texts).toEqual(
          full.map((m: any) =>
            m.attributes.content ? { attributes: { content: { value: m.attributes.content.value } } } : {}
          )
        )
      }))

    it.effect("--output auto is json off a terminal; an unknown format is refused", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const org = json(yield* run(["organization", "get"]))
        expect(json(yield* run(["--output", "auto", "organization", "get"]))).toEqual(org)
        const bad = yield* run(["--output", "xml", "organization", "get"])
        expect(bad.code).toBe(2)
      }))

    it.effect.skipIf(!hasScript)(
      "--output auto is a table fitted to the terminal's width",
      () =>
        Effect.gen(function*() {
          const { sandbox } = yield* setup
          const env = { DIXA_API_KEY: apiKey }
          const result = yield* onSizedTerminal(72, ["--base-url", sandbox.url, "agents", "list"], env)
          const lines = result.stdout.trimEnd().split("\n")
          expect(lines[0]).toMatch(/^displayName\s+email\s/)
          for (const line of lines) expect(line.length).toBeLessThanOrEqual(72)
        })
    )

    it.effect("errors are JSON when the chosen output is json, ndjson or yaml; text otherwise", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const missing = "00000000-0000-4000-8000-000000000000"
        for (const format of ["json", "ndjson", "yaml"]) {
          const result = yield* run(["--output", format, "agents", "get", missing])
          expect(result.code).toBe(3)
          const error = JSON.parse(result.stderr).error
          expect(error).toMatchObject({ _tag: "NotFound", status: 404, operation: "agents.get" })
          expect(typeof error.message).toBe("string")
        }
        // A command line the parser refuses follows the format too.
        const usage = yield* run(["agents", "list", "--limit", "--output", "yaml"])
        expect(usage.code).toBe(2)
        expect(JSON.parse(usage.stderr).error).toMatchObject({ _tag: "UsageError" })
        const text = yield* run(["--output", "table", "agents", "get", missing])
        expect(text.stderr).toMatch(/^dixa: .*404/)
        const fromEnv = yield* run(["agents", "get", missing], { env: { DIXA_OUTPUT: "ndjson" } })
        expect(JSON.parse(fromEnv.stderr).error._tag).toBe("NotFound")
      }))

    it.effect("the API key appears in no output of this suite", () =>
      Effect.sync(() => {
        for (const text of transcript) expect(text).not.toContain(apiKey)
      }))
  }
)

describe("output without a server", () => {
  it.effect("an input problem is said once per field", () =>
    Effect.gen(function*() {
      const run = against("http://127.0.0.1:9")
      const zero = yield* run(["agents", "list", "--page-limit", "0"])
      expect(zero.code).toBe(2)
      expect(zero.stderr.match(/query\.pageLimit/g)).toHaveLength(1)
      const empty = yield* run(["--yes", "conversations", "create", "--input", "-"], { stdin: "{}" })
      expect(empty.code).toBe(2)
      expect(empty.stderr.match(/body\._type: is missing/g)).toHaveLength(1)
    }))
})

describe("Columns", () => {
  it("ranks what people read before types, ids and timestamps; keys ending in 'at' are not timestamps", () => {
    const items = [{
      id: "1",
      createdAt: "t",
      format: "x",
      _type: "A",
      email: "e",
      nested: { status: "s", userId: "u" }
    }]
    expect(Columns.ranked(items)).toEqual([
      "email",
      "nested.status",
      "format",
      "_type",
      "id",
      "nested.userId",
      "createdAt"
    ])
  })

  it("fits the best columns in the width, always keeping the first", () => {
    // Widths: aa 8, bbb 12, c 4, two spaces between columns.
    const natural = (c: string) => c.length * 4
    expect(Columns.fit(["aa", "bbb", "c"], natural, 28).map(([c]) => c)).toEqual(["aa", "bbb", "c"])
    expect(Columns.fit(["aa", "bbb", "c"], natural, 22).map(([c]) => c)).toEqual(["aa", "bbb"])
    // A lower-ranked column that still fits is kept when a wider one is not.
    expect(Columns.fit(["aa", "bbb", "c"], natural, 20).map(([c]) => c)).toEqual(["aa", "c"])
    expect(Columns.fit(["aa", "bbb", "c"], natural, 6).map(([c]) => c)).toEqual(["aa"])
    expect(Columns.fit(["x".repeat(50)], natural, 10)).toEqual([["x".repeat(50), Columns.maxWidth]])
  })

  it("picks dot paths keeping their nesting, and leaves out what is missing", () => {
    const value = [{ a: 1, b: { c: 2, d: 3 }, e: 4 }, { a: 5 }]
    expect(Columns.pick(value, ["a", "b.c", "zz.y"])).toEqual([{ a: 1, b: { c: 2 } }, { a: 5 }])
  })
})
