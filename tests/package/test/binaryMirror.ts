// A local mirror of better-sqlite3's prebuilt binaries, as a company without access to GitHub releases would run:
// it serves the one binary this workspace already built, under the name prebuild-install asks for. Without it, every
// run of the package test compiles SQLite from source again (minutes on a loaded 2-core machine). npm is pointed at it
// with `npm_config_better_sqlite3_binary_host`; nothing else about the install changes.
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"

export interface Mirror {
  readonly url: string
  readonly close: () => void
}

/** The workspace's better-sqlite3, as the sandbox's SQLite client depends on it. */
const workspaceDriver = (repo: string): string | undefined => {
  const client = path.join(repo, "packages/sandbox/node_modules/@effect/sql-sqlite-node")
  if (!fs.existsSync(client)) return undefined
  const driver = path.join(fs.realpathSync(client), "../../better-sqlite3")
  return fs.existsSync(path.join(driver, "build/Release/better_sqlite3.node")) ? driver : undefined
}

/** Starts the mirror in `dir`; `undefined` when the workspace has no built driver (npm then builds it). */
export const start = async (repo: string, dir: string): Promise<Mirror | undefined> => {
  const driver = workspaceDriver(repo)
  if (driver === undefined) return undefined
  const { version } = JSON.parse(fs.readFileSync(path.join(driver, "package.json"), "utf8")) as { version: string }
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`
  const file = path.join(dir, `v${version}`, name)
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tar = spawnSync("tar", ["-czf", file, "-C", driver, "build/Release/better_sqlite3.node"])
  if (tar.status !== 0) return undefined
  const server = http.createServer((request, response) => {
    const wanted = path.join(dir, decodeURIComponent(new URL(request.url ?? "/", "http://mirror").pathname))
    if (!wanted.startsWith(dir) || !fs.existsSync(wanted) || !fs.statSync(wanted).isFile()) {
      response.writeHead(404).end()
      return
    }
    response.writeHead(200, { "content-type": "application/gzip" })
    fs.createReadStream(wanted).pipe(response)
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, close: () => server.close() }
}
