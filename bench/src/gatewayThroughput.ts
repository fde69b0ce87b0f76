/**
 * How many requests per second the gateway serves under load, against floors measured in the same run and in front
 * of the same tiny upstream (a bare `node:http` server answering a fixed agents page):
 * - the bare Node proxy (`bareProxy.ts`: `node:http` + undici `Pool`, nothing else), the floor for any Node proxy;
 * - nginx as a reverse proxy, for information, when it is installed;
 * - the gateway binary, uncached (every request forwarded) and with the agents group cached (all but the first
 *   request answered from the cache), and its `/healthz` for information.
 * Every server under load but the tiny upstream is its own process; load comes from `wrk` (16 connections, 2 threads),
 * and the latency figures from one wrk connection. All servers run at once and are measured in turn, round after
 * round; each figure is the best of its rounds. Any 4xx/5xx answer or socket error fails the results involved.
 */
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { type ChildProcess, fork, spawn, spawnSync } from "node:child_process"
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer as createHttpServer, type RequestListener } from "node:http"
import { createServer as createNetServer } from "node:net"
import { availableParallelism, loadavg, tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import type { Result } from "./report.js"
import * as Wrk from "./wrk.js"

const gatewayMain = fileURLToPath(new URL("../../apps/gateway/dist/main.js", import.meta.url))
const bareProxyModule = fileURLToPath(new URL("./bareProxy.ts", import.meta.url))

const dixaToken = "bench-dixa-token"
const caller = { name: "bench", key: "bench-caller-key-0001", scopes: ["read"] }
const agentsPath = "/beta/agents?pageLimit=10"
const authorization = [`Authorization: ${caller.key}`]

// ---------------------------------------------------------------------------------------------------------------
// The tiny upstream

// One agent with the fields the core's `Agent` schema requires, and the organization as `OrganizationDetails`.
const agentsPage = JSON.stringify({
  data: [{
    id: "7f0c2a6e-3b1d-4e5f-9a8b-0c1d2e3f4a5b",
    displayName: "Bench Agent",
    email: "bench.agent@example.com",
    createdAt: "2024-01-15T09:00:00.000Z"
  }]
})
const organization = JSON.stringify({
  data: { id: "bench-org", name: "Bench", subdomain: "bench", status: "Active" }
})

interface Upstream {
  readonly url: string
  /** How many requests it has answered so far. */
  readonly served: () => number
}

const bodies: Record<string, string> = { "/beta/agents": agentsPage, "/beta/organization": organization }

/** Answers a GET of the agents list (any query) or the organization with fixed JSON, anything else with 404. */
const answerTiny = (count: () => void): RequestListener => (req, res) => {
  count()
  const body = req.method === "GET" ? bodies[(req.url ?? "/").split("?")[0]!] : undefined
  if (body === undefined) return void res.writeHead(404, { "content-type": "application/json" }).end("{}")
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body)
}

/** The tiny upstream on a free loopback port, in this process (it idles while wrk, another process, runs). */
const tinyUpstream: Effect.Effect<Upstream, never, Scope.Scope> = Effect.acquireRelease(
  Effect.async<{ upstream: Upstream; close: () => Promise<void> }>((resume) => {
    let served = 0
    const server = createHttpServer(answerTiny(() => served++))
    // Longer than any proxy keeps an idle upstream connection, so no proxy races a closing socket.
    server.keepAliveTimeout = 65_000
    server.listen(0, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
      const close = () =>
        new Promise<void>((r) => {
          server.close(() => r())
          server.closeAllConnections()
        })
      resume(Effect.succeed({ upstream: { url, served: () => served }, close }))
    })
  }),
  ({ close }) => Effect.promise(close)
).pipe(Effect.map(({ upstream }) => upstream))

// ---------------------------------------------------------------------------------------------------------------
// Child processes

interface Child {
  readonly process: ChildProcess
  /** What it printed so far (the first 20,000 characters), for error messages. */
  readonly output: () => string
}

/** Whether a child still runs, or how it ended, with what it printed: for the message of a failed measurement. */
const describe = (server: Child): string => {
  const { exitCode, signalCode, pid } = server.process
  let state = "still runs"
  if (exitCode !== null) state = `exited with code ${exitCode}`
  if (signalCode !== null) state = `was killed by ${signalCode}`
  return `its process ${pid} ${state}; it printed:\n${server.output() || "(nothing)"}`
}

/** A server under test: its base URL and, when it is a child process, that process. */
interface Server {
  readonly url: string
  readonly child?: Child
}

