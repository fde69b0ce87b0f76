/**
 * What a user who needs one operation ships: a program that only lists tags, importing `DixaClient` and `Tags` from
 * the package root, bundled with esbuild (minified ESM for node, effect and @effect/platform included), against the
 * same GET written by hand with effect and @effect/platform (Authorization from a redacted key, a timeout, retries,
 * a schema decode of the body). The package is bundled from its build, through its `exports` as a user resolves it,
 * so build it first. Both bundles are run once against a local server, so neither is measured broken.
 */
import * as esbuild from "esbuild"
import { execFile } from "node:child_process"
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs"
import * as fs from "node:fs/promises"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import type { Result } from "./report.js"

const nodeModules = fileURLToPath(new URL("../node_modules", import.meta.url))
const core = realpathSync(path.join(nodeModules, "@org/dixa-core"))

/** Both programs read the key and base URL from the environment and print the tags they get. */
const programs = {
  package: `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { DixaClient, Tags } from "@org/dixa-core"
import * as Effect from "effect/Effect"

const program = Effect.gen(function*() {
  const tags = yield* Tags.Tags
  return yield* tags.list()
})

program.pipe(
  Effect.provide(Tags.layer),
  Effect.provide(DixaClient.layerConfig()),
  Effect.provide(FetchHttpClient.layer),
  Effect.runPromise
).then((tags) => console.log(JSON.stringify(tags)))
`,
  handWritten: `
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Config from "effect/Config"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"

const Tag = Schema.Struct({
  id: Schema.String,
  name: Schema.String,
  color: Schema.optional(Schema.String),
  state: Schema.String
})
const TagsResponse = Schema.Struct({ data: Schema.Array(Tag) })

const program = Effect.gen(function*() {
  const apiKey = yield* Config.redacted("DIXA_API_KEY")
  const baseUrl = yield* Config.string("DIXA_BASE_URL").pipe(Config.withDefault("https://dev.dixa.io"))
  const client = (yield* HttpClient.HttpClient).pipe(
    HttpClient.filterStatusOk,
    HttpClient.transform((response, request) =>
      Effect.timeoutFail(response, {
        duration: "30 seconds",
        onTimeout: () => new HttpClientError.RequestError({ request, reason: "Transport", description: "timed out" })
      })
    ),
    HttpClient.retryTransient({ times: 4, schedule: Schedule.exponential("250 millis") })
  )
  const request = HttpClientRequest.get(baseUrl + "/beta/tags").pipe(
    HttpClientRequest.setHeader("authorization", Redacted.value(apiKey)),
    HttpClientRequest.acceptJson
  )
  const response = yield* client.execute(request)
  const body = yield* HttpClientResponse.schemaBodyJson(TagsResponse)(response)
  return body.data
})

program.pipe(Effect.provide(FetchHttpClient.layer), Effect.runPromise)
  .then((tags) => console.log(JSON.stringify(tags)))
`
} as const

interface Bundle {
  readonly file: string
  readonly bytes: number
  readonly gzip: number
  readonly metafile: esbuild.Metafile
}

const bundle = async (dir: string, name: string, source: string): Promise<Bundle> => {
  const entry = path.join(dir, `${name}.ts`)
  const file = path.join(dir, `${name}.mjs`)
  await fs.writeFile(entry, source)
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // The temp dir has no node_modules: packages resolve from the bench's, and through `exports` with the default
    // conditions (never `source`), as in a user's project.
    nodePaths: [nodeModules],
    absWorkingDir: dir,
    metafile: true,
    logLevel: "silent"
  })
  const contents = await fs.readFile(file)
  return { file, bytes: contents.length, gzip: gzipSync(contents, { level: 9 }).length, metafile: result.metafile }
}

const newest = (dir: string): number =>
  Math.max(
    ...readdirSync(dir, { withFileTypes: true }).map((e) =>
      e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs
    )
  )

/** A server answering the tags list to a request with the key, for running the bundles once. */
const tagsServer = async () => {
  const tags = [{ id: "6f1c3a52-36a5-4c5e-9a4e-2b1f0c1d9e7a", name: "vip", color: "#ff0000", state: "Active" }]
  const server = http.createServer((req, res) => {
    const ok = req.method === "GET" && req.url === "/beta/tags" && req.headers.authorization === "bench-key"
    res.writeHead(ok ? 200 : 400, { "content-type": "application/json" })
    res.end(JSON.stringify(ok ? { data: tags } : { message: `unexpected ${req.method} ${req.url}` }))
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    expected: JSON.stringify(tags),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

const run = (file: string, baseUrl: string): Promise<string> =>
  new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [file],
      { env: { ...process.env, DIXA_API_KEY: "bench-key", DIXA_BASE_URL: baseUrl }, timeout: 30_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${file}: ${error.message}\n${stderr}`)) : resolve(stdout.trim())
    )
  )

export const bundleSize = async (): Promise<Result> => {
  const built = path.join(core, "dist/index.js")
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`pnpm build\` first`)
  if (newest(path.join(core, "src")) > statSync(built).mtimeMs) {
    throw new Error(`${core}/dist is older than its src: run \`pnpm build\` first`)
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "dixa-bundle-size-"))
  try {
    const pkg = await bundle(dir, "package", programs.package)
    const hand = await bundle(dir, "hand-written", programs.handWritten)
    const fromDist = Object.keys(pkg.metafile.inputs).some((input) => path.resolve(dir, input) === built)
    if (!fromDist) throw new Error("the package program did not resolve @org/dixa-core to its dist/index.js")
    const server = await tagsServer()
    try {
      for (const b of [pkg, hand]) {
        const out = await run(b.file, server.url)
        if (out !== server.expected) throw new Error(`${path.basename(b.file)} printed ${out}, not ${server.expected}`)
      }
    } finally {
      await server.close()
    }
    const ratio = pkg.bytes / hand.bytes
    return {
      name: "bundle size (tags-only program from the package root / hand-written GET)",
      ratio,
      goal: "<= 1.15",
      met: ratio <= 1.15,
      details: {
        "package B": pkg.bytes,
        "hand-written B": hand.bytes,
        "package gzip B": pkg.gzip,
        "hand-written gzip B": hand.gzip,
        "gzip ratio": (pkg.gzip / hand.gzip).toFixed(3)
      }
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}
