// Profiles and `dixa auth`, through the built bundle with a fresh XDG_CONFIG_HOME per test and no DIXA_*
// settings in the environment: login then use a profile against a sandbox that accepts only the test key,
// the precedence flag > env > profile > default, the masked `auth show`, the 0600 credentials file, logout.
import { expect, layer } from "@effect/vitest"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import { apiKey, bundle, dixa, hasScript, json, scratch, transcript } from "./support.js"

let homes = 0

/**
 * A fresh configuration directory and a `dixa` that uses it, keys in the file (`DIXA_KEYRING=file`). With
 * `detect`, the CLI looks for a keyring itself: with no session bus in the environment (the children get none),
 * it finds none on Linux and falls back to the file at once.
 */
const freshHome = (detect = false) => {
  const config = fs.mkdtempSync(path.join(scratch, `config-${++homes}-`))
  const run = (args: ReadonlyArray<string>, options: { env?: Record<string, string>; stdin?: string } = {}) =>
    dixa(args, {
      ...options,
      env: { XDG_CONFIG_HOME: config, ...(detect ? {} : { DIXA_KEYRING: "file" }), ...options.env }
    })
  return { config, dir: path.join(config, "dixa"), run }
}

/** `dixa auth login --profile t` on a pseudo-terminal (util-linux `script`), typing the key once it is asked for. */
const loginOnTerminal = (env: Record<string, string>) =>
  Effect.async<{ readonly code: number | null; readonly output: string }>((resume) => {
    const command = `'${process.execPath}' '${bundle}' auth login --profile t`
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env: { PATH: process.env["PATH"], HOME: scratch, DIXA_CACHE_DIR: path.join(scratch, "cache"), ...env },
      stdio: "pipe"
    })
    let output = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      const asked = !output.includes("Dixa API key") && (output + chunk).includes("Dixa API key")
      output += chunk
      if (asked) child.stdin.end(`${apiKey}\r`)
    })
    child.on("close", (code) => {
      transcript.push(output)
      resume(Effect.succeed({ code, output }))
    })
    return Effect.sync(() => child.kill())
  })

/** A stand-in for libsecret's `secret-tool` (lookup, store, clear), keeping each secret in a file of `$SECRETS`. */
const fakeSecretTool = `#!/bin/sh
command="$1"; shift
[ "$1" = "--label" ] && shift 2
name="$SECRETS/$(echo "$@" | tr ' /' '__')"
case "$command" in
  lookup) [ -f "$name" ] && exec cat "$name"; exit 1 ;;
  store) exec cat > "$name" ;;
  clear) rm -f "$name" ;;
  *) exit 2 ;;
esac
`

/** An environment where \`secret-tool\` is \`script\` and a session bus is announced. */
const keyringEnv = (secrets: string, script: string) => {
  const bin = fs.mkdtempSync(path.join(scratch, "bin-"))
  fs.writeFileSync(path.join(bin, "secret-tool"), script, { mode: 0o755 })
  return {
    PATH: `${bin}${path.delimiter}${process.env["PATH"]}`,
    DBUS_SESSION_BUS_ADDRESS: "unix:path=/nonexistent",
    SECRETS: secrets
  }
}

const settingsOf = (result: { stdout: string }) =>
  Object.fromEntries(
    (JSON.parse(result.stdout) as { settings: Array<{ setting: string; value: string; source: string }> }).settings
      .map((s) => [s.setting, s])
  )

