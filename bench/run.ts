/**
 * Runs the benchmarks: `pnpm bench` runs them all, `pnpm bench <name> ...` only those named
 * (pagination, concurrent-creates, concurrent-reads, cold-start, bundle-size, gateway-fan-in, gateway-overhead,
 * gateway-overhead-20ms, gateway-throughput, sandbox-throughput, replicas). Each prints the ratio to its same-run
 * baseline, one line per result (gateway-throughput and replicas have several); gateway-throughput and
 * sandbox-throughput need `wrk` installed, and gateway-throughput uses nginx when it is; replicas needs `redis-server`
 * and the built gateway.
 */
import * as Effect from "effect/Effect"
import { bundleSize } from "./src/bundleSize.js"
import { coldStart } from "./src/coldStart.js"
import { concurrent } from "./src/concurrent.js"
import { fanIn, overhead } from "./src/gateway.js"
import { gatewayThroughput } from "./src/gatewayThroughput.js"
import { pagination } from "./src/pagination.js"
import { replicas } from "./src/replicas.js"
import { print, type Result } from "./src/report.js"
import { sandboxThroughput } from "./src/sandboxThroughput.js"

const benches: Record<string, () => Promise<Result | ReadonlyArray<Result>>> = {
  pagination: () => Effect.runPromise(pagination({ agents: 1000, pageLimit: 10 })),
  "concurrent-creates": () => Effect.runPromise(concurrent({ kind: "creates", calls: 500 })),
  "concurrent-reads": () => Effect.runPromise(concurrent({ kind: "reads", calls: 500 })),
  "cold-start": async () => coldStart(15),
  "bundle-size": bundleSize,
  "gateway-fan-in": () => Effect.runPromise(fanIn({ perCaller: 10 })),
  "gateway-overhead": () => Effect.runPromise(overhead({ requests: 1000, upstreamLatencyMillis: 0 })),
  "gateway-overhead-20ms": () => Effect.runPromise(overhead({ requests: 200, upstreamLatencyMillis: 20 })),
  "gateway-throughput": () => Effect.runPromise(gatewayThroughput({ rounds: 2, seconds: 5, singleSeconds: 2 })),
  "sandbox-throughput": () => Effect.runPromise(sandboxThroughput({ rounds: 3, seconds: 5 })),
  replicas: () => Effect.runPromise(replicas({ seconds: 8 }))
}

const wanted = process.argv.slice(2).filter((a) => a !== "--")
const names = wanted.length > 0 ? wanted : Object.keys(benches)
for (const name of names) {
  const bench = benches[name]
  if (bench === undefined) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(benches).join(", ")}`)
    process.exit(2)
  }
  const results = await bench()
  for (const result of Array.isArray(results) ? results : [results]) print(result)
}
