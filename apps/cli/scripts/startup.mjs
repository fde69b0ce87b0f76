// Measures cold start: the median and the fastest wall time (the fastest is the steadier figure on a
// busy machine) of `node dist/dixa.cjs --help` against `node -e ''`.
// Usage: node scripts/startup.mjs [runs] [-- extra dixa args]
import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const bin = path.resolve(here, "..", "dist", "dixa.cjs")
const runs = Number(process.argv[2] ?? 15)
const extra = process.argv.indexOf("--") > 0 ? process.argv.slice(process.argv.indexOf("--") + 1) : ["--help"]

const median = (args) => {
  const times = []
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint()
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "ignore"] })
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
    if (r.status !== 0 && args.length > 2) throw new Error(`exit ${r.status}`)
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)], min: times[0] }
}

const base = median(["-e", ""])
const cli = median([bin, ...extra])
for (const k of ["median", "min"]) {
  console.log(
    `${k}: node -e '' ${base[k].toFixed(1)} ms, dixa ${extra.join(" ")} ${cli[k].toFixed(1)} ms, ratio ${
      (cli[k] / base[k]).toFixed(2)
    }`
  )
}