layer(Sandbox.layer({ apiKey, rateLimit: false, anonymizationDelay: 0 }), { excludeTestServices: true })(
  "dixa auth and profiles",
  (it) => {
    it.effect("login with the key on stdin, then --profile p agents list works with no environment", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { dir, run } = freshHome(process.platform === "linux")
        const login = yield* run(["auth", "login", "--profile", "p", "--base-url", url], { stdin: `${apiKey}\n` })
        expect(login.code, login.stderr).toBe(0)
        const listed = yield* run(["--profile", "p", "agents", "list", "--output", "json"])
        expect(listed.code, listed.stderr).toBe(0)
        expect(json(listed).length).toBeGreaterThan(0)
        // The first profile saved is the default one: no --profile needed.
        expect((yield* run(["agents", "list", "--limit", "1"])).code).toBe(0)
        const credentials = path.join(dir, "credentials.toml")
        expect(fs.statSync(credentials).mode & 0o777).toBe(0o600)
        expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
        expect(fs.readFileSync(path.join(dir, "config.toml"), "utf8")).not.toContain(apiKey)
        expect(fs.readFileSync(path.join(dir, "config.toml"), "utf8")).toContain(url)
      }))

    it.effect("a wrong key stored in a profile is what gets sent (the sandbox refuses it)", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { run } = freshHome()
        expect((yield* run(["auth", "login", "--profile", "w", "--api-key", "not-the-key", "--base-url", url])).code)
          .toBe(0)
        const refused = yield* run(["--profile", "w", "agents", "list"])
        expect(refused.code).toBe(3)
      }))

    it.effect("auth show names every setting's source, masks the key, and says which store holds it", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { dir, run } = freshHome()
        yield* run(["auth", "login", "--profile", "p", "--api-key", apiKey, "--base-url", url, "--output", "ndjson"])
        const text = yield* run(["auth", "show"])
        expect(text.code, text.stderr).toBe(0)
        expect(text.stdout).not.toContain(apiKey)
        expect(text.stdout).toMatch(/api_key\s+\*\*\*\*/)
        const shown = settingsOf(yield* run(["auth", "show", "--output", "json"]))
        expect(shown["profile"]).toMatchObject({ value: "p", source: "config default" })
        expect(shown["api_key"]!.value).not.toContain(apiKey.slice(0, 8))
        expect(shown["api_key"]!.source).toBe(`profile p (file ${path.join(dir, "credentials.toml")})`)
        expect(shown["base_url"]).toMatchObject({ value: url, source: "profile p" })
        // `--output json` for show is a flag too; without it, the profile's output shows.
        expect(shown["output"]).toMatchObject({ value: "json", source: "flag" })
        expect(text.stdout).toMatch(/^output\s+ndjson\s+profile p$/m)
        expect(shown["sandbox"]).toMatchObject({ value: "false", source: "default" })
      }))

    it.effect("precedence: flag > env > profile > default", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { run } = freshHome()
        yield* run(["auth", "login", "--profile", "p", "--api-key", apiKey, "--base-url", "http://127.0.0.1:9"])
        const show = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
          Effect.map(run(["auth", "show", "--output", "json", ...args], { env }), settingsOf)
        expect((yield* show([]))["base_url"]).toMatchObject({ source: "profile p" })
        expect((yield* show([], { DIXA_BASE_URL: url }))["base_url"]).toMatchObject({ source: "env DIXA_BASE_URL" })
        expect((yield* show(["--base-url", url], { DIXA_BASE_URL: "http://127.0.0.1:8" }))["base_url"])
          .toMatchObject({ value: url, source: "flag" })
        expect((yield* show([], { DIXA_API_KEY: "other" }))["api_key"]).toMatchObject({ source: "env DIXA_API_KEY" })
        expect((yield* show(["--profile", "sandbox"]))["sandbox"]).toMatchObject({
          value: "true",
          source: "profile sandbox"
        })
        // The profile's URL is wrong; the flag's and the environment's are right, and they win.
        expect((yield* run(["agents", "list", "--base-url", url])).code).toBe(0)
        expect((yield* run(["agents", "list"], { env: { DIXA_BASE_URL: url } })).code).toBe(0)
        // An empty DIXA_API_KEY beats the profile's key, and says so.
        const empty = yield* run(["agents", "list"], { env: { DIXA_API_KEY: "", DIXA_BASE_URL: url } })
        expect(empty.code).toBe(2)
        expect(empty.stderr).toMatch(/API key is empty \(env DIXA_API_KEY\)/)
        const output = yield* run(["agents", "list"], { env: { DIXA_OUTPUT: "bogus", DIXA_BASE_URL: url } })
        expect(output.code).toBe(2)
        expect(output.stderr).toMatch(/the output 'bogus' \(env DIXA_OUTPUT\)/)
      }))

    it.effect("DIXA_PROFILE and --set-default choose the profile; an unknown one is exit 2", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { run } = freshHome()
        yield* run(["auth", "login", "--profile", "a", "--api-key", "k", "--base-url", "http://127.0.0.1:9"])
        yield* run(["auth", "login", "--profile", "b", "--api-key", apiKey, "--base-url", url])
        expect(settingsOf(yield* run(["auth", "show", "--output", "json"]))["profile"]!.value).toBe("a")
        expect(settingsOf(yield* run(["auth", "show", "--output", "json"], { env: { DIXA_PROFILE: "b" } }))["profile"])
          .toMatchObject({ value: "b", source: "env DIXA_PROFILE" })
        expect((yield* run(["auth", "login", "--profile", "b", "--api-key", apiKey, "--set-default"])).code).toBe(0)
        expect((yield* run(["agents", "list"])).code).toBe(0)
        const unknown = yield* run(["--profile", "nope", "agents", "list"])
        expect(unknown.code).toBe(2)
        expect(unknown.stderr).toMatch(/no profile 'nope'/)
      }))

    it.effect("a sandbox profile runs against the embedded sandbox, with no key", () =>
      Effect.gen(function*() {
        const { run } = freshHome()
        const state = { DIXA_SANDBOX_STATE: path.join(scratch, `auth-sandbox-${homes}.db`) }
        expect((yield* run(["auth", "login", "--profile", "sb", "--sandbox"], { env: state })).code).toBe(0)
        const created = yield* run(["--profile", "sb", "tags", "create", "--name", "from-profile", "--yes"], {
          env: state
        })
        expect(created.code, created.stderr).toBe(0)
        const listed = yield* run(["--profile", "sb", "tags", "list", "--output", "json"], { env: state })
        expect(json(listed).map((t: { name: string }) => t.name)).toContain("from-profile")
      }))

    it.effect("logout removes the key; the profile then has none", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { dir, run } = freshHome()
        yield* run(["auth", "login", "--profile", "p", "--api-key", apiKey, "--base-url", url])
        const out = yield* run(["auth", "logout", "--profile", "p"])
        expect(out.code).toBe(0)
        expect(out.stderr).toContain(path.join(dir, "credentials.toml"))
        expect(fs.readFileSync(path.join(dir, "credentials.toml"), "utf8")).not.toContain(apiKey)
        const after = yield* run(["--profile", "p", "agents", "list"])
        expect(after.code).toBe(2)
        expect(after.stderr).toMatch(/no API key/)
      }))

    it.effect("a credentials file others can read is refused; a malformed config is one line, exit 2", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { dir, run } = freshHome()
        yield* run(["auth", "login", "--profile", "p", "--api-key", apiKey, "--base-url", url])
        fs.chmodSync(path.join(dir, "credentials.toml"), 0o644)
        const open = yield* run(["agents", "list"])
        expect(open.code).toBe(2)
        expect(open.stderr).toMatch(/can be read by others.*chmod 600/)
        fs.writeFileSync(path.join(dir, "config.toml"), "default = [unclosed\n")
        const bad = yield* run(["agents", "list"])
        expect(bad.code).toBe(2)
        expect(bad.stderr.trim().split("\n")).toHaveLength(1)
        expect(bad.stderr).toMatch(/config\.toml is not valid TOML/)
      }))

    it.effect.skipIf(!hasScript)(
      "on a terminal, login asks for the key and does not echo it",
      () =>
        Effect.gen(function*() {
          const { config, dir } = freshHome()
          const typed = yield* loginOnTerminal({ XDG_CONFIG_HOME: config, DIXA_KEYRING: "file" })
          expect(typed.code, typed.output).toBe(0)
          expect(typed.output).toContain("Dixa API key")
          expect(typed.output).not.toContain(apiKey)
          expect(fs.readFileSync(path.join(dir, "credentials.toml"), "utf8")).toContain(`t = "${apiKey}"`)
        })
    )

    it.effect("help reads no configuration: it works with a malformed one", () =>
      Effect.gen(function*() {
        const { dir, run } = freshHome()
        fs.mkdirSync(dir, { recursive: true })
        fs.writeFileSync(path.join(dir, "config.toml"), "default = [unclosed\n")
        const help = yield* run(["--help"])
        expect(help.code, help.stderr).toBe(0)
        const auth = yield* run(["auth", "--help"])
        expect(auth.code, auth.stderr).toBe(0)
        expect(auth.stdout).toMatch(/login[\s\S]*logout[\s\S]*show|login[\s\S]*show[\s\S]*logout/)
        expect((yield* run(["agents", "list"])).code).toBe(2)
      }))

    it.effect("login --verify tries the key with one call: a refused key is exit 3 and nothing is saved", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { dir, run } = freshHome()
        const refused = yield* run([
          "auth",
          "login",
          "--profile",
          "v",
          "--api-key",
          "wrong",
          "--base-url",
          url,
          "--verify"
        ])
        expect(refused.code).toBe(3)
        expect(fs.existsSync(path.join(dir, "config.toml"))).toBe(false)
        const good = yield* run(["auth", "login", "--profile", "v", "--api-key", apiKey, "--base-url", url, "--verify"])
        expect(good.code, good.stderr).toBe(0)
        expect(good.stderr).toContain(`the key works: ${url} answered`)
        expect(fs.readFileSync(path.join(dir, "credentials.toml"), "utf8")).toContain("v = ")
      }))

    it.effect("login without a key fails with exit 2 and saves nothing", () =>
      Effect.gen(function*() {
        const { dir, run } = freshHome()
        const none = yield* run(["auth", "login", "--profile", "p"], { stdin: "" })
        expect(none.code).toBe(2)
        expect(none.stderr).toMatch(/no API key/)
        expect(fs.existsSync(path.join(dir, "config.toml"))).toBe(false)
      }))

    it.effect("a global option's value that names a command is still a value (--api-key sandbox)", () =>
      Effect.gen(function*() {
        const { run } = freshHome()
        for (
          const args of [["--api-key", "sandbox", "--dry-run", "agents", "list"], [
            "agents",
            "list",
            "--api-key",
            "auth",
            "--dry-run"
          ]]
        ) {
          const result = yield* run(args)
          expect(result.code, result.stderr).toBe(0)
          expect(result.stdout).toMatch(/^GET .*\/agents/)
        }
      }))

    it.effect("with a Secret Service answering, the key goes to the OS keyring (secret-tool), not the file", () =>
      Effect.gen(function*() {
        const { url } = yield* Sandbox.Sandbox
        const { dir, run } = freshHome(true)
        const secrets = fs.mkdtempSync(path.join(scratch, "secrets-"))
        const env = keyringEnv(secrets, fakeSecretTool)
        const login = yield* run(["auth", "login", "--profile", "k", "--api-key", apiKey, "--base-url", url], { env })
        expect(login.stderr).toContain("OS keyring (secret-tool)")
        expect(fs.existsSync(path.join(dir, "credentials.toml"))).toBe(false)
        expect(fs.readdirSync(secrets)).toHaveLength(1)
        expect((yield* run(["--profile", "k", "agents", "list"], { env })).code).toBe(0)
        const shown = settingsOf(yield* run(["auth", "show", "--output", "json"], { env }))
        expect(shown["api_key"]!.source).toBe("profile k (OS keyring (secret-tool))")
        const out = yield* run(["auth", "logout"], { env })
        expect(out.stderr).toContain("from the OS keyring (secret-tool)")
        expect(fs.readdirSync(secrets)).toHaveLength(0)
      }))

    it.effect("a keyring that does not answer is given up on, and the key goes to the file", () =>
      Effect.gen(function*() {
        const { dir, run } = freshHome(true)
        const env = keyringEnv(fs.mkdtempSync(path.join(scratch, "secrets-")), "#!/bin/sh\nexec sleep 30\n")
        const login = yield* run(["auth", "login", "--profile", "h", "--api-key", apiKey], { env })
        expect(login.code, login.stderr).toBe(0)
        expect(fs.readFileSync(path.join(dir, "credentials.toml"), "utf8")).toContain("h = ")
      }))

    it.effect("the API key appears in no output of this suite", () =>
      Effect.sync(() => {
        for (const text of transcript) expect(text).not.toContain(apiKey)
      }))
  }
)