/**
 * A child process from `start`, killed when the scope closes, and also when this process exits before that (an
 * uncaught error), so none outlives the benchmark.
 */
const child = (start: () => ChildProcess): Effect.Effect<Child, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const proc = start()
      let output = ""
      const keep = (d: Buffer) => (output = (output + d).slice(0, 20_000))
      proc.stdout?.on("data", keep)
      proc.stderr?.on("data", keep)
      const kill = () => void proc.kill("SIGKILL")
      process.once("exit", kill)
      return { process: proc, output: () => output, kill }
    }),
    ({ kill }) =>
      Effect.sync(() => {
        process.off("exit", kill)
        kill()
      })
  )

const freePort = Effect.async<number>((resume) => {
  const server = createNetServer()
  server.listen(0, "127.0.0.1", () => {
    const port = (server.address() as { port: number }).port
    server.close(() => resume(Effect.succeed(port)))
  })
})

/** A temporary directory, removed when the scope closes. */
const tempDir = (prefix: string) =>
  Effect.acquireRelease(
    Effect.sync(() => mkdtempSync(join(tmpdir(), prefix))),
    (dir) => Effect.sync(() => rmSync(dir, { recursive: true, force: true }))
  )

/** Polls `url` until it answers 200, for up to 10 s; fails with what `server` printed otherwise. */
const untilReady = (url: string, server: Child, what: string) =>
  Effect.promise(async () => {
    for (let i = 0; i < 200; i++) {
      if (server.process.exitCode !== null) break
      const status = await fetch(url, { headers: { authorization: caller.key } }).then(
        async (r) => (await r.arrayBuffer(), r.status),
        () => 0
      )
      if (status === 200) return
      await new Promise((r) => setTimeout(r, 50))
    }
    throw new Error(`${what} did not answer 200 at ${url}: ${describe(server)}`)
  })

/** The bare Node proxy in a forked child (it inherits tsx's loader through `execArgv`); gives its base URL. */
const bareProxy = (upstream: Upstream) =>
  Effect.gen(function*() {
    const proxy = yield* child(() =>
      fork(bareProxyModule, [upstream.url], { stdio: ["ignore", "pipe", "pipe", "ipc"] })
    )
    const port = yield* Effect.async<number>((resume) => {
      proxy.process.once("message", (m) => resume(Effect.succeed((m as { port: number }).port)))
    })
    const url = `http://127.0.0.1:${port}`
    yield* untilReady(url + agentsPath, proxy, "the bare proxy")
    return { url, child: proxy } satisfies Server
  })

/** The nginx binary, when installed (`/usr/sbin` is not on every user's `PATH`). */
const findNginx = (): string | undefined =>
  ["nginx", "/usr/sbin/nginx"].find((bin) => spawnSync(bin, ["-v"], { stdio: "ignore" }).error === undefined)

/** A minimal reverse proxy: one worker, no master, kept-alive upstream connections, every path written in `dir`. */
const nginxConf = (dir: string, port: number, upstream: Upstream) => `
daemon off;
master_process off;
worker_processes 1;
error_log stderr warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream tiny {
    server ${new URL(upstream.url).host};
    keepalive 32;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://tiny;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
`

/** nginx in front of the upstream; gives its base URL. */
const nginx = (bin: string, upstream: Upstream) =>
  Effect.gen(function*() {
    const dir = yield* tempDir("bench-nginx-")
    const port = yield* freePort
    writeFileSync(join(dir, "nginx.conf"), nginxConf(dir, port, upstream))
    const server = yield* child(() => spawn(bin, ["-p", dir, "-c", join(dir, "nginx.conf"), "-e", "stderr"]))
    const url = `http://127.0.0.1:${port}`
    yield* untilReady(url + agentsPath, server, "nginx")
    return { url, child: server } satisfies Server
  })

/**
 * The gateway binary as an operator runs it, with the environment variable names its tests use: a budget that
 * never limits, per-request log lines off, and `cacheTtl` for the agents group (`0 millis` turns caching off).
 */
const gateway = (upstream: Upstream, cacheTtl: string) =>
  Effect.gen(function*() {
    const dir = yield* tempDir("bench-gateway-")
    const keysFile = join(dir, "keys.json")
    writeFileSync(keysFile, JSON.stringify([caller]))
    const port = yield* freePort
    const env = {
      PATH: process.env["PATH"] ?? "",
      DIXA_API_KEY: dixaToken,
      DIXA_BASE_URL: upstream.url,
      GATEWAY_PORT: String(port),
      GATEWAY_KEYS_FILE: keysFile,
      GATEWAY_RATE_PER_SECOND: "1000000",
      GATEWAY_RATE_BURST: "1000000",
      GATEWAY_CACHE_TTL: cacheTtl,
      GATEWAY_CACHE_GROUPS: "agents",
      GATEWAY_LOG_LEVEL: "warning"
    }
    const server = yield* child(() => spawn(process.execPath, [gatewayMain], { env }))
    const url = `http://127.0.0.1:${port}`
    yield* untilReady(`${url}/healthz`, server, "the gateway")
    return { url, child: server } satisfies Server
  })

