// The built `dixa` bundle against a sandbox started here, over real HTTP: every operation of the
// first slice, the output formats, pagination, exit codes and errors, and the embedded --sandbox.
import { describe, expect, it, layer } from "@effect/vitest"
import * as Api from "@org/dixa-core/Api"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as net from "node:net"
import * as path from "node:path"
import {
  against,
  apiKey,
  dixa,
  hasScript,
  json,
  onTerminal,
  sandboxState,
  scratch,
  scratchFile,
  serve,
  transcript
} from "./support.js"

const stateFile = path.join(scratch, "server-state.db")

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const setup = Effect.gen(function*() {
  const sandbox = yield* Sandbox.Sandbox
  return { sandbox, run: against(sandbox.url) }
})

layer(Sandbox.layer({ apiKey, rateLimit: false, stateFile, anonymizationDelay: 0 }), { excludeTestServices: true })(
  "dixa against a sandbox",
  (it) => {
    it.effect("--help lists every group, and a group's help lists its actions", () =>
      Effect.gen(function*() {
        const top = yield* dixa(["--help"])
        expect(top.code).toBe(0)
        for (const group of Api.groups) expect(top.stdout).toMatch(new RegExp(`^  ${group.name} `, "m"))
        expect(top.stdout).toMatch(/^ {2}sandbox /m)
        const agents = yield* dixa(["agents", "--help"])
        expect(agents.code).toBe(0)
        for (const action of ["list", "get <agentId>", "create-many", "update-many", "patch-many", "list-presence"]) {
          expect(agents.stdout).toMatch(new RegExp(`^  ${action}( |$)`, "m"))
        }
        const create = yield* dixa(["agents", "create", "--help"])
        expect(create.stdout).toContain("--display-name")
        expect(create.stdout).toContain("--input")
      }))

    it.effect("organization get, in every output format", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const org = json(yield* run(["--output", "json", "organization", "get"]))
        expect(org.id).toMatch(uuid)
        expect(typeof org.name).toBe("string")
        const nd = yield* run(["--output", "ndjson", "organization", "get"])
        expect(nd.stdout.trim().split("\n")).toHaveLength(1)
        expect(JSON.parse(nd.stdout)).toEqual(org)
        const yaml = yield* run(["--output", "yaml", "organization", "get"])
        expect(yaml.stdout).toContain(`id: "${org.id}"`)
        const table = yield* run(["--output", "table", "organization", "get"])
        expect(table.stdout).toMatch(new RegExp(`^id\\s+${org.id}$`, "m"))
        // Off a terminal the default is JSON.
        expect(json(yield* run(["organization", "get"]))).toEqual(org)
      }))

    it.effect("agents: list in every format, get, presence and teams", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const agents = json(yield* run(["agents", "list"]))
        expect(agents.length).toBeGreaterThan(3)
        expect(agents[0].id).toMatch(uuid)
        expect(typeof agents[0].createdAt).toBe("string")

        const nd = yield* run(["--output", "ndjson", "agents", "list"])
        expect(nd.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(agents)
        const yaml = yield* run(["--output", "yaml", "agents", "list"])
        expect(yaml.stdout.match(/^- id: /gm)).toHaveLength(agents.length)
        const table = yield* run(["--output", "table", "agents", "list"])
        const lines = table.stdout.trimEnd().split("\n")
        expect(lines[0]).toMatch(/^displayName\s+email\s/)
        expect(lines).toHaveLength(agents.length + 1)

        const one = json(yield* run(["agents", "get", agents[1].id]))
        expect(one).toEqual(agents[1])
        const byEmail = json(yield* run(["agents", "list", "--email", agents[1].email]))
        expect(byEmail.map((a: any) => a.id)).toEqual([agents[1].id])

        const presence = json(yield* run(["agents", "list-presence"]))
        expect(presence.length).toBe(agents.length)
        const mine = json(yield* run(["agents", "get-presence", agents[1].id]))
        expect(mine.userId).toBe(agents[1].id)
        const teams = json(yield* run(["agents", "list-teams", agents[1].id]))
        expect(Array.isArray(teams)).toBe(true)

        const set = yield* run([
          "--yes",
          "agents",
          "set-working-channel",
          agents[1].id,
          "--channel",
          "Email",
          "--working"
        ])
        expect(set.code).toBe(0)
        expect(set.stdout).toBe("")
        const after = json(yield* run(["agents", "get-presence", agents[1].id]))
        expect(after.activeChannels).toContain("Email")
      }))

    it.effect("agents: create, update, patch, delete", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const created = json(
          yield* run(["--yes", "agents", "create", "--display-name", "Ann Smith", "--email", "ann@cli.example"])
        )
        expect(created.id).toMatch(uuid)
        expect(created.displayName).toBe("Ann Smith")

        const updated = json(
          yield* run(["--yes", "agents", "update", created.id, "--display-name", "Ann Jones", "--first-name", "Ann"])
        )
        expect(updated.displayName).toBe("Ann Jones")
        const patched = json(yield* run(["--yes", "agents", "patch", created.id, "--last-name", "Jones"]))
        expect(patched.lastName).toBe("Jones")
        expect(patched.displayName).toBe("Ann Jones")

        const deleted = yield* run(["--yes", "agents", "delete", created.id])
        expect(deleted.code).toBe(0)
        const gone = yield* run(["agents", "get", created.id])
        expect(gone.code).toBe(3)
      }))

    it.effect("agents: create-many, update-many and patch-many from --input (file and stdin)", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const file = scratchFile(
          "many.json",
          JSON.stringify({
            data: [{ displayName: "Bulk One", email: "bulk1@cli.example" }, {
              displayName: "Bulk Two",
              email: "bulk2@cli.example"
            }]
          })
        )
        const many = json(yield* run(["--yes", "agents", "create-many", "--input", file]))
        expect(many).toHaveLength(2)
        const ids = many.map((outcome: any) => outcome.data.id)
        for (const id of ids) expect(id).toMatch(uuid)

        const updates = ids.map((id: string, i: number) => ({ id, displayName: `Bulk ${i} updated` }))
        const updated = json(
          yield* run(["--yes", "agents", "update-many", "--input", "-"], { stdin: JSON.stringify(updates) })
        )
        expect(updated.map((o: any) => o.data.displayName)).toEqual(["Bulk 0 updated", "Bulk 1 updated"])

        const patches = [{ id: ids[0], firstName: "Patched" }]
        const patched = json(
          yield* run(["--yes", "agents", "patch-many", "--input", "-"], { stdin: JSON.stringify(patches) })
        )
        expect(patched[0].data.firstName).toBe("Patched")
        expect(json(yield* run(["agents", "get", ids[0]])).firstName).toBe("Patched")
      }))

    it.effect("global options may also come after the action", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const agents = json(yield* run(["agents", "list"]))
        const nd = yield* run(["agents", "list", "--limit", "2", "--output", "ndjson"])
        expect(nd.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(agents.slice(0, 2))
        const eq = yield* run(["agents", "list", "--output=yaml", "--limit", "1"])
        expect(eq.stdout).toMatch(/^- id: /)
      }))

    it.effect("flags are merged over --input", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const created = json(
          yield* run(["--yes", "agents", "create", "--input", "-", "--display-name", "From Flag"], {
            stdin: JSON.stringify({ displayName: "From Input", email: "merge@cli.example" })
          })
        )
        expect(created.displayName).toBe("From Flag")
        expect(created.email).toBe("merge@cli.example")
      }))

    it.effect("tags: list, create, get, deactivate, activate, delete", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const before = json(yield* run(["tags", "list"]))
        const tag = json(yield* run(["--yes", "tags", "create", "--name", "cli-tag", "--color", "#123456"]))
        expect(tag.name).toBe("cli-tag")
        expect(json(yield* run(["tags", "get", tag.id])).id).toBe(tag.id)
        expect(json(yield* run(["tags", "list"]))).toHaveLength(before.length + 1)

        expect((yield* run(["--yes", "tags", "deactivate", tag.id])).code).toBe(0)
        expect(json(yield* run(["tags", "get", tag.id])).state).not.toBe("Active")
        expect((yield* run(["--yes", "tags", "activate", tag.id])).code).toBe(0)
        expect(json(yield* run(["tags", "get", tag.id])).state).toBe("Active")

        expect((yield* run(["tags", "delete", tag.id, "--yes"])).code).toBe(0)
        expect((yield* run(["tags", "get", tag.id])).code).toBe(3)
      }))

    it.effect("conversations: get, close, anonymize, anonymize-message; anonymization get-request", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        // The seeded state, as the sandbox holds it (ids are minted from the seed).
        const conversations = (yield* sandboxState(sandbox.url)).conversations as Array<any>
        const open = conversations.find((c) => c.data.state === "Open")
        const other = conversations.find((c) => c !== open && c.messages.length > 0)
        const id = String(open.data.id)

        const got = json(yield* run(["conversations", "get", id]))
        expect(got.id).toBe(open.data.id)
        expect(got._type).toBe(open.data._type)

        const agents = json(yield* run(["agents", "list"]))
        const closed = yield* run(["--yes", "conversations", "close", id, "--user-id", agents[1].id])
        expect(closed.code).toBe(0)
        expect(json(yield* run(["conversations", "get", id])).state).toBe("Closed")

        const request = json(yield* run(["--yes", "conversations", "anonymize", id]))
        expect(request.id).toMatch(uuid)
        const status = json(yield* run(["anonymization", "get-request", request.id]))
        expect(status.id).toBe(request.id)

        const forced = json(yield* run(["--yes", "conversations", "anonymize", String(other.data.id), "--force"]))
        expect(forced.id).toMatch(uuid)

        const message = json(
          yield* run(["--yes", "conversations", "anonymize-message", String(other.data.id), other.messages[0].id])
        )
        expect(message.id).toMatch(uuid)
        expect(json(yield* run(["anonymization", "get-request", message.id])).id).toBe(message.id)
      }))

    it.effect("--page-limit and --page-key fetch one page; the next key goes to stderr", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const all = json(yield* run(["agents", "list"]))
        const first = yield* run(["agents", "list", "--page-limit", "2"])
        expect(json(first)).toEqual(all.slice(0, 2))
        const key = /^next page key: (\S+)$/m.exec(first.stderr)?.[1]
        expect(key).toBeDefined()
        const second = yield* run(["agents", "list", "--page-limit", "2", "--page-key", key!])
        expect(json(second)).toEqual(all.slice(2, 4))
      }))

    it.effect("--limit stops after N items across pages; --all prints every page", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        const all = json(yield* run(["agents", "list"]))
        const before = (yield* sandbox.stats).byOperation["agents.list"] ?? 0
        const limited = json(yield* run(["agents", "list", "--limit", "3", "--page-limit", "2"]))
        expect(limited).toEqual(all.slice(0, 3))
        // Three items at two a page: two pages, not every page.
        expect((yield* sandbox.stats).byOperation["agents.list"]).toBe(before + 2)

        const every = yield* run(["agents", "list", "--all", "--page-limit", "2"])
        // Written item by item, yet the same text as the whole array printed at once.
        expect(every.stdout).toBe(JSON.stringify(all, null, 2) + "\n")
        const nd = yield* run(["--output", "ndjson", "agents", "list", "--all", "--page-limit", "3"])
        expect(nd.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(all)
        const yaml = yield* run(["--output", "yaml", "agents", "list", "--all", "--page-limit", "3"])
        expect(yaml.stdout.match(/^- id: /gm)).toHaveLength(all.length)
      }))

    it.effect("exit codes: 404 is 3, with one line on stderr", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const result = yield* run(["agents", "get", "00000000-0000-4000-8000-000000000000"])
        expect(result.code).toBe(3)
        expect(result.stdout).toBe("")
        expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
        expect(result.stderr).toMatch(/^dixa: .*404/)

        const asJson = yield* run(["--output", "json", "agents", "get", "00000000-0000-4000-8000-000000000000"])
        expect(asJson.code).toBe(3)
        const error = JSON.parse(asJson.stderr).error
        expect(error).toMatchObject({ _tag: "NotFound", status: 404, operation: "agents.get" })
        expect(typeof error.message).toBe("string")
      }))

    it.effect("invalid input is 2 and sends nothing", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        const before = (yield* sandbox.stats).requests
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, string | undefined, RegExp]> = [
          [["agents", "get", "not-a-uuid"], undefined, /agentId/],
          [["conversations", "get", "abc"], undefined, /conversationId/],
          [["agents", "create", "--display-name", "No Email"], undefined, /email/],
          [["agents", "create", "--input", "-"], "{not json", /not valid JSON/],
          [["agents", "list", "--page-limit", "many"], undefined, /pageLimit/],
          [["agents", "get"], undefined, /agentId/],
          [["agents", "frobnicate"], undefined, /./],
          [["tags", "delete", "6fdac773-3b6d-4b3e-9014-703b60a49aaa"], undefined, /--yes/]
        ]
        for (const [args, stdin, message] of cases) {
          const result = yield* run(args, stdin === undefined ? {} : { stdin })
          expect(result.code, args.join(" ")).toBe(2)
          expect(result.stdout).toBe("")
          expect(result.stderr.trimEnd().split("\n"), result.stderr).toHaveLength(1)
          expect(result.stderr).toMatch(message)
        }
        const asJson = yield* run(["--output", "json", "agents", "get", "not-a-uuid"])
        expect(JSON.parse(asJson.stderr).error).toMatchObject({ _tag: "InvalidInput", operation: "agents.get" })
        expect((yield* sandbox.stats).requests).toBe(before)
      }))

    it.effect("a refused key is 3, a missing key is 2, an unreachable server is 4; the key is never printed", () =>
      Effect.gen(function*() {
        const { sandbox } = yield* setup
        const wrong = yield* dixa(["--base-url", sandbox.url, "--api-key", "wrong-key", "organization", "get"])
        expect(wrong.code).toBe(3)
        expect(wrong.stderr).not.toContain("wrong-key")
        const missing = yield* dixa(["--base-url", sandbox.url, "organization", "get"])
        expect(missing.code).toBe(2)
        expect(missing.stderr).toMatch(/API key/)
        const closedPort = yield* Effect.promise(() =>
          new Promise<number>((resolve) => {
            const server = net.createServer().listen(0, "127.0.0.1", () => {
              const port = (server.address() as net.AddressInfo).port
              server.close(() => resolve(port))
            })
          })
        )
        const down = yield* dixa(["--base-url", `http://127.0.0.1:${closedPort}`, "organization", "get"], {
          env: { DIXA_API_KEY: apiKey }
        })
        expect(down.code).toBe(4)
        expect(down.stderr.trimEnd().split("\n")).toHaveLength(1)
      }))

    it.effect("an empty key or a malformed base URL is 2 at once, and nothing is sent", () =>
      Effect.gen(function*() {
        const { sandbox } = yield* setup
        const before = (yield* sandbox.stats).requests
        const cases: ReadonlyArray<readonly [ReadonlyArray<string>, Record<string, string>, RegExp]> = [
          [["--base-url", sandbox.url, "organization", "get"], { DIXA_API_KEY: "" }, /API key is empty/],
          [["--base-url", sandbox.url, "--api-key", "", "organization", "get"], {}, /API key is empty/],
          [["--base-url", sandbox.url, "--api-key", "  ", "agents", "list"], {}, /API key is empty/],
          [["--base-url", "not-a-url", "organization", "get"], { DIXA_API_KEY: apiKey }, /not-a-url.*not an http/],
          [["organization", "get"], { DIXA_API_KEY: apiKey, DIXA_BASE_URL: "ftp://x" }, /ftp:\/\/x/]
        ]
        for (const [args, env, message] of cases) {
          const result = yield* dixa(args, { env })
          // Exit 2, a usage error, not 4: refused before anything was tried, so no retries either.
          expect(result.code, args.join(" ")).toBe(2)
          expect(result.stderr.trimEnd().split("\n"), result.stderr).toHaveLength(1)
          expect(result.stderr).toMatch(message)
        }
        expect((yield* sandbox.stats).requests).toBe(before)
      }))

    it.effect("a bulk answer with failed items prints them on stderr and exits 5", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const data = [
          { displayName: "Twin One", email: "twin@cli.example" },
          { displayName: "Twin Two", email: "twin@cli.example" }
        ]
        const result = yield* run(["--yes", "agents", "create-many", "--input", "-"], {
          stdin: JSON.stringify({ data })
        })
        expect(result.code).toBe(5)
        const answer = json(result)
        expect(answer.map((o: any) => o._type)).toEqual(["BulkActionSuccess", "BulkActionFailure"])
        const lines = result.stderr.trimEnd().split("\n")
        expect(lines).toHaveLength(2)
        expect(lines[0]).toMatch(/^dixa: item 2 failed: Validation: .*twin@cli\.example/)
        expect(lines[1]).toMatch(/^dixa: 1 of 2 items failed/)

        const asJson = yield* run(["--yes", "--output", "json", "agents", "create-many", "--input", "-"], {
          stdin: JSON.stringify({ data: [data[0]] })
        })
        expect(asJson.code).toBe(5)
        const error = JSON.parse(asJson.stderr).error
        expect(error).toMatchObject({ _tag: "PartialFailure", failures: [{ index: 0 }] })
        expect(error.failures[0].error._type).toBe("Validation")
      }))

    it.effect.skipIf(!hasScript)("--input - reads a terminal until Ctrl-D", () =>
      Effect.gen(function*() {
        const { sandbox } = yield* setup
        const env = { DIXA_API_KEY: apiKey, DIXA_BASE_URL: sandbox.url }
        const body = JSON.stringify({ displayName: "Typed In", email: "typed@cli.example" })
        const result = yield* onTerminal(
          ["--output", "json", "--yes", "agents", "create", "--input", "-"],
          `${body}\n\u0004`,
          env
        )
        expect(result.stdout).not.toContain("EAGAIN")
        expect(result.code, result.stdout).toBe(0)
        expect(result.stdout).toContain("Ctrl-D")
        const found = json(yield* against(sandbox.url)(["agents", "list", "--email", "typed@cli.example"]))
        expect(found.map((a: any) => a.displayName)).toEqual(["Typed In"])
      }))

    it.effect.skipIf(!hasScript)(
      "on a terminal, a write asks first (no sends nothing, yes sends); a delete needs --yes even there",
      () =>
        Effect.gen(function*() {
          const { sandbox } = yield* setup
          const env = { DIXA_API_KEY: apiKey, DIXA_BASE_URL: sandbox.url }
          const before = (yield* sandbox.stats).requests
          const no = yield* onTerminal(["tags", "create", "--name", "asked-no"], "n", env)
          expect(no.stdout).toContain(`[write] tags.create name="asked-no"`)
          expect(no.stdout).toContain("Send it?")
          expect(no.stdout).toContain("cancelled, nothing was sent")
          expect(no.code).toBe(2)
          expect((yield* sandbox.stats).requests).toBe(before)

          const yes = yield* onTerminal(["--output", "json", "tags", "create", "--name", "asked-yes"], "y", env)
          expect(yes.code, yes.stdout).toBe(0)
          const tag = JSON.parse(yes.stdout.slice(yes.stdout.indexOf("{")))
          expect(tag.name).toBe("asked-yes")
          expect((yield* sandbox.stats).requests).toBe(before + 1)

          const refused = yield* onTerminal(["tags", "delete", tag.id], "y", env)
          expect(refused.code).toBe(2)
          expect(refused.stdout).toContain(`[danger] tags.delete tagId=${tag.id}: destructive, so it needs --yes`)
          expect((yield* sandbox.stats).requests).toBe(before + 1)
          const deleted = yield* onTerminal(["tags", "delete", tag.id, "--yes"], "", env)
          expect(deleted.code, deleted.stdout).toBe(0)
          expect((yield* against(sandbox.url)(["tags", "get", tag.id])).code).toBe(3)
        })
    )

    it.effect.skipIf(!hasScript)(
      "on a terminal, the question names the item an id stands for",
      () =>
        Effect.gen(function*() {
          const { sandbox } = yield* setup
          const env = { DIXA_API_KEY: apiKey, DIXA_BASE_URL: sandbox.url }
          const made = yield* against(sandbox.url)([
            "--output",
            "json",
            "tags",
            "create",
            "--name",
            "named-in-question",
            "--yes"
          ])
          const tag = JSON.parse(made.stdout)
          const asked = yield* onTerminal(["tags", "deactivate", tag.id], "n", env)
          expect(asked.stdout).toContain(`[write] tags.deactivate tagId=${tag.id} (named-in-question)`)
          expect(asked.stdout).toContain("cancelled, nothing was sent")
          // An id nothing answers for is shown bare, and the question is still asked.
          const unknown = yield* onTerminal(["tags", "deactivate", "00000000-0000-4000-8000-000000000000"], "n", env)
          expect(unknown.stdout).toContain("[write] tags.deactivate tagId=00000000-0000-4000-8000-000000000000\r")
          expect(unknown.stdout).toContain("Send it?")
        })
    )

    it.effect("off a terminal a write needs --yes; nothing is sent without it", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        const before = (yield* sandbox.stats).requests
        const refused = yield* run(["agents", "create", "--display-name", "Not Yet", "--email", "notyet@cli.example"])
        expect(refused.code).toBe(2)
        expect(refused.stdout).toBe("")
        expect(refused.stderr.trimEnd().split("\n")).toHaveLength(1)
        expect(refused.stderr).toMatch(/^dixa: \[write\] agents\.create displayName="Not Yet" .*--yes/)
        const fromStdin = yield* run(["tags", "create", "--input", "-"], { stdin: JSON.stringify({ name: "x" }) })
        expect(fromStdin.code).toBe(2)
        expect(fromStdin.stderr).toMatch(/--yes/)
        // Queries sent as POST only read: no --yes needed.
        expect((yield* run(["search", "conversations", "--help"])).code).toBe(0)
        expect((yield* sandbox.stats).requests).toBe(before)
        const sent = yield* run(["agents", "create", "--display-name", "Now", "--email", "now@cli.example", "--yes"])
        expect(sent.code, sent.stderr).toBe(0)
        expect((yield* sandbox.stats).requests).toBe(before + 1)
      }))

    it.effect("--dry-run prints the exact request with the key masked, and sends nothing", () =>
      Effect.gen(function*() {
        const { run, sandbox } = yield* setup
        const before = (yield* sandbox.stats).requests
        const create = yield* run([
          "--dry-run",
          "agents",
          "create",
          "--display-name",
          "Dry",
          "--email",
          "dry@cli.example"
        ])
        expect(create.code, create.stderr).toBe(0)
        expect(create.stdout).toBe(
          `POST ${sandbox.url}/beta/agents\nauthorization: ********\naccept: application/json\n` +
            `content-type: application/json\n\n${
              JSON.stringify({ displayName: "Dry", email: "dry@cli.example" }, null, 2)
            }\n`
        )
        const list = yield* run(["agents", "list", "--page-limit", "2", "--email", "a+b@cli.example", "--dry-run"])
        expect(list.stdout.split("\n")[0]).toBe(`GET ${sandbox.url}/beta/agents?email=a%2Bb%40cli.example&pageLimit=2`)
        const remove = yield* run(["--dry-run", "tags", "delete", "6fdac773-3b6d-4b3e-9014-703b60a49aaa"])
        expect(remove.code).toBe(0)
        expect(remove.stdout).toMatch(/^DELETE .*\/beta\/tags\/6fdac773-3b6d-4b3e-9014-703b60a49aaa\n/)
        expect((yield* sandbox.stats).requests).toBe(before)
        expect(create.stdout + list.stdout + remove.stdout).not.toContain(apiKey)
      }))

    it.effect("lists that are not paginated print one item per line in ndjson and a row per item in a table", () =>
      Effect.gen(function*() {
        const { run } = yield* setup
        const tags = json(yield* run(["tags", "list"]))
        const nd = yield* run(["--output", "ndjson", "tags", "list"])
        expect(nd.stdout.trim().split("\n").map((l) => JSON.parse(l))).toEqual(tags)
        const table = yield* run(["--output", "table", "tags", "list"])
        expect(table.stdout.trimEnd().split("\n")).toHaveLength(tags.length + 1)
      }))

    it.effect("the API key appears in no output of this suite", () =>
      Effect.sync(() => {
        expect(transcript.length).toBeGreaterThan(20)
        for (const text of transcript) expect(text).not.toContain(apiKey)
      }))
  }
)

