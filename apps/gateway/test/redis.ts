/**
 * A real `redis-server` for the tests, on a free port, without persistence; killed when the scope closes. It can be
 * stopped and started again on the same port, as an operator's Redis going away and coming back.
 */
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { freePort } from "./binary.js"

const missing = "redis-server is not installed: the Redis tests need it (Debian: apt-get install -y redis-server)"

export interface RedisServer {
  readonly port: number
  readonly url: string
  /** Kills the server (SIGKILL: nothing is flushed, as a crash). */
  readonly stop: Effect.Effect<void>
  /** Starts it again on the same port, empty. */
  readonly start: Effect.Effect<void>
}

const launch = (port: number) =>
  Effect.async<ChildProcess, Error>((resume) => {
    const child = spawn("redis-server", [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no"
    ], {
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    const onData = (data: Buffer) => {
      output += data
      if (output.includes("Ready to accept connections")) resume(Effect.succeed(child))
    }
    child.stdout!.on("data", onData)
    child.on("error", (e) => resume(Effect.fail(e)))
    child.on("exit", (code) => resume(Effect.fail(new Error(`redis-server exited with ${code}: ${output}`))))
  })

const kill = (child: ChildProcess) =>
  Effect.async<void>((resume) => {
    if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
    child.once("exit", () => resume(Effect.void))
    child.kill("SIGKILL")
  })

/** A fresh `redis-server`; the test fails with a clear message when it is not installed. */
export const startRedis = Effect.gen(function*() {
  if (spawnSync("redis-server", ["--version"]).error !== undefined) return yield* Effect.dieMessage(missing)
  const port = yield* freePort()
  let child = yield* Effect.orDie(launch(port))
  yield* Effect.addFinalizer(() => kill(child))
  const server: RedisServer = {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: Effect.suspend(() => kill(child)),
    start: Effect.map(Effect.orDie(launch(port)), (started) => {
      child = started
    })
  }
  return server
})
