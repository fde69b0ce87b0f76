/**
 * Where API keys are kept, one per profile: the OS keyring when one answers (`secret-tool` on Linux,
 * `security` on macOS), else `credentials.toml` next to the configuration, mode 0600 and refused when
 * others can read it (as ssh does). `DIXA_KEYRING=file` forces the file.
 *
 * @since 0.1.0
 */
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Toml from "smol-toml"
import * as Config from "./Config.js"
import { UsageError } from "./Failure.js"

/** A store of keys by profile name. */
export interface KeyStore {
  /** How `auth show` names it, e.g. `file /home/me/.config/dixa/credentials.toml`. */
  readonly name: string
  readonly get: (profile: string) => string | undefined
  readonly set: (profile: string, key: string) => void
  /** Whether there was a key to remove. */
  readonly remove: (profile: string) => boolean
}

/** The credentials file's path. */
export const credentialsFile = (env: NodeJS.ProcessEnv = process.env): string =>
  path.join(Config.directory(env), "credentials.toml")

const readKeys = (where: string): Record<string, string> => {
  let stat: fs.Stats
  try {
    stat = fs.statSync(where)
  } catch {
    return {}
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new UsageError({
      message: `${where} can be read by others (mode ${(stat.mode & 0o777).toString(8)}): run chmod 600 ${where}`
    })
  }
  try {
    const data = Toml.parse(fs.readFileSync(where, "utf8")) as Record<string, unknown>
    const keys = (data["keys"] ?? {}) as Record<string, unknown>
    return Object.fromEntries(
      Object.entries(keys).filter((entry): entry is [string, string] => typeof entry[1] === "string")
    )
  } catch (e) {
    throw new UsageError({ message: `${where} is not valid TOML: ${(e as Error).message.split("\n")[0]}` })
  }
}

const writeKeys = (where: string, keys: Record<string, string>): void =>
  Config.writeAtomic(
    where,
    "# dixa CLI API keys, by profile. Keep this file private (mode 0600).\n" +
      Toml.stringify({ keys }) + "\n",
    0o600
  )

/** The credentials file as a store. */
export const fileStore = (env: NodeJS.ProcessEnv = process.env): KeyStore => {
  const where = credentialsFile(env)
  return {
    name: `file ${where}`,
    get: (profile) => readKeys(where)[profile],
    set: (profile, key) => writeKeys(where, { ...readKeys(where), [profile]: key }),
    remove: (profile) => {
      const keys = readKeys(where)
      if (keys[profile] === undefined) return false
      delete keys[profile]
      writeKeys(where, keys)
      return true
    }
  }
}

/** Runs a keyring tool, giving up after 3 s so a keyring that does not answer cannot hang the command. */
const tool = (command: string, args: ReadonlyArray<string>, input?: string) =>
  spawnSync(command, args, { input: input ?? "", encoding: "utf8", timeout: 3000, stdio: "pipe" })

const onPath = (command: string, env: NodeJS.ProcessEnv): boolean =>
  (env["PATH"] ?? "").split(path.delimiter).some((dir) => dir !== "" && fs.existsSync(path.join(dir, command)))

const service = "dixa-cli"

/** libsecret's `secret-tool` (GNOME Keyring, KWallet through the Secret Service API). */
const secretTool: KeyStore = {
  name: "OS keyring (secret-tool)",
  get: (profile) => {
    const run = tool("secret-tool", ["lookup", "service", service, "profile", profile])
    return run.status === 0 && run.stdout !== "" ? run.stdout.replace(/\n$/, "") : undefined
  },
  set: (profile, key) => {
    const run = tool("secret-tool", [
      "store",
      "--label",
      `dixa CLI (${profile})`,
      "service",
      service,
      "profile",
      profile
    ], key)
    if (run.status !== 0) throw new UsageError({ message: `the OS keyring refused the key: ${run.stderr.trim()}` })
  },
  remove: (profile) => {
    const had = secretTool.get(profile) !== undefined
    tool("secret-tool", ["clear", "service", service, "profile", profile])
    return had
  }
}

/** macOS's `security` and the login keychain. */
const keychain: KeyStore = {
  name: "OS keyring (macOS keychain)",
  get: (profile) => {
    const run = tool("security", ["find-generic-password", "-s", service, "-a", profile, "-w"])
    return run.status === 0 ? run.stdout.replace(/\n$/, "") : undefined
  },
  set: (profile, key) => {
    // Through `security -i` and in hex (`-X`), as go-keyring does: the key is never on a command line.
    const hex = Buffer.from(key, "utf8").toString("hex")
    const run = tool("security", ["-i"], `add-generic-password -U -s ${service} -a ${profile} -X ${hex}\n`)
    if (run.status !== 0) throw new UsageError({ message: `the keychain refused the key: ${run.stderr.trim()}` })
  },
  remove: (profile) => tool("security", ["delete-generic-password", "-s", service, "-a", profile]).status === 0
}

/**
 * Whether a Secret Service answers: a lookup of nothing exits 1 quietly when one does, and with a message
 * (no session bus, no service) or a timeout when none does.
 */
const secretServiceAnswers = (env: NodeJS.ProcessEnv): boolean => {
  if (!onPath("secret-tool", env) || (env["DBUS_SESSION_BUS_ADDRESS"] ?? "") === "") return false
  const probe = tool("secret-tool", ["lookup", "service", `${service}-probe`])
  return probe.error === undefined && (probe.status === 0 || (probe.status === 1 && probe.stderr.trim() === ""))
}

/** The OS keyring when one is usable here, else nothing. */
export const osKeyring = (env: NodeJS.ProcessEnv = process.env): KeyStore | undefined => {
  if (env["DIXA_KEYRING"] === "file") return undefined
  if (process.platform === "darwin" && onPath("security", env)) return keychain
  if (process.platform === "linux" && secretServiceAnswers(env)) return secretTool
  return undefined
}

/** Where a new key goes: the OS keyring when there is one, else the credentials file. */
export const preferred = (env: NodeJS.ProcessEnv = process.env): KeyStore => osKeyring(env) ?? fileStore(env)

/** A profile's key and the store holding it: the OS keyring first, then the file. */
export const lookup = (
  profile: string,
  env: NodeJS.ProcessEnv = process.env
): { readonly key: string; readonly store: string } | undefined => {
  for (const store of [osKeyring(env), fileStore(env)]) {
    const key = store?.get(profile)
    if (store !== undefined && key !== undefined) return { key, store: store.name }
  }
  return undefined
}