// ---------------------------------------------------------------------------------------------------------------
// Measuring

/** What is measured, each a URL on its own server (the two gateway paths share the uncached gateway). */
const targets = ["upstream", "proxy", "nginx", "uncached", "cached", "healthz"] as const
type Target = typeof targets[number]
/** Each target's server, its URL the one wrk loads; `undefined` for nginx when it is not installed. */
type Urls = Record<Target, Server | undefined>

const at = (server: Server, path: string): Server => ({ ...server, url: server.url + path })

/** Every server at once, so that the rounds can alternate between them; nginx is `undefined` when not installed. */
const startAll = (upstream: Upstream, nginxBin: string | undefined) =>
  Effect.gen(function*() {
    const uncached = yield* gateway(upstream, "0 millis")
    return {
      upstream: { url: upstream.url + agentsPath },
      proxy: at(yield* bareProxy(upstream), agentsPath),
      nginx: nginxBin === undefined ? undefined : at(yield* nginx(nginxBin, upstream), agentsPath),
      uncached: at(uncached, agentsPath),
      cached: at(yield* gateway(upstream, "60 minutes"), agentsPath),
      healthz: at(uncached, "/healthz")
    } satisfies Urls
  })

/** One target's figures over every round: the best throughput and median, the failures added up. */
interface Measured {
  /** The best requests per second of the 16-connection runs. */
  readonly rps: number
  /** The lowest median latency of the one-connection runs, in milliseconds. */
  readonly p50: number
  readonly requests: number
  readonly non2xx: number
  readonly socketErrors: number
  /** How many requests reached the tiny upstream while this target was measured. */
  readonly upstreamRequests: number
}

interface Options {
  /** How many times every target is measured, in turn; each figure is the best of its rounds. */
  readonly rounds: number
  /** Length of each 16-connection run. */
  readonly seconds: number
  /** Length of each one-connection run. */
  readonly singleSeconds: number
}

/** One wrk run against `target`; when it fails, the message says which target, and how its server is doing. */
const wrk = (target: Target, server: Server, connections: number, threads: number, seconds: number) =>
  Wrk.run({ url: server.url, connections, threads, seconds, headers: authorization }).catch((e: Error) => {
    throw new Error(`measuring ${target}: ${e.message}${server.child ? `\n${describe(server.child)}` : ""}`)
  })

/** One round of one target: the 16-connection run, then the one-connection run, folded into what came before. */
const round = async (
  [target, server]: readonly [Target, Server],
  upstream: Upstream,
  options: Options,
  before?: Measured
): Promise<Measured> => {
  const served = upstream.served()
  const load = await wrk(target, server, 16, 2, options.seconds)
  const single = await wrk(target, server, 1, 1, options.singleSeconds)
  return {
    rps: Math.max(before?.rps ?? 0, load.requestsPerSecond),
    p50: Math.min(before?.p50 ?? Infinity, single.p50Millis),
    requests: (before?.requests ?? 0) + load.requests + single.requests,
    non2xx: (before?.non2xx ?? 0) + load.non2xx + single.non2xx,
    socketErrors: (before?.socketErrors ?? 0) + load.socketErrors + single.socketErrors,
    upstreamRequests: (before?.upstreamRequests ?? 0) + upstream.served() - served
  }
}

/**
 * A 1 s warm-up of every target (connections, JIT, the cache's first entry), then the rounds, each going through
 * every target in turn, so that a burst of other work on the machine spoils one round of one target, not a whole
 * figure (the best of the rounds is kept).
 */
const measureAll = (urls: Urls, upstream: Upstream, options: Options) =>
  Effect.promise(async () => {
    const live = targets.flatMap((t) => (urls[t] === undefined ? [] : [[t, urls[t]] as const]))
    for (const [target, server] of live) await wrk(target, server, 16, 2, 1)
    const runs: Partial<Record<Target, Measured>> = {}
    for (let i = 0; i < options.rounds; i++) {
      for (const one of live) runs[one[0]] = await round(one, upstream, options, runs[one[0]])
    }
    return runs
  })

