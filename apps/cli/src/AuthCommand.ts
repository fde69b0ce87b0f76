/**
 * `dixa auth login|logout|show`: named profiles in `config.toml`, their keys in the OS keyring or the
 * credentials file. The handlers load the configuration modules only when they run.
 *
 * @since 0.1.0
 */
import * as Command from "@effect/cli/Command"
import * as Options from "@effect/cli/Options"
import * as Prompt from "@effect/cli/Prompt"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import { UsageError } from "./Failure.js"
import type * as Profile from "./Profile.js"

/** Where `login --verify` sends its one call, with the key being saved. */
export interface Target {
  readonly sandbox: boolean
  readonly baseUrl: string
  readonly apiKey: Redacted.Redacted<string>
}

/** What the handlers need from the root command: its global options, the base URL check, a way to try a key. */
export interface Context<R> {
  readonly given: Effect.Effect<Profile.Given, never, R>
  readonly isHttpUrl: (text: string) => boolean
  /** One cheap call (the organization) with a key; fails as the call does. */
  readonly verify?: ((target: Target) => Effect.Effect<void, unknown>) | undefined
}

const modules = Effect.promise(() =>
  Promise.all([import("./Profile.js"), import("./Config.js"), import("./Keyring.js")])
)

const note = (text: string) => Effect.sync(() => void process.stderr.write(`${text}\n`))

const attempt = <A>(f: () => A) =>
  Effect.try({ try: f, catch: (e) => e instanceof UsageError ? e : new UsageError({ message: String(e) }) })

/** The key to save: `--api-key`, else typed at a prompt on a terminal, else all of stdin. */
const readKey = (given: Profile.Given) =>
  Effect.gen(function*() {
    if (given.apiKey !== undefined) return Redacted.value(given.apiKey).trim()
    if (process.stdin.isTTY === true) return Redacted.value(yield* Prompt.password({ message: "Dixa API key" })).trim()
    const chunks: Array<Buffer> = []
    yield* Effect.promise(async () => {
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    })
    return Buffer.concat(chunks).toString("utf8").trim()
  })

const profileName = (given: Profile.Given, fallback: string | undefined) =>
  Effect.gen(function*() {
    const name = given.profile ?? (process.env["DIXA_PROFILE"] || undefined) ?? fallback
    if (name === undefined) return yield* new UsageError({ message: "which profile? pass --profile NAME" })
    const [, Config] = yield* modules
    if (!Config.isProfileName(name)) {
      return yield* new UsageError({ message: `bad profile name '${name}': use letters, digits, - and _` })
    }
    return name
  })

/** `--verify`: one call with the key and where the profile will point (flag, else environment, else profile). */
const verifyKey = <R>(context: Context<R>, name: string, key: string, given: Profile.Given) =>
  Effect.gen(function*() {
    const [Profile, Config] = yield* modules
    if (context.verify === undefined) return yield* new UsageError({ message: "--verify is not available here" })
    const entry = (yield* attempt(() => Config.read())).profiles[name]
    const sandbox = given.sandbox || entry?.sandbox === true
    const baseUrl = given.baseUrl ?? (process.env["DIXA_BASE_URL"] || undefined) ?? entry?.base_url ??
      Profile.defaultBaseUrl
    yield* context.verify({ sandbox, baseUrl, apiKey: Redacted.make(key === "" ? "sandbox" : key) })
    yield* note(`the key works: ${sandbox ? "the sandbox" : baseUrl} answered`)
  })

/** Saves the key (when there is one: a sandbox needs none), then the profile; returns the key's store. */
const save = (
  Config: typeof import("./Config.js"),
  Keyring: typeof import("./Keyring.js"),
  name: string,
  key: string,
  given: Profile.Given,
  setDefault: boolean
): string | undefined => {
  const config = Config.read()
  let stored: string | undefined
  if (key !== "") {
    const store = Keyring.preferred()
    store.set(name, key)
    const file = Keyring.fileStore()
    // A key saved in the OS keyring replaces one an earlier login left in the file.
    if (store.name !== file.name) file.remove(name)
    stored = store.name
  }
  const entry = {
    ...config.profiles[name],
    ...(given.baseUrl !== undefined ? { base_url: given.baseUrl } : {}),
    ...(given.sandbox ? { sandbox: true } : {}),
    ...(given.output !== undefined ? { output: given.output } : {})
  }
  const isDefault = setDefault || config.default === undefined
  Config.write({
    ...(isDefault ? { default: name } : config.default !== undefined ? { default: config.default } : {}),
    profiles: { ...config.profiles, [name]: entry }
  })
  return stored
}

