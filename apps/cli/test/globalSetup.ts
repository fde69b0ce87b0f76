// Builds dist/dixa.cjs before the tests when it is missing or older than the sources it bundles.
import { execFileSync } from "node:child_process"
import * as fs from "node:fs"
import * as path from "node:path"

const root = path.resolve(import.meta.dirname, "..")
const bundle = path.join(root, "dist", "dixa.cjs")
const sources = [
  path.join(root, "src"),
  path.join(root, "build.mjs"),
  ...["core", "sandbox"].map((p) => path.resolve(root, "../../packages", p, "src"))
]

const newest = (file: string): number => {
  if (!fs.existsSync(file)) return 0
  const stat = fs.statSync(file)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...fs.readdirSync(file).map((entry) => newest(path.join(file, entry))))
}

export default function setup() {
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0
  if (built === 0 || Math.max(...sources.map(newest)) > built) {
    execFileSync(process.execPath, [path.join(root, "build.mjs")], { cwd: root, stdio: "inherit" })
  }
}