// ---------------------------------------------------------------------------------------------------------------
// Results

interface Runs extends Record<Exclude<Target, "nginx">, Measured> {
  readonly nginx: Measured | undefined
}

const rps = (m: Measured) => Math.round(m.rps)
const p50 = (m: Measured) => m.p50.toFixed(3)

/** The 4xx/5xx answers and socket errors of the targets named, as one detail; empty when there were none. */
const failures = (involved: Partial<Record<Target, Measured>>): string =>
  Object.entries(involved).flatMap(([name, m]) => [
    ...(m.non2xx > 0 ? [`${name}:${m.non2xx}-non-2xx`] : []),
    ...(m.socketErrors > 0 ? [`${name}:${m.socketErrors}-socket-errors`] : [])
  ]).join(",")

/** A result whose goal holds only when none of the targets it is made of had a failure. */
const result = (
  fields: Omit<Result, "met" | "details"> & { readonly holds: boolean },
  involved: Partial<Record<Target, Measured>>,
  details: Record<string, string | number>
): Result => {
  const failed = failures(involved)
  const { holds, ...rest } = fields
  return { ...rest, met: holds && failed === "", details: { ...details, failures: failed || "none" } }
}

const nginxNote = "skipped, not installed (apt-get install -y nginx)"

const throughput = (runs: Runs, which: "uncached" | "cached", goal: number, context: object): Result => {
  const ratio = runs[which].rps / runs.proxy.rps
  return result(
    {
      name: `gateway throughput, ${which} (gateway rps / bare Node proxy rps, wrk 16 connections)`,
      ratio,
      goal: `>= ${goal}`,
      holds: ratio >= goal
    },
    { [which]: runs[which], proxy: runs.proxy },
    {
      "gateway rps": rps(runs[which]),
      "bare proxy rps": rps(runs.proxy),
      "nginx rps": runs.nginx === undefined ? nginxNote : rps(runs.nginx),
      "upstream direct rps": rps(runs.upstream),
      "gateway requests": runs[which].requests,
      "upstream requests": runs[which].upstreamRequests,
      ...context
    }
  )
}

const addedLatency = (runs: Runs): Result => {
  const direct = runs.upstream.p50
  const ratio = (runs.uncached.p50 - direct) / (runs.proxy.p50 - direct)
  return result(
    {
      name: "gateway added p50 latency at 1 connection ((gateway - upstream) / (bare proxy - upstream), uncached)",
      ratio,
      goal: "<= 2",
      holds: ratio >= 0 && ratio <= 2
    },
    { uncached: runs.uncached, proxy: runs.proxy, upstream: runs.upstream },
    {
      "upstream direct p50 ms": p50(runs.upstream),
      "bare proxy p50 ms": p50(runs.proxy),
      "nginx p50 ms": runs.nginx === undefined ? nginxNote : p50(runs.nginx),
      "gateway p50 ms": p50(runs.uncached),
      "gateway cached p50 ms": p50(runs.cached)
    }
  )
}

const healthz = (runs: Runs): Result =>
  result(
    {
      name: "gateway /healthz, for information (gateway rps / bare node:http upstream rps)",
      ratio: runs.healthz.rps / runs.upstream.rps,
      goal: "none, information",
      holds: true
    },
    { healthz: runs.healthz },
    { "healthz rps": rps(runs.healthz), "healthz p50 ms": p50(runs.healthz), "upstream direct rps": rps(runs.upstream) }
  )

/** The whole comparison; fails before starting anything when `wrk` or the built gateway is missing. */
export const gatewayThroughput = (options: Options): Effect.Effect<ReadonlyArray<Result>, Error> =>
  Effect.scoped(Effect.gen(function*() {
    if (!Wrk.available()) return yield* Effect.fail(new Error("wrk is not installed: apt-get install -y wrk"))
    if (!existsSync(gatewayMain)) {
      return yield* Effect.fail(new Error(`${gatewayMain} is missing: run \`pnpm build\` first`))
    }
    // How busy the machine already was: the floors and the gateway share its cores with whatever else runs.
    const context = { cpus: availableParallelism(), "load avg at start": loadavg()[0]!.toFixed(2), ...options }
    const upstream = yield* tinyUpstream
    // Every target but nginx always has a server, so only nginx may be missing from what was measured.
    const runs = (yield* measureAll(yield* startAll(upstream, findNginx()), upstream, options)) as Runs
    return [
      throughput(runs, "uncached", 0.3, context),
      throughput(runs, "cached", 0.4, {}),
      addedLatency(runs),
      healthz(runs)
    ]
  }))
