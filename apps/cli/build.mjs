// Bundles the CLI into one file, dist/dixa.cjs, with the workspace packages taken from their
// TypeScript sources (the `source` export condition).
import * as esbuild from "esbuild"
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))
const outfile = path.join(here, "dist", "dixa.cjs")
const sandboxEntry = path.resolve(here, "../../packages/sandbox/src/index.ts")

// While the sandbox package has no entry point yet, `--sandbox` fails with a clear message.
const missingSandbox = {
  name: "missing-sandbox",
  setup(build) {
    build.onResolve({ filter: /^@org\/dixa-sandbox$/ }, () =>
      fs.existsSync(sandboxEntry) ? undefined : { path: "dixa-sandbox-missing", namespace: "stub" })
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: "const fail = () => { throw new Error('this build has no sandbox') }\n" +
        "export const start = fail\nexport const serveMain = fail\n",
      loader: "js"
    }))
  }
}

const result = await esbuild.build({
  entryPoints: [path.join(here, "src", "bin.ts")],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  conditions: ["source"],
  minify: true,
  legalComments: "none",
  banner: { js: "#!/usr/bin/env node" },
  metafile: true,
  logLevel: "warning",
  plugins: [missingSandbox]
})
fs.chmodSync(outfile, 0o755)
if (process.argv.includes("--analyze")) {
  console.log(await esbuild.analyzeMetafile(result.metafile))
}
console.log(`wrote ${path.relative(process.cwd(), outfile)} (${Math.round(fs.statSync(outfile).size / 1024)} KiB)`)
