// Bundles the CLI into one file, dist/dixa.cjs, with the workspace packages taken from their
// TypeScript sources (the `source` export condition).
import * as esbuild from "esbuild"
import { execFileSync } from "node:child_process"
import { createHash } from "node:crypto"
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
    build.onResolve(
      { filter: /^@org\/dixa-sandbox$/ },
      () => fs.existsSync(sandboxEntry) ? undefined : { path: "dixa-sandbox-missing", namespace: "stub" }
    )
    build.onLoad({ filter: /.*/, namespace: "stub" }, () => ({
      contents: "const fail = () => { throw new Error('this build has no sandbox') }\n" +
        "export const start = fail\nexport const serveMain = fail\n",
      loader: "js"
    }))
  }
}

// The catalog of groups and actions, computed now from the definition, so that the bundle does not
// build every operation's schemas on start: each group's module is loaded when one of its actions runs.
const coreSrc = path.resolve(here, "../../packages/core/src")
const groupModules = fs.readdirSync(path.join(coreSrc, "api")).filter((f) => f.endsWith(".ts")).map((f) =>
  f.slice(0, -3)
)
const describeScript = await esbuild.build({
  stdin: {
    contents: [
      `import * as Api from "@org/dixa-core/Api"`,
      `import { describe } from "./src/ApiCatalog.ts"`,
      ...groupModules.map((m, i) => `import * as M${i} from "@org/dixa-core/api/${m}"`),
      `const modules = {}`,
      ...groupModules.map((m, i) =>
        `for (const v of Object.values(M${i})) if (Api.groups.includes(v)) modules[v.name] = ${JSON.stringify(m)}`
      ),
      `process.stdout.write(JSON.stringify({ groups: describe(Api.groups), modules }))`
    ].join("\n"),
    resolveDir: here,
    loader: "ts"
  },
  write: false,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  conditions: ["source"],
  logLevel: "warning"
})
const described = JSON.parse(
  execFileSync(process.execPath, ["-"], { input: describeScript.outputFiles[0].text, encoding: "utf8" })
)
const catalogModule = [
  `import { find } from "./Catalog.js"`,
  `const loaders = {`,
  ...Object.entries(described.modules).map(([group, m]) =>
    `  ${JSON.stringify(group)}: () => import("@org/dixa-core/api/${m}"),`
  ),
  `}`,
  `export const catalog = {`,
  `  groups: ${JSON.stringify(described.groups)},`,
  `  load: async (group, action) => {`,
  `    const load = loaders[group]`,
  `    const endpoint = load ? find(Object.values(await load()), group, action) : undefined`,
  `    if (endpoint === undefined) throw new Error("unknown action " + group + " " + action)`,
  `    return endpoint`,
  `  }`,
  `}`
].join("\n")
const buildTimeCatalog = {
  name: "build-time-catalog",
  setup(build) {
    build.onResolve({ filter: /^\.\/ApiCatalog\.js$/ }, () => ({ path: "api-catalog", namespace: "catalog" }))
    build.onLoad({ filter: /.*/, namespace: "catalog" }, () => ({
      contents: catalogModule,
      loader: "js",
      resolveDir: path.join(here, "src")
    }))
  }
}

const result = await esbuild.build({
  entryPoints: [path.join(here, "src", "bin.ts")],
  write: false,
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  conditions: ["source"],
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
  // A native module (the sandbox's SQLite driver): loaded at run time from the CLI's own dependencies.
  external: ["better-sqlite3"],
  plugins: [missingSandbox, buildTimeCatalog]
})
const bundle = result.outputFiles[0].text

// The shipped file is a small loader with the bundle inside as a string. The loader compiles it with
// `vm.Script` and a V8 code cache kept in the user's cache directory (as v8-compile-cache does), so a
// second start skips most of the parsing and compiling. Without a usable cache it simply compiles.
const hash = createHash("sha256").update(bundle).digest("hex").slice(0, 16)
const loader = `#!/usr/bin/env node
"use strict"
const fs = require("fs"), path = require("path"), os = require("os"), vm = require("vm")
const source = ${JSON.stringify(`(function (exports, require, module, __filename, __dirname) {${bundle}\n})`)}
const env = process.env
const dir = env.DIXA_CACHE_DIR || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "dixa")
const file = path.join(dir, "code-${hash}-" + process.version + ".cache")
let cachedData
if (env.DIXA_NO_CODE_CACHE === undefined) {
  try { cachedData = fs.readFileSync(file) } catch {}
}
const script = new vm.Script(source, cachedData ? { filename: __filename, cachedData } : { filename: __filename })
if (env.DIXA_NO_CODE_CACHE === undefined && (cachedData === undefined || script.cachedDataRejected)) {
  process.once("exit", () => {
    try {
      fs.mkdirSync(dir, { recursive: true })
      const tmp = file + "." + process.pid
      fs.writeFileSync(tmp, script.createCachedData())
      fs.renameSync(tmp, file)
      // Caches of other builds or Node versions are of no further use.
      for (const f of fs.readdirSync(dir)) {
        if (/^code-.*\\.cache$/.test(f) && path.join(dir, f) !== file) fs.rmSync(path.join(dir, f), { force: true })
      }
    } catch {}
  })
}
script.runInThisContext()(exports, require, module, __filename, __dirname)
`
fs.mkdirSync(path.dirname(outfile), { recursive: true })
fs.writeFileSync(outfile, loader)
fs.chmodSync(outfile, 0o755)
if (process.argv.includes("--analyze")) {
  console.log(await esbuild.analyzeMetafile(result.metafile))
}
console.log(`wrote ${path.relative(process.cwd(), outfile)} (${Math.round(fs.statSync(outfile).size / 1024)} KiB)`)
