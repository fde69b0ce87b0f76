// Help written for people, through the built bundle: one line per option with its value, required body
// fields marked, usage with the whole command path, the global options on every page, nothing that is not
// for users, lines wrapped between words; and clear one-line errors (with "did you mean") for what the
// parser would report badly.
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@org/dixa-core/Api"
import * as Group from "@org/dixa-core/Group"
import * as Effect from "effect/Effect"
import { dixa, hasScript, onTerminal, type Result } from "./support.js"

const kebab = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()

const noise = [/A user-defined piece of text/, /This setting is optional/, /--wizard/, /--log-level/, /--completions/]

const globalOptions = ["--api-key <text>", "--base-url <text>", "--output <format>", "--columns <text>", "--sandbox"]

/** Checks what every help page must have: usage, global options, no noise, nothing wider than `width`. */
const expectPage = (result: Result, usage: string, width = 80) => {
  expect(result.code, result.stderr).toBe(0)
  expect(result.stdout.split("\n")[0]).toBe(`Usage: ${usage}`)
  for (const pattern of noise) expect(result.stdout).not.toMatch(pattern)
  for (const option of globalOptions) expect(result.stdout).toMatch(new RegExp(`^  ${option}`, "m"))
  for (const line of result.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(width)
}

/** The text of a page with its wrapping undone: what was cut between lines reads whole again. */
const unwrapped = (text: string) => text.replace(/\s+/g, " ")

const wide = { env: { COLUMNS: "80" } }

describe("help", () => {
  it.effect("dixa --help: every group with its whole summary, the global options, and nothing else", () =>
    Effect.gen(function*() {
      const top = yield* dixa(["--help"], wide)
      expect(top.code).toBe(0)
      expect(top.stdout).toMatch(/^Usage: dixa \[global options\] <group> <action>/m)
      expect(top.stdout.split("\n").length).toBeLessThan(70)
      for (const pattern of noise) expect(top.stdout).not.toMatch(pattern)
      for (const line of top.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(80)
      for (const group of Api.groups) {
        expect(top.stdout).toMatch(new RegExp(`^  ${group.name} `, "m"))
        // Wrapped between words, never inside one.
        expect(unwrapped(top.stdout)).toContain(group.summary)
      }
      for (const other of ["sandbox", "completion"]) expect(top.stdout).toMatch(new RegExp(`^  ${other} `, "m"))
      for (const option of globalOptions) expect(top.stdout).toMatch(new RegExp(`^  ${option}`, "m"))
      expect(yield* dixa(["-h"], wide)).toEqual(top)
    }))

  it.effect("every group's help lists its actions with their arguments and the global options", () =>
    Effect.gen(function*() {
      for (const group of Api.groups) {
        const page = yield* dixa([group.name, "--help"], wide)
        expectPage(page, `dixa ${group.name} <action> [arguments] [options]`)
        for (const endpoint of Group.endpoints(group)) {
          const args = Array.from(endpoint.path.matchAll(/\{([^}]+)\}/g), (m) => ` <${m[1]}>`).join("")
          expect(page.stdout).toMatch(new RegExp(`^  ${kebab(endpoint.name)}${args}( |$)`, "m"))
        }
      }
    }))

  it.effect("an action's help: full usage, one line per option with its value, required fields marked", () =>
    Effect.gen(function*() {
      const create = yield* dixa(["agents", "create", "--help"], wide)
      expectPage(create, "dixa agents create [options]")
      expect(create.stdout).toMatch(/^ {2}--display-name <text> +body field displayName \(required\)$/m)
      expect(create.stdout).toMatch(/^ {2}--email <text> +body field email \(required\)$/m)
      expect(create.stdout).toMatch(/^ {2}--phone-number <text> +body field phoneNumber$/m)
      expect(create.stdout).toMatch(/^ {2}--input <file\|-> +JSON body from a file, or - for stdin$/m)
      expect(create.stdout).toMatch(/--yes/)

      const get = yield* dixa(["agents", "get", "--help"], wide)
      expectPage(get, "dixa agents get <agentId> [options]")
      expect(get.stdout).toMatch(/^ {2}<agentId> +path parameter$/m)

      const list = yield* dixa(["agents", "list", "--help"], wide)
      expectPage(list, "dixa agents list [options]")
      expect(list.stdout).toMatch(/^ {2}--page-limit <number> +query parameter pageLimit$/m)
      expect(list.stdout).toMatch(/^ {2}--limit <integer> +Stop after N items/m)

      const channel = yield* dixa(["agents", "set-working-channel", "--help"], wide)
      expect(channel.stdout).toMatch(/^ {2}--no-working +sets working to false$/m)
      // Global options after the action still ask for that action's help.
      expect((yield* dixa(["agents", "list", "--output", "json", "--help"], wide)).stdout).toBe(list.stdout)
    }))

  it.effect("the first and last action of every group have a help page with its full usage", () =>
    Effect.gen(function*() {
      for (const group of Api.groups) {
        const endpoints = Group.endpoints(group)
        for (const endpoint of [endpoints[0]!, endpoints[endpoints.length - 1]!]) {
          const page = yield* dixa([group.name, kebab(endpoint.name), "--help"], wide)
          expect(page.code, `${group.name} ${endpoint.name}: ${page.stderr}`).toBe(0)
          expect(page.stdout.split("\n")[0]).toMatch(new RegExp(`^Usage: dixa ${group.name} ${kebab(endpoint.name)} `))
          expect(page.stdout).toMatch(/^ {2}--output <format>/m)
        }
      }
    }))

  it.effect("sandbox and completion help come out the same way", () =>
    Effect.gen(function*() {
      expectPage(yield* dixa(["sandbox", "--help"], wide), "dixa sandbox <command> [options]")
      const serve = yield* dixa(["sandbox", "serve", "--help"], wide)
      expectPage(serve, "dixa sandbox serve [options]")
      expect(serve.stdout).toMatch(/^ {2}--port <integer> +Port to listen on/m)
      expectPage(yield* dixa(["completion", "--help"], wide), "dixa completion <command> [options]")
    }))

  it.effect.skipIf(!hasScript)("on a terminal, help is wrapped to the terminal's width", () =>
    Effect.gen(function*() {
      const result = (yield* onTerminal(["agents", "--help"], "", {}, 60)).stdout.replace(/\r/g, "")
      expect(result).toMatch(/^Usage: dixa agents <action>/m)
      for (const line of result.trimEnd().split("\n")) expect(line.length, line).toBeLessThanOrEqual(60)
      expect(result.trimEnd().split("\n").some((line) => line.length > 50)).toBe(true)
    }))
})

describe("command-line errors", () => {
  const expectUsage = (result: Result, message: RegExp) => {
    expect(result.code).toBe(2)
    expect(result.stdout).toBe("")
    expect(result.stderr.trimEnd().split("\n"), result.stderr).toHaveLength(1)
    expect(result.stderr.trimEnd()).toMatch(message)
  }

  it.effect("an unknown group, action or flag gets one line with the closest name, exit 2", () =>
    Effect.gen(function*() {
      expectUsage(yield* dixa(["agnets", "list"]), /^dixa: unknown command 'agnets' \(did you mean agents\?\)$/)
      expectUsage(yield* dixa(["agents", "lsit"]), /^dixa: unknown action 'lsit' for agents \(did you mean list\?\)$/)
      expectUsage(
        yield* dixa(["agents", "list", "--emial", "a@b.c"]),
        /^dixa: unknown option '--emial' for agents list \(did you mean --email\?\)$/
      )
      expectUsage(yield* dixa(["agnets", "--help"]), /did you mean agents\?/)
      expectUsage(yield* dixa(["sandbox", "serv"]), /did you mean serve\?/)
      // Nothing close: the choices instead.
      expectUsage(yield* dixa(["zzzzzz"]), /unknown command 'zzzzzz': use one of organization, agents, /)
      const asJson = yield* dixa(["--output", "json", "agnets", "list"])
      expect(JSON.parse(asJson.stderr).error).toEqual({
        _tag: "UsageError",
        message: "unknown command 'agnets' (did you mean agents?)"
      })
    }))

  it.effect("a flag without its value says so, instead of calling it unknown", () =>
    Effect.gen(function*() {
      expectUsage(yield* dixa(["--sandbox", "agents", "list", "--limit"]), /^dixa: --limit needs a value \(integer\)$/)
      expectUsage(
        yield* dixa(["--sandbox", "agents", "list", "--email", "--all"]),
        /^dixa: --email needs a value \(text\)$/
      )
    }))
})
