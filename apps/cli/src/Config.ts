/**
 * The configuration file, `$XDG_CONFIG_HOME/dixa/config.toml` (else `~/.config/dixa/config.toml`): named
 * profiles and the default one. Keys are never kept here (see `Keyring`). Written atomically, in a 0700
 * directory.
 *
 * @since 0.1.0
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Toml from "smol-toml"
import { UsageError } from "./Failure.js"

/** What a profile may set; the key is kept apart. */
export interface ProfileEntry {
  readonly base_url?: string
  readonly sandbox?: boolean
  readonly output?: string
}

/** The whole file. */
export interface ConfigFile {
  readonly default?: string
  readonly profiles: Readonly<Record<string, ProfileEntry>>
}

/** The directory of the configuration and the credentials file. */
export const directory = (env: NodeJS.ProcessEnv = process.env): string =>
  path.join(env["XDG_CONFIG_HOME"] ? env["XDG_CONFIG_HOME"] : path.join(os.homedir(), ".config"), "dixa")

/** The configuration file's path. */
export const file = (env: NodeJS.ProcessEnv = process.env): string => path.join(directory(env), "config.toml")

/** A profile name: letters, digits, `-` and `_` (it is a TOML key and a keyring attribute). */
export const isProfileName = (name: string): boolean => /^[A-Za-z0-9_-]{1,64}$/.test(name)

const fail = (message: string): never => {
  throw new UsageError({ message })
}

const entryOf = (name: string, value: unknown, where: string): ProfileEntry => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    fail(`${where}: [profiles.${name}] is not a table`)
  }
  const v = value as Record<string, unknown>
  const text = (key: string) => {
    if (v[key] !== undefined && typeof v[key] !== "string") fail(`${where}: profiles.${name}.${key} is not a string`)
    return v[key] as string | undefined
  }
  if (v["sandbox"] !== undefined && typeof v["sandbox"] !== "boolean") {
    fail(`${where}: profiles.${name}.sandbox is not true or false`)
  }
  const baseUrl = text("base_url")
  const output = text("output")
  return {
    ...(baseUrl !== undefined ? { base_url: baseUrl } : {}),
    ...(v["sandbox"] !== undefined ? { sandbox: v["sandbox"] as boolean } : {}),
    ...(output !== undefined ? { output } : {})
  }
}

/** Reads the file; a missing one is empty, a malformed one a {@link UsageError} naming it. */
export const read = (where: string = file()): ConfigFile => {
  let text: string
  try {
    text = fs.readFileSync(where, "utf8")
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { profiles: {} }
    return fail(`cannot read ${where}: ${(e as Error).message}`)
  }
  let data: Record<string, unknown>
  try {
    data = Toml.parse(text) as Record<string, unknown>
  } catch (e) {
    return fail(`${where} is not valid TOML: ${(e as Error).message.split("\n")[0]}`)
  }
  const profiles = data["profiles"] ?? {}
  if (typeof profiles !== "object" || profiles === null || Array.isArray(profiles)) {
    fail(`${where}: profiles is not a table`)
  }
  if (data["default"] !== undefined && typeof data["default"] !== "string") fail(`${where}: default is not a string`)
  return {
    ...(data["default"] !== undefined ? { default: data["default"] as string } : {}),
    profiles: Object.fromEntries(
      Object.entries(profiles as Record<string, unknown>).map(([name, value]) => [name, entryOf(name, value, where)])
    )
  }
}

/** Writes `text` to `where` through a temporary file and a rename, the directory created 0700. */
export const writeAtomic = (where: string, text: string, mode: number): void => {
  fs.mkdirSync(path.dirname(where), { recursive: true, mode: 0o700 })
  const tmp = `${where}.${process.pid}.tmp`
  try {
    fs.writeFileSync(tmp, text, { mode })
    fs.chmodSync(tmp, mode)
    fs.renameSync(tmp, where)
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    throw new UsageError({ message: `cannot write ${where}: ${(e as Error).message}` })
  }
}

/** Writes the whole file. */
export const write = (config: ConfigFile, where: string = file()): void =>
  writeAtomic(
    where,
    "# dixa CLI profiles (see `dixa auth --help`). API keys are not kept here.\n" +
      Toml.stringify(config as unknown as Record<string, unknown>) + "\n",
    0o600
  )
