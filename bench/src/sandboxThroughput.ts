/**
 * The sandbox's own throughput for `GET /beta/agents/{id}` (rate limit off), against a bare `node:http` server
 * answering the very bytes the sandbox answered, measured in the same run: what serving through the platform's
 * router, the middleware, the codec and the store costs per request. Both servers live in this process (idle while
 * wrk, another process, runs) and are measured in turn, round after round; each figure is the best of its rounds.
 * Information only: there is no goal.
 */
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import { createServer } from "node:http"
import { availableParallelism, loadavg } from "node:os"
import type { Result } from "./report.js"
import * as Wrk from "./wrk.js"

const authorization = "bench-key"

interface Options {
  /** How many times each server is measured, in turn. */
  readonly rounds: number
  /** Length of each wrk run. */
  readonly seconds: number
}

/** One agent's path and the sandbox's answer for it, read once. */
const sampleAnswer = (url: string) =>
  Effect.promise(async () => {
    const headers = { authorization }
    const list = (await (await fetch(`${url}/beta/agents?pageLimit=1`, { headers })).json()) as {
      data: Array<{ id: string }>
    }
    const path = `/beta/agents/${list.data[0]!.id}`
    const answer = await fetch(url + path, { headers })
    if (answer.status !== 200) throw new Error(`the sandbox answered ${answer.status} for ${path}`)
    return { path, body: Buffer.from(await answer.arrayBuffer()) }
  })

/** A bare `node:http` server answering every request with `body`, until the scope closes. */
const bareServer = (body: Buffer) =>
  Effect.acquireRelease(
    Effect.async<{ url: string; close: () => void }>((resume) => {
      const server = createServer((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": body.length }).end(body)
      })
      server.listen(0, "127.0.0.1", () => {
        const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`
        resume(Effect.succeed({ url, close: () => (server.close(), server.closeAllConnections()) }))
      })
    }),
    ({ close }) => Effect.sync(close)
  )

interface Measured {
  readonly rps: number
  readonly p50: number
  readonly failures: number
}

const load = (url: string, seconds: number) =>
  Wrk.run({ url, connections: 16, threads: 2, seconds, headers: [`Authorization: ${authorization}`] })

/** A 1 s warm-up of each, then the rounds alternating between the two; the best throughput of each is kept. */
const measure = (urls: { readonly sandbox: string; readonly bare: string }, options: Options) =>
  Effect.promise(async () => {
    const best: Record<string, Measured> = {}
    for (const url of Object.values(urls)) await load(url, 1)
    for (let i = 0; i < options.rounds; i++) {
      for (const [name, url] of Object.entries(urls)) {
        const report = await load(url, options.seconds)
        const before = best[name]
        best[name] = {
          rps: Math.max(before?.rps ?? 0, report.requestsPerSecond),
          p50: Math.min(before?.p50 ?? Infinity, report.p50Millis),
          failures: (before?.failures ?? 0) + report.non2xx + report.socketErrors
        }
      }
    }
    return best as Record<keyof typeof urls, Measured>
  })

/** The comparison; fails before starting anything when `wrk` is missing. */
export const sandboxThroughput = (options: Options): Effect.Effect<Result, Error> =>
  Effect.scoped(Effect.gen(function*() {
    if (!Wrk.available()) return yield* Effect.fail(new Error("wrk is not installed: apt-get install -y wrk"))
    const context = { cpus: availableParallelism(), "load avg at start": loadavg()[0]!.toFixed(2), ...options }
    const sandbox = yield* Effect.orDie(Sandbox.start({ rateLimit: false }))
    const { body, path } = yield* sampleAnswer(sandbox.url)
    const bare = yield* bareServer(body)
    const runs = yield* measure({ sandbox: sandbox.url + path, bare: bare.url + path }, options)
    const failures = runs.sandbox.failures + runs.bare.failures
    return {
      name: "sandbox throughput, GET /beta/agents/{id} (sandbox rps / bare node:http rps, wrk 16 connections)",
      ratio: runs.sandbox.rps / runs.bare.rps,
      goal: "none, report",
      met: failures === 0,
      details: {
        "sandbox rps": Math.round(runs.sandbox.rps),
        "bare rps": Math.round(runs.bare.rps),
        "sandbox p50 ms": runs.sandbox.p50.toFixed(3),
        "bare p50 ms": runs.bare.p50.toFixed(3),
        "body bytes": body.length,
        failures,
        ...context
      }
    } satisfies Result
  }))
