// The published packages as an outside project meets them: `pnpm pack` of @org/dixa-core and @org/dixa-sandbox
// (as built by `pnpm build`, which turbo runs first), a fresh npm project outside the repository that installs the
// two tarballs beside the latest Effect 3 releases with plain `npm install`, then tsc under NodeNext and Bundler
// resolution, the sample program under node against a sandbox from the installed package, and a vitest suite with a
// stubbed group. The sample project is test/fixture; set KEEP_PACKAGE_TEST=1 to keep the temporary directory.
import { spawn } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as BinaryMirror from "./binaryMirror.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, "../../..")
const fixture = path.join(here, "fixture")
const packages = { core: path.join(repo, "packages/core"), sandbox: path.join(repo, "packages/sandbox") }
const pnpm = path.join(repo, "node_modules/pnpm/bin/pnpm.cjs")

const minutes = (n: number) => n * 60_000

// An outside user's environment: nothing pnpm or vitest set for this run (npm_config_*, npm_package_*, VITEST_*...)
// leaks into npm, tsc, node or the inner vitest, except the registry; no colours, so that output can be matched.
const env: Record<string, string | undefined> = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) =>
      key === "npm_config_registry" || !/^(npm_|VITEST|TEST$|NODE_ENV$|NODE_OPTIONS$|INIT_CWD$|FORCE_COLOR$)/.test(key)
    )
  ),
  NO_COLOR: "1"
}

interface Run {
  readonly what: string
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

// Asynchronous on purpose: a synchronous child process blocks this worker's event loop for minutes, and vitest's
// own messages to the worker time out.
const run = (
  what: string,
  command: string,
  args: ReadonlyArray<string>,
  cwd: string,
  timeout = minutes(4)
): Promise<Run> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => stdout += chunk)
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => stderr += chunk)
    const timer = setTimeout(() => {
      stderr += `\n(killed after ${timeout / 1000} s)`
      child.kill("SIGKILL")
    }, timeout)
    child.on("error", (error) => stderr += `\n${error.message}`)
    child.on("close", (status) => {
      clearTimeout(timer)
      resolve({ what, status, stdout, stderr })
    })
  })

/** What to show when a step fails: the command, its exit status and the end of its output. */
const report = (r: Run) => {
  const tail = (text: string) => text.length > 6000 ? `...${text.slice(-6000)}` : text
  return `${r.what} exited with ${r.status}\n--- stdout ---\n${tail(r.stdout)}\n--- stderr ---\n${tail(r.stderr)}`
}

/** Every installed copy of a package in a project's tree (nested node_modules included). */
const copiesOf = (root: string, name: string): Array<string> => {
  const found: Array<string> = []
  const walk = (dir: string) => {
    const modules = path.join(dir, "node_modules")
    if (!fs.existsSync(modules)) return
    if (fs.existsSync(path.join(modules, name, "package.json"))) {
      found.push(path.relative(root, path.join(modules, name)))
    }
    for (const entry of fs.readdirSync(modules)) {
      if (entry.startsWith(".")) continue
      const scoped = entry.startsWith("@") ? fs.readdirSync(path.join(modules, entry)).map((s) => `${entry}/${s}`) : [
        entry
      ]
      for (const pkg of scoped) walk(path.join(modules, pkg))
    }
  }
  walk(root)
  return found
}

const tsconfig = (compilerOptions: Record<string, unknown>, include = ["src", "test"]) =>
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        lib: ["ES2022"],
        types: ["node"],
        strict: true,
        skipLibCheck: false,
        // Reports the inferred types of exports that cannot be named from outside the packages (TS2742).
        declaration: true,
        noEmit: true,
        ...compilerOptions
      },
      include
    },
    null,
    2
  ) + "\n"

let work: string
let project: string
let mirror: BinaryMirror.Mirror | undefined
const tarballs = { core: "", sandbox: "" }