describe("dixa sandbox serve", () => {
  it.scoped("serves a seeded sandbox and prints its URL", () =>
    Effect.gen(function*() {
      const { url } = yield* serve(["--port", "0", "--agents", "3", "--seed", "7", "--no-rate-limit"])
      const result = yield* dixa(["--base-url", url, "--output", "ndjson", "agents", "list", "--all"], {
        env: { DIXA_API_KEY: "anything" }
      })
      expect(result.code, result.stderr).toBe(0)
      const names = result.stdout.trim().split("\n").map((l) => JSON.parse(l).displayName)
      expect(names.length).toBeGreaterThanOrEqual(3)
    }))
})

describe("dixa --sandbox", () => {
  it.effect("keeps its state between invocations until `sandbox reset`", () =>
    Effect.gen(function*() {
      const env = { DIXA_SANDBOX_STATE: path.join(scratch, "embedded", "state.db"), DIXA_API_KEY: undefined }
      const first = yield* dixa(["--yes", "--sandbox", "tags", "create", "--name", "persisted"], { env })
      expect(first.code, first.stderr).toBe(0)
      const tag = json(first)
      expect(fs.existsSync(env.DIXA_SANDBOX_STATE)).toBe(true)

      const second = json(yield* dixa(["--sandbox", "tags", "get", tag.id], { env }))
      expect(second.name).toBe("persisted")

      const reset = yield* dixa(["sandbox", "reset"], { env })
      expect(reset.code).toBe(0)
      const after = yield* dixa(["--sandbox", "tags", "get", tag.id], { env })
      expect(after.code).toBe(3)
    }))
})
