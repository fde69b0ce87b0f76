// Runs the built `dixa` bundle as a child process, the way a user does.
import * as Effect from "effect/Effect"
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

export const bundle = path.resolve(import.meta.dirname, "..", "dist", "dixa.cjs")

/** The API key every test uses; it must never show up in any output. */
export const apiKey = "sk-test-6c0f9e1d-never-print-me"

/** A scratch directory for this run (code cache, state files, inputs). */
export const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "dixa-cli-test-"))

export interface Result {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Every output seen in this process, to check that no secret leaked. */
export const transcript: Array<string> = []

export interface RunOptions {
  readonly env?: Record<string, string | undefined>
  readonly stdin?: string
}

/** Runs `node dist/dixa.cjs ...args`, off a terminal (stdin, stdout and stderr are pipes). */
export const dixa = (args: ReadonlyArray<string>, options: RunOptions = {}): Effect.Effect<Result> =>
  Effect.async<Result>((resume) => {
    const env: Record<string, string | undefined> = {
      PATH: process.env["PATH"],
      HOME: scratch,
      DIXA_CACHE_DIR: path.join(scratch, "cache"),
      DIXA_SANDBOX_STATE: path.join(scratch, "default-sandbox.db"),
      ...options.env
    }
    for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key]
    const child = spawn(process.execPath, [bundle, ...args], { env: env as NodeJS.ProcessEnv, stdio: "pipe" })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk))
    child.on("close", (code) => {
      transcript.push(stdout, stderr)
      resume(Effect.succeed({ code, stdout, stderr }))
    })
    child.stdin.end(options.stdin ?? "")
    return Effect.sync(() => child.kill())
  })

/** The same against a server: `--base-url` and `DIXA_API_KEY` set. */
export const against = (url: string) => (args: ReadonlyArray<string>, options: RunOptions = {}) =>
  dixa(["--base-url", url, ...args], { ...options, env: { DIXA_API_KEY: apiKey, ...options.env } })

/** Parses stdout as JSON, failing the test with the output when it is not. */
export const json = (result: Result): any => {
  try {
    return JSON.parse(result.stdout)
  } catch {
    throw new Error(`stdout is not JSON (exit ${result.code}): ${result.stdout}\nstderr: ${result.stderr}`)
  }
}

/** Writes a scratch file and returns its path. */
export const scratchFile = (name: string, content: string): string => {
  const file = path.join(scratch, name)
  fs.writeFileSync(file, content)
  return file
}

/** Whether util-linux `script` is here to give a child a terminal. */
export const hasScript = ["/usr/bin/script", "/bin/script"].some((p) => fs.existsSync(p))

/**
 * Runs dixa on a pseudo-terminal (via `script`), typing `answer` into it; `cols` sets the terminal's width. Its
 * stdout and stderr both come back as `stdout`.
 */
export const onTerminal = (
  args: ReadonlyArray<string>,
  answer: string,
  env: Record<string, string> = {},
  cols?: number
) => {
  const quoted = [process.execPath, bundle, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(" ")
  const command = cols === undefined ? quoted : `stty cols ${cols} rows 50; ${quoted}`
  return Effect.async<Result>((resume) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      env: { PATH: process.env["PATH"], HOME: scratch, DIXA_CACHE_DIR: path.join(scratch, "cache"), ...env },
      stdio: "pipe"
    })
    let stdout = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk))
    child.on("close", (code) => {
      transcript.push(stdout)
      resume(Effect.succeed({ code, stdout, stderr: "" }))
    })
    child.stdin.end(answer)
    return Effect.sync(() => child.kill())
  })
}

/** Starts `dixa sandbox serve ...` and waits for the URL it prints; stops it with the scope. */
export const serve = (args: ReadonlyArray<string>) =>
  Effect.acquireRelease(
    Effect.async<{ readonly url: string; readonly child: ReturnType<typeof spawn> }, Error>((resume) => {
      const child = spawn(process.execPath, [bundle, "sandbox", "serve", ...args], {
        env: { PATH: process.env["PATH"], HOME: scratch, DIXA_CACHE_DIR: path.join(scratch, "cache") },
        stdio: "pipe"
      })
      let out = ""
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        out += chunk
        const url = /(http:\/\/\S+)/.exec(out)?.[1]
        if (url) resume(Effect.succeed({ url, child }))
      })
      child.on("close", (code) => resume(Effect.fail(new Error(`sandbox serve exited ${code}: ${out}`))))
    }),
    ({ child }) => Effect.sync(() => child.kill())
  )

/** The whole state of a running sandbox, from its control endpoint. */
export const sandboxState = (url: string): Effect.Effect<any> =>
  Effect.promise(() => fetch(`${url}/_sandbox/state`).then((response) => response.json()))

/** Replaces the faults a sandbox server injects (its `/_sandbox/faults` control route). */
export const faults = (url: string, body: object) =>
  Effect.promise(() =>
    fetch(`${url}/_sandbox/faults`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body)
    }).then((r) => r.json())
  )