beforeAll(async () => {
  for (const [name, dir] of Object.entries(packages)) {
    if (!fs.existsSync(path.join(dir, "dist/index.js"))) {
      throw new Error(`${name} is not built (no ${dir}/dist/index.js): run \`pnpm build\` first`)
    }
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), "dixa-package-test-"))
  project = path.join(work, "project")
  mirror = await BinaryMirror.start(repo, path.join(work, "mirror"))
  if (mirror !== undefined) env["npm_config_better_sqlite3_binary_host"] = mirror.url
  for (const [name, dir] of Object.entries(packages) as Array<[keyof typeof packages, string]>) {
    const packed = await run(`pnpm pack (${name})`, process.execPath, [pnpm, "pack", "--pack-destination", work], dir)
    if (packed.status !== 0) throw new Error(report(packed))
    const tarball = fs.readdirSync(work).find((f) => f.startsWith(`org-dixa-${name}-`) && f.endsWith(".tgz"))
    if (tarball === undefined) throw new Error(`pnpm pack wrote no tarball for ${name}\n${report(packed)}`)
    tarballs[name] = tarball
  }

  fs.cpSync(fixture, project, { recursive: true })
  const manifest = {
    name: "dixa-package-test-project",
    version: "0.0.0",
    private: true,
    type: "module",
    scripts: { build: "tsc -p tsconfig.build.json", test: "vitest run" },
    dependencies: {
      "@org/dixa-core": `file:../${tarballs.core}`,
      "@org/dixa-sandbox": `file:../${tarballs.sandbox}`,
      "@effect/platform": "<0.98",
      "@effect/platform-node": "<0.109",
      effect: "^3"
    },
    devDependencies: {
      "@effect/vitest": "0.30.x",
      "@types/node": "20",
      typescript: "5.9.3",
      vitest: "3.2.x"
    }
  }
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify(manifest, null, 2) + "\n")
  fs.writeFileSync(
    path.join(project, "tsconfig.nodenext.json"),
    tsconfig({ module: "NodeNext", moduleResolution: "NodeNext" })
  )
  fs.writeFileSync(
    path.join(project, "tsconfig.bundler.json"),
    tsconfig({ module: "ESNext", moduleResolution: "Bundler" })
  )
  fs.writeFileSync(
    path.join(project, "tsconfig.build.json"),
    tsconfig({ module: "NodeNext", moduleResolution: "NodeNext", noEmit: false, rootDir: "src", outDir: "dist" }, [
      "src"
    ])
  )
}, minutes(2))

afterAll(() => {
  mirror?.close()
  if (work === undefined) return
  if (process.env.KEEP_PACKAGE_TEST) console.log(`package test project kept in ${project}`)
  else fs.rmSync(work, { recursive: true, force: true })
})

/** The manifest as packed. */
const packedManifest = async (name: keyof typeof packages) => {
  const r = await run("tar", "tar", ["-xzOf", tarballs[name], "package/package.json"], work)
  expect(r.status, report(r)).toBe(0)
  return JSON.parse(r.stdout) as Record<string, any>
}

