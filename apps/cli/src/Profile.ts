/**
 * The settings a command runs with, each with where it came from: a flag, else the environment, else the
 * profile (`--profile`, else `$DIXA_PROFILE`, else the configuration's default), else a built-in default.
 * `sandbox` is a profile even when the configuration has none of that name.
 *
 * @since 0.1.0
 */
import * as Redacted from "effect/Redacted"
import * as Config from "./Config.js"
import { UsageError } from "./Failure.js"
import * as Keyring from "./Keyring.js"

/** The Dixa API's own address, when nothing else names one. */
export const defaultBaseUrl = "https://dev.dixa.io"

/** A resolved value and where it came from: `flag`, `env DIXA_…`, `profile NAME`, `config default`, `default`. */
export interface Setting<A> {
  readonly value: A
  readonly source: string
}

/** What the command line gave (global options), before resolution. */
export interface Given {
  readonly profile: string | undefined
  readonly apiKey: Redacted.Redacted<string> | undefined
  readonly baseUrl: string | undefined
  readonly sandbox: boolean
  readonly output: string | undefined
}

/** Every setting, resolved. */
export interface Settings {
  readonly profile: Setting<string | undefined>
  /** The key; for a profile's key, `store` says which store holds it. */
  readonly apiKey: Setting<Redacted.Redacted<string> | undefined> & { readonly store?: string }
  readonly baseUrl: Setting<string>
  readonly sandbox: Setting<boolean>
  readonly output: Setting<string>
  readonly configFile: string
}

const builtIn: Readonly<Record<string, Config.ProfileEntry>> = { sandbox: { sandbox: true } }

/** The profile to use and why; `undefined` when none is named and there is no default. */
export const chooseProfile = (given: Given, env: NodeJS.ProcessEnv, config: Config.ConfigFile) =>
  given.profile !== undefined
    ? { value: given.profile, source: "flag" }
    : env["DIXA_PROFILE"]
    ? { value: env["DIXA_PROFILE"], source: "env DIXA_PROFILE" }
    : config.default !== undefined
    ? { value: config.default, source: "config default" }
    : { value: undefined, source: "none" }

const truthy = (text: string): boolean => /^(1|true|yes)$/i.test(text.trim())

/**
 * Resolves every setting. Throws a `UsageError` for a named profile that is not configured, or a malformed
 * configuration or credentials file. The profile's key is read only when no flag or variable gives one.
 */
export const resolve = (given: Given, env: NodeJS.ProcessEnv = process.env): Settings => {
  const configFile = Config.file(env)
  const config = Config.read(configFile)
  const profile = chooseProfile(given, env, config)
  const name = profile.value
  const entry = name === undefined ? undefined : config.profiles[name] ?? builtIn[name]
  if (name !== undefined && entry === undefined) {
    throw new UsageError({
      message:
        `no profile '${name}' (${profile.source}) in ${configFile}: create it with dixa auth login --profile ${name}`
    })
  }
  const fromProfile = `profile ${name}`
  const pick = <A>(flag: A | undefined, envName: string, envValue: A | undefined, stored: A | undefined, fallback: A) =>
    flag !== undefined
      ? { value: flag, source: "flag" }
      : envValue !== undefined
      ? { value: envValue, source: `env ${envName}` }
      : stored !== undefined
      ? { value: stored, source: fromProfile }
      : { value: fallback, source: "default" }
  const sandboxEnv = env["DIXA_SANDBOX"] !== undefined && env["DIXA_SANDBOX"] !== ""
    ? truthy(env["DIXA_SANDBOX"])
    : undefined
  return {
    profile,
    apiKey: apiKeyOf(given, env, name),
    baseUrl: pick(given.baseUrl, "DIXA_BASE_URL", env["DIXA_BASE_URL"], entry?.base_url, defaultBaseUrl),
    sandbox: pick(given.sandbox ? true : undefined, "DIXA_SANDBOX", sandboxEnv, entry?.sandbox, false),
    output: pick(given.output, "DIXA_OUTPUT", env["DIXA_OUTPUT"] || undefined, entry?.output, "auto"),
    configFile
  }
}

const apiKeyOf = (given: Given, env: NodeJS.ProcessEnv, profile: string | undefined): Settings["apiKey"] => {
  if (given.apiKey !== undefined) return { value: given.apiKey, source: "flag" }
  if (env["DIXA_API_KEY"] !== undefined) {
    return { value: Redacted.make(env["DIXA_API_KEY"]), source: "env DIXA_API_KEY" }
  }
  if (profile === undefined) return { value: undefined, source: "none" }
  const found = Keyring.lookup(profile, env)
  return found === undefined
    ? { value: undefined, source: "none" }
    : { value: Redacted.make(found.key), source: `profile ${profile}`, store: found.store }
}

/** A key as `auth show` prints it: never more than its last four characters, and only for a long key. */
export const mask = (key: Redacted.Redacted<string> | undefined): string => {
  if (key === undefined) return "(none)"
  const text = Redacted.value(key)
  return text.length >= 16 ? `****${text.slice(-4)}` : "****"
}
