// Shell completion through the built bundle: the scripts `dixa completion bash|zsh|fish` prints, run in
// the real shells (bash always; zsh and fish when installed), completing groups, actions, flags and values.
import { describe, expect, it } from "@effect/vitest"
import * as Api from "@org/dixa-core/Api"
import * as Effect from "effect/Effect"
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { bundle, dixa, scratch } from "./support.js"

// The scripts call `dixa`: put one on the PATH that runs the bundle under test.
const binDir = path.join(scratch, "bin")
fs.mkdirSync(binDir, { recursive: true })
fs.writeFileSync(path.join(binDir, "dixa"), `#!/bin/sh\nexec '${process.execPath}' '${bundle}' "$@"\n`, { mode: 0o755 })
const env = {
  PATH: `${binDir}:${process.env["PATH"]}`,
  HOME: scratch,
  DIXA_CACHE_DIR: path.join(scratch, "cache")
}

const has = (shell: string) => ["/usr/bin", "/bin", "/usr/local/bin"].some((d) => fs.existsSync(path.join(d, shell)))

const scriptFile = (shell: string): string => {
  const file = path.join(scratch, `completion.${shell}`)
  fs.writeFileSync(file, execFileSync(process.execPath, [bundle, "completion", shell], { env, encoding: "utf8" }))
  return file
}

/** What bash's completion function offers for a command line whose last word is being typed. */
const bashComplete = (file: string, words: ReadonlyArray<string>): Array<string> => {
  const quoted = words.map((w) => `'${w}'`).join(" ")
  const program = `source '${file}'; COMP_WORDS=(dixa ${quoted}); COMP_CWORD=${words.length}; _dixa_complete; ` +
    `printf '%s\\n' "\${COMPREPLY[@]}"`
  return execFileSync("bash", ["-c", program], { env, encoding: "utf8" }).split("\n").filter((l) => l !== "")
}

describe("completion", () => {
  it.effect("bash: groups, actions of a group, an action's flags, flag values", () =>
    Effect.sync(() => {
      const file = scriptFile("bash")
      const groups = bashComplete(file, [""])
      for (const group of Api.groups) expect(groups).toContain(group.name)
      expect(groups).toEqual(expect.arrayContaining(["sandbox", "completion"]))
      expect(bashComplete(file, ["ag"])).toEqual(["agents"])
      // The level the built-in completion stopped at: a group's actions.
      expect(bashComplete(file, ["agents", ""])).toEqual(expect.arrayContaining(["list", "get", "create-many"]))
      expect(bashComplete(file, ["agents", "li"])).toEqual(["list", "list-presence", "list-teams"])
      expect(bashComplete(file, ["agents", "list", "--e"])).toEqual(["--email"])
      expect(bashComplete(file, ["agents", "create", "--dis"])).toEqual(["--display-name"])
      expect(bashComplete(file, ["--output", ""])).toEqual(["auto", "json", "ndjson", "table", "yaml"])
      expect(bashComplete(file, ["--sandbox", "agents", "list", "--output", "nd"])).toEqual(["ndjson"])
      // Bash splits `--output=nd` at the `=`.
      expect(bashComplete(file, ["agents", "list", "--output", "=", "nd"])).toEqual(["ndjson"])
      expect(bashComplete(file, ["agents", "list", "--output", "="])).toHaveLength(5)
      // A flag with a fixed set of values (the query parameter `type` of templates list).
      expect(bashComplete(file, ["templates", "list", "--type", ""])).toEqual(["EmailAutoReply", "QuickResponse"])
      expect(bashComplete(file, ["agents", "list", "--email", ""])).toEqual([])
      expect(bashComplete(file, ["sandbox", ""])).toEqual(expect.arrayContaining(["reset", "serve"]))
      expect(bashComplete(file, ["completion", ""])).toEqual(["bash", "zsh", "fish"])
      // Global options complete after the action too.
      expect(bashComplete(file, ["agents", "list", "--sand"])).toEqual(["--sandbox"])
      expect(bashComplete(file, ["agnets", ""])).toEqual([])
    }))

  it.effect("the built-in --completions flag prints the same scripts", () =>
    Effect.gen(function*() {
      for (const shell of ["bash", "zsh", "fish"]) {
        const ours = yield* dixa(["completion", shell])
        const flag = yield* dixa(["--completions", shell])
        expect(ours.code).toBe(0)
        expect(flag.stdout).toBe(ours.stdout)
      }
      const none = yield* dixa(["completion", "tcsh"])
      expect(none.code).toBe(2)
    }))

  it.effect.skipIf(!has("zsh"))(
    "zsh: the script is valid and completes actions with their summaries",
    () =>
      Effect.sync(() => {
        const file = scriptFile("zsh")
        execFileSync("zsh", ["-n", file], { env })
        // _describe and _files stand in for the completion system: they print what they are given.
        const program = `source '${file}'; _describe() { print -l -- "\${(@P)\${@[-1]}}" }; _files() { print FILES };` +
          ` words=(dixa agents li); CURRENT=3; _dixa`
        const out = execFileSync("zsh", ["-c", program], { env, encoding: "utf8" }).trim().split("\n")
        expect(out.map((l) => l.split(":")[0])).toEqual(["list", "list-presence", "list-teams"])
        expect(out[0]).toMatch(/^list:Page through agents/)
      })
  )

  it.effect.skipIf(!has("fish"))(
    "fish: the script is valid and completes groups, actions and flags",
    () =>
      Effect.sync(() => {
        const file = scriptFile("fish")
        execFileSync("fish", ["-n", file], { env })
        const complete = (line: string) =>
          execFileSync("fish", ["-c", `source '${file}'; complete -C '${line}'`], { env, encoding: "utf8" })
            .trim().split("\n").map((l) => l.split("\t")[0])
        expect(complete("dixa ag")).toEqual(["agents"])
        expect(complete("dixa agents li")).toEqual(["list", "list-presence", "list-teams"])
        expect(complete("dixa agents list --pa")).toEqual(["--page-key", "--page-limit"])
        expect(complete("dixa agents list --output=nd")).toEqual(["--output=ndjson"])
      })
  )
})