const packedFiles = async (name: keyof typeof packages) => {
  const r = await run("tar", "tar", ["-tzf", tarballs[name]], work)
  expect(r.status, report(r)).toBe(0)
  return r.stdout.split("\n").filter((line) => line !== "").map((line) => line.replace(/^package\//, ""))
}

describe("the packed packages, used from an npm project", () => {
  it("pack with their licence, declaration maps and peer ranges, without the bin script", async () => {
    const coreFiles = await packedFiles("core")
    expect(coreFiles).toEqual(expect.arrayContaining(["LICENSE", "README.md", "dist/index.js", "dist/index.d.ts.map"]))
    expect(coreFiles.filter((f) => f.includes("bin/"))).toEqual([])
    expect(await packedFiles("sandbox")).toEqual(expect.arrayContaining(["LICENSE", "README.md", "dist/index.js"]))

    const core = await packedManifest("core")
    const sandbox = await packedManifest("sandbox")
    expect(core.peerDependencies).toEqual({
      "@effect/platform": expect.stringMatching(/^\^0\.97\./),
      effect: expect.stringMatching(/^\^3\./)
    })
    expect(core.dependencies ?? {}).toEqual({})
    expect(sandbox.dependencies).toEqual({
      "@effect/sql-sqlite-node": expect.stringMatching(/^\^0\.53\./),
      "@org/dixa-core": `^${core.version}`
    })
    expect(sandbox.peerDependencies).toEqual({
      ...core.peerDependencies,
      "@effect/platform-node": expect.stringMatching(/^\^0\.108\./),
      "@effect/sql": expect.stringMatching(/^\^0\.52\./)
    })
    expect(Object.keys(core.exports).filter((k) => k.includes("bin") || k.includes("*"))).toEqual([])
  })

  it("install with plain npm: no ERESOLVE, no peer warning, one copy of effect and @effect/platform", async () => {
    // Long if npm has to compile the sandbox's SQLite driver (better-sqlite3): the binary mirror spares that.
    const install = await run("npm install", "npm", ["install"], project, minutes(8))
    expect(install.status, report(install)).toBe(0)
    const output = install.stdout + install.stderr
    expect(output, report(install)).not.toMatch(/ERESOLVE/)
    const peerWarnings = output.split("\n").filter((line) => /npm warn/i.test(line) && /peer/i.test(line))
    expect(peerWarnings, report(install)).toEqual([])

    const single = ["effect", "@effect/platform", "@effect/sql", "@org/dixa-core"]
    const ls = await run("npm ls", "npm", ["ls", ...single, "--all"], project)
    expect(ls.status, report(ls)).toBe(0)
    for (const name of single) {
      expect(copiesOf(project, name), `copies of ${name}\n${ls.stdout}`).toEqual([`node_modules/${name}`])
    }
  }, minutes(9))

  const tsc = path.join("node_modules", "typescript", "bin", "tsc")

  it("type-check with module NodeNext, strict, skipLibCheck false", async () => {
    const r = await run(
      "tsc -p tsconfig.nodenext.json",
      process.execPath,
      [tsc, "-p", "tsconfig.nodenext.json"],
      project
    )
    expect(r.status, report(r)).toBe(0)
  }, minutes(2))

  it("type-check with module ESNext and Bundler resolution, strict, skipLibCheck false", async () => {
    const r = await run("tsc -p tsconfig.bundler.json", process.execPath, [tsc, "-p", "tsconfig.bundler.json"], project)
    expect(r.status, report(r)).toBe(0)
  }, minutes(2))

  it("load every exported subpath under node, and refuse the unexported bin script", async () => {
    const subpaths = Object.keys((await packedManifest("core")).exports).map((k) => `@org/dixa-core${k.slice(1)}`)
    const script = [
      `const subpaths = ${JSON.stringify([...subpaths, "@org/dixa-sandbox"])}`,
      `for (const s of subpaths) await import(s)`,
      `const refused = await import("@org/dixa-core/bin/openapi").then(() => "loaded", (e) => e.code)`,
      `console.log(JSON.stringify({ loaded: subpaths.length, refused }))`
    ].join("\n")
    const r = await run("node (imports)", process.execPath, ["--input-type=module", "-e", script], project, minutes(1))
    expect(r.status, report(r)).toBe(0)
    expect(JSON.parse(r.stdout.trim())).toEqual({
      loaded: subpaths.length + 1,
      refused: "ERR_PACKAGE_PATH_NOT_EXPORTED"
    })
  }, minutes(2))

  it("compile the sample and run it with node against a sandbox from the installed package", async () => {
    const build = await run("tsc -p tsconfig.build.json", process.execPath, [tsc, "-p", "tsconfig.build.json"], project)
    expect(build.status, report(build)).toBe(0)
    const sample = await run("node dist/main.js", process.execPath, ["dist/main.js"], project, minutes(1))
    expect(sample.status, report(sample)).toBe(0)
    const lastLine = sample.stdout.trim().split("\n").at(-1) ?? ""
    let result: Record<string, any>
    try {
      result = JSON.parse(lastLine)
    } catch {
      throw new Error(`the sample printed no JSON line\n${report(sample)}`)
    }
    expect(result, report(sample)).toMatchObject({
      firstPage: 5,
      hasNextPage: true,
      created: "Package test",
      unknown: null
    })
    expect(result.agents, report(sample)).toBeGreaterThan(12)
    expect(result.distinctAgents, report(sample)).toBe(result.agents)
    expect(result.tags, report(sample)).toContain("Package test")
    expect(result.requests, report(sample)).toBeGreaterThanOrEqual(5)
  }, minutes(3))

  it("run the project's own vitest suite: the Tags group stubbed, then a sandbox on the TestClock", async () => {
    const vitest = path.join("node_modules", "vitest", "vitest.mjs")
    const r = await run("vitest run", process.execPath, [vitest, "run"], project, minutes(3))
    expect(r.status, report(r)).toBe(0)
    expect(r.stdout, report(r)).toMatch(/Tests\s+3 passed/)
  }, minutes(4))
})
