/**
 * Replicas sharing one Redis spend one Dixa budget: 3 `dixa-gateway` processes with 8 callers each, in front of the
 * sandbox with Dixa's limit on, against the same load on one gateway in the same run. Upstream rate / 10 per second
 * should stay >= 0.95 with no 429, and >= 0.9 after one replica is killed with SIGKILL mid-run.
 */
import { RateLimit } from "@org/dixa-core"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Result } from "./report.js"

const bin = fileURLToPath(new URL("../../apps/gateway/dist/main.js", import.meta.url))
const token = "bench-dixa-token"
const perReplica = 8
const callers = Array.from({ length: 3 * perReplica }, (_, i) => ({
  name: `service-${i}`,
  key: `bench-caller-key-${String(i).padStart(4, "0")}`,
  scopes: ["read"]
}))

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer()
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port
      server.close(() => resolve(port))
    })
  })

/** Starts `command` and resolves once it printed `ready`; the process is killed when the scope closes. */
const launch = (command: string, args: ReadonlyArray<string>, env: Record<string, string>, ready: string) =>
  Effect.acquireRelease(
    Effect.async<ChildProcess, Error>((resume) => {
      const child = spawn(command, args, { env: { PATH: process.env["PATH"] ?? "", ...env }, stdio: "pipe" })
      let output = ""
      let started = false
      const seen = (data: Buffer) => {
        if (started) return
        output += data
        if (output.includes(ready)) {
          started = true
          resume(Effect.succeed(child))
        }
      }
      child.stdout!.on("data", seen)
      child.stderr!.on("data", seen)
      child.on("error", (e) => resume(Effect.fail(e)))
      child.on("exit", (code) => resume(Effect.fail(new Error(`${command} exited ${code}: ${output}`))))
    }),
    (child) => Effect.sync(() => child.kill("SIGKILL"))
  )

/** `n` gateways on free ports; with `redisUrl` they share it. */
const gateways = (n: number, sandboxUrl: string, redisUrl: string | undefined) =>
  Effect.gen(function*() {
    const keysFile = join(mkdtempSync(join(tmpdir(), "bench-replicas-")), "keys.json")
    writeFileSync(keysFile, JSON.stringify(callers))
    return yield* Effect.forEach(Array.from({ length: n }), () =>
      Effect.gen(function*() {
        const port = yield* Effect.promise(freePort)
        const child = yield* launch(process.execPath, [bin], {
          DIXA_API_KEY: token,
          DIXA_BASE_URL: sandboxUrl,
          GATEWAY_PORT: String(port),
          GATEWAY_KEYS_FILE: keysFile,
          GATEWAY_CACHE_TTL: "0 seconds",
          ...(redisUrl !== undefined ? { GATEWAY_REDIS_URL: redisUrl } : {})
        }, "listening")
        return { url: `http://127.0.0.1:${port}`, child }
      }), { concurrency: "unbounded" })
  })

interface Tally {
  ok: number
  failed: number
}

/** Every caller sends GETs in a row through its gateway until `until`; a gateway that is gone ends its callers. */
const load = (urls: ReadonlyArray<string>, until: number, tally: Tally) =>
  Promise.all(callers.map(async (caller, i) => {
    const url = `${urls[i % urls.length]}/beta/agents?pageLimit=5`
    while (performance.now() < until) {
      try {
        const response = await fetch(url, { headers: { authorization: caller.key } })
        await response.arrayBuffer()
        if (response.status === 200) tally.ok++
        else tally.failed++
      } catch {
        tally.failed++
        return
      }
    }
  }))

/** Upstream requests and 429s in the sandbox over `during`, and the ratio of the rate to Dixa's 10 per second. */
const measure = (sandbox: Sandbox.Running, during: () => Promise<unknown>) =>
  Effect.gen(function*() {
    const before = yield* sandbox.stats
    const started = performance.now()
    yield* Effect.promise(during)
    const seconds = (performance.now() - started) / 1000
    const after = yield* sandbox.stats
    const upstream = after.requests - before.requests
    return {
      seconds,
      upstream,
      rejected: after.rateLimited - before.rateLimited,
      ratio: upstream / seconds / RateLimit.dixaBudget.requestsPerSecond
    }
  })

export const replicas = (options: { readonly seconds: number }): Effect.Effect<ReadonlyArray<Result>, unknown> =>
  Effect.scoped(Effect.gen(function*() {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first`)
    if (spawnSync("redis-server", ["--version"]).error !== undefined) {
      throw new Error("redis-server is not installed (Debian: apt-get install -y redis-server)")
    }
    const sandbox = yield* Sandbox.start({ apiKey: token, rateLimit: RateLimit.dixaBudget, agents: 50 })
    const redisPort = yield* Effect.promise(freePort)
    yield* launch(
      "redis-server",
      ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      {},
      "Ready to accept connections"
    )
    const redisUrl = `redis://127.0.0.1:${redisPort}`
    const window = options.seconds * 1000

    // The baseline: the same 24 callers on one gateway (in memory, as a single instance runs).
    const single = yield* Effect.scoped(Effect.gen(function*() {
      const [one] = yield* gateways(1, sandbox.url, undefined)
      return yield* measure(sandbox, () => load([one!.url], performance.now() + window, { ok: 0, failed: 0 }))
    }))

    const three = yield* gateways(3, sandbox.url, redisUrl)
    const urls = three.map((g) => g.url)
    const tally: Tally = { ok: 0, failed: 0 }
    // Three replicas at full load, then one of them killed with SIGKILL and the other two measured on their own.
    const end = performance.now() + 2 * window
    const running = load(urls, end, tally)
    const shared = yield* measure(sandbox, () => new Promise((resolve) => setTimeout(resolve, window)))
    three[0]!.child.kill("SIGKILL")
    const afterKill = yield* measure(sandbox, () => running)

    const details = (m: typeof single) => ({
      upstream: m.upstream,
      seconds: m.seconds.toFixed(2),
      "upstream 429s": m.rejected
    })
    return [
      {
        name: "replicas: 3 gateways x 8 callers sharing Redis (upstream rate / 10/s)",
        ratio: shared.ratio,
        goal: ">= 0.95 and 0 upstream 429s",
        met: shared.ratio >= 0.95 && shared.rejected === 0,
        details: {
          ...details(shared),
          "one gateway, same load: ratio": single.ratio.toFixed(3),
          "its 429s": single.rejected
        }
      },
      {
        name: "replicas: after kill -9 of one of 3 (upstream rate / 10/s)",
        ratio: afterKill.ratio,
        goal: ">= 0.9 and 0 upstream 429s",
        met: afterKill.ratio >= 0.9 && afterKill.rejected === 0,
        details: { ...details(afterKill), "answers ok": tally.ok, "answers failed": tally.failed }
      }
    ]
  }))
