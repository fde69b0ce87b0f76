/** Cold start of `dixa --help` against bare `node -e ''`, alternating runs so both see the same machine state. */
import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { median, type Result } from "./report.js"

const bin = fileURLToPath(new URL("../../apps/cli/dist/dixa.cjs", import.meta.url))

const time = (args: ReadonlyArray<string>): number => {
  const started = performance.now()
  const run = spawnSync(process.execPath, args, { stdio: "ignore" })
  if (run.status !== 0) throw new Error(`node ${args.join(" ")} exited ${run.status}`)
  return performance.now() - started
}

export const coldStart = (runs: number): Result => {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run \`pnpm build\` first`)
  // One warm-up each: the first run fills the OS file cache (and the CLI's code cache, as a user's second run would).
  time(["-e", ""])
  time([bin, "--help"])
  const node: Array<number> = []
  const dixa: Array<number> = []
  for (let i = 0; i < runs; i++) {
    node.push(time(["-e", ""]))
    dixa.push(time([bin, "--help"]))
  }
  const ratio = median(dixa) / median(node)
  return {
    name: "cold start (dixa --help / node -e '')",
    ratio,
    goal: "<= 2.0",
    met: ratio <= 2.0,
    details: { runs, "dixa ms": median(dixa).toFixed(1), "node ms": median(node).toFixed(1) }
  }
}
