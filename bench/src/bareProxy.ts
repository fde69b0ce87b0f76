/**
 * The floor a Node proxy can reach: a bare `node:http` server passing every request to one upstream through an undici
 * `Pool` and streaming the answer back, with nothing else (no validation, no budget, no logs).
 *
 * Run as a child process with `fork(thisFile, [upstreamUrl])`, so its load does not share the benchmark's event loop;
 * it listens on a free loopback port, sends `{ port }` to its parent, and exits when its parent goes away.
 */
import { createServer, type IncomingHttpHeaders, type OutgoingHttpHeaders } from "node:http"
import { pipeline } from "node:stream"
import { Pool } from "undici"

// Headers that describe one connection, not the message: a proxy must not pass them on (RFC 9110, 7.6.1). `host`
// is the upstream's, which undici sets itself.
const hopByHop = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host"
])

const endToEnd = (headers: IncomingHttpHeaders | Record<string, string | Array<string> | undefined>) => {
  const kept: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !hopByHop.has(name.toLowerCase())) kept[name] = value
  }
  return kept
}

const upstream = process.argv[2]
if (upstream === undefined) throw new Error("usage: bareProxy.ts <upstream url>")
// As many kept-alive upstream connections as nginx keeps in the same benchmark.
const pool = new Pool(upstream, { connections: 32 })

const server = createServer((req, res) => {
  const hasBody = req.method !== "GET" && req.method !== "HEAD"
  pool.request({
    method: req.method as "GET",
    path: req.url ?? "/",
    headers: endToEnd(req.headers) as Record<string, string>,
    body: hasBody ? req : null
  }).then(
    (answer) => {
      res.writeHead(answer.statusCode, endToEnd(answer.headers))
      pipeline(answer.body, res, () => {})
    },
    () => {
      if (res.headersSent) res.destroy()
      else res.writeHead(502).end()
    }
  )
})

server.keepAliveTimeout = 65_000
server.listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as { port: number }).port })
})
// The parent closed the IPC channel (it exited, or is done): stop too, so no proxy outlives the benchmark.
process.on("disconnect", () => process.exit(0))
