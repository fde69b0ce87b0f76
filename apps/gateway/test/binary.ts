/**
 * Running the built `dixa-gateway` binary as an operator does: a free port, a keys file, the process with its output,
 * and waiting for a line.
 */
import { RateLimit } from "@org/dixa-core"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { callers, dixaToken } from "./support.js"

const main = fileURLToPath(new URL("../dist/main.js", import.meta.url))

export const freePort = () =>
  Effect.async<number>((resume) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resume(Effect.succeed(port)))
    })
  })

/** A keys file with the test callers. */
export const keysFile = () => {
  const file = join(mkdtempSync(join(tmpdir(), "gateway-")), "keys.json")
  writeFileSync(file, JSON.stringify(callers))
  return file
}

export interface Spawned {
  readonly child: ChildProcess
  readonly output: () => string
  readonly exit: Promise<number | null>
}

/** Starts the binary with only `PATH` and `env` in its environment. */
export const run = (env: Record<string, string>): Spawned => {
  const child = spawn(process.execPath, [main], { env: { PATH: process.env["PATH"] ?? "", ...env }, stdio: "pipe" })
  let output = ""
  child.stdout!.on("data", (d) => (output += d))
  child.stderr!.on("data", (d) => (output += d))
  const exit = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
  return { child, output: () => output, exit }
}

/** Waits up to 10 s for `done`, then fails with `what`. */
const waitUntil = (done: () => boolean, what: () => string) =>
  Effect.promise(async () => {
    // Up to 25 s: a Node start-up on a loaded 2-core CI machine has been seen to take over 10.
    for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 50))
    if (!done()) throw new Error(what())
  })

/** Waits until the process has printed `text`. */
export const waitFor = (spawned: Spawned, text: string) =>
  waitUntil(() => spawned.output().includes(text), () => `never printed ${text}: ${spawned.output()}`)

/**
 * The built binary in front of an in-process sandbox (Dixa's rate limit on), on a free port, killed when the scope
 * closes; `get` calls a path with the first test caller's key and gives the status.
 */
export const serveBinary = (env: Record<string, string> = {}, sandboxOptions: Sandbox.Options = {}) =>
  Effect.gen(function*() {
    const sandbox = yield* Sandbox.start({ apiKey: dixaToken, rateLimit: RateLimit.dixaBudget, ...sandboxOptions })
    const port = yield* freePort()
    const gateway = run({
      DIXA_API_KEY: dixaToken,
      DIXA_BASE_URL: sandbox.url,
      GATEWAY_PORT: String(port),
      GATEWAY_KEYS_FILE: keysFile(),
      ...env
    })
    yield* Effect.addFinalizer(() => Effect.sync(() => gateway.child.kill("SIGKILL")))
    const get = (path: string) =>
      Effect.promise(() =>
        fetch(`http://127.0.0.1:${port}${path}`, { headers: { authorization: callers[0]!.key } }).then((r) =>
          r.text().then(() => r.status)
        )
      )
    return { sandbox, gateway, port, get }
  })