const login = <R>(context: Context<R>) =>
  Command.make("login", {
    setDefault: Options.boolean("set-default").pipe(Options.withDescription("Make this profile the default one")),
    verify: Options.boolean("verify").pipe(
      Options.withDescription("Try the key with one call (the organization) first; save nothing if it fails")
    )
  }, ({ setDefault, verify }) =>
    Effect.gen(function*() {
      const given = yield* context.given
      const [, Config, Keyring] = yield* modules
      const name = yield* profileName(given, "default")
      if (given.baseUrl !== undefined && !context.isHttpUrl(given.baseUrl)) {
        return yield* new UsageError({ message: `the base URL '${given.baseUrl}' is not an http:// or https:// URL` })
      }
      // A sandbox profile needs no key; one given is kept all the same.
      const key = given.sandbox && given.apiKey === undefined ? "" : yield* readKey(given)
      if (key === "" && !given.sandbox) {
        return yield* new UsageError({ message: "no API key: pass --api-key KEY, or give it on stdin" })
      }
      if (verify) yield* verifyKey(context, name, key, given)
      const stored = yield* attempt(() => save(Config, Keyring, name, key, given, setDefault))
      yield* note(
        `profile '${name}' saved in ${Config.file()}` + (stored === undefined ? "" : `, its key in the ${stored}`)
      )
    })).pipe(Command.withDescription(
      "Save a profile: its key (--api-key, or stdin; asked on a terminal), --base-url, --sandbox, --output"
    ))

const logout = <R>(context: Context<R>) =>
  Command.make("logout", {}, () =>
    Effect.gen(function*() {
      const given = yield* context.given
      const [, Config, Keyring] = yield* modules
      const name = yield* profileName(given, (yield* attempt(() => Config.read())).default)
      const removed = yield* attempt(() =>
        [Keyring.osKeyring(), Keyring.fileStore()].flatMap((store) =>
          store !== undefined && store.remove(name) ? [store.name] : []
        )
      )
      yield* note(
        removed.length === 0
          ? `profile '${name}' had no key stored`
          : `removed the key of profile '${name}' from the ${removed.join(" and the ")}`
      )
    })).pipe(Command.withDescription("Forget a profile's key (--profile, else the default profile)"))

const show = <R>(context: Context<R>) =>
  Command.make("show", {}, () =>
    Effect.gen(function*() {
      const given = yield* context.given
      const [Profile, , Keyring] = yield* modules
      const s = yield* attempt(() => Profile.resolve(given))
      const keys = yield* attempt(() => Keyring.preferred().name)
      const rows: Array<readonly [string, string, string]> = [
        ["profile", s.profile.value ?? "(none)", s.profile.source],
        [
          "api_key",
          Profile.mask(s.apiKey.value),
          s.apiKey.store ? `${s.apiKey.source} (${s.apiKey.store})` : s.apiKey.source
        ],
        ["base_url", s.baseUrl.value, s.baseUrl.source],
        ["sandbox", String(s.sandbox.value), s.sandbox.source],
        ["output", s.output.value, s.output.source]
      ]
      const json = given.output !== undefined && given.output !== "table" && given.output !== "auto"
      const text = json
        ? JSON.stringify(
          {
            settings: rows.map(([setting, value, source]) => ({ setting, value, source })),
            config_file: s.configFile,
            key_store: keys
          },
          null,
          2
        )
        : [
          ...rows.map(([a, b, c]) => `${a.padEnd(10)}${b.padEnd(28)}${c}`),
          `config    ${s.configFile}`,
          `keys      new keys go to the ${keys}`
        ].join("\n")
      yield* Effect.sync(() => void process.stdout.write(text + "\n"))
    })).pipe(Command.withDescription("Print every setting in effect, where it comes from, and the key masked"))

/** `dixa auth`; its actions are built only when `auth` is on the command line. */
export const make = <R>(build: boolean, context: Context<R>) => {
  const parent = Command.make(
    "auth",
    {},
    () => Effect.fail(new UsageError({ message: "missing action: dixa auth login|logout|show" }))
  ).pipe(Command.withDescription("Profiles and their API keys: login, logout, show"))
  return build ? Command.withSubcommands(parent, [login(context), logout(context), show(context)]) : parent
}
