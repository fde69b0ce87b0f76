/**
 * `/docs`: a Swagger UI page over the gateway's `/openapi.json`, with Swagger UI's assets served from the
 * installed `swagger-ui-dist` package (no CDN: internal networks often have no way out).
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as Effect from "effect/Effect"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"

const assets: Record<string, string> = {
  "/docs/swagger-ui.css": "text/css; charset=utf-8",
  "/docs/swagger-ui-bundle.js": "application/javascript; charset=utf-8"
}

const page = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Dixa API (beta) through the gateway</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script>window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" })</script>
</body>
</html>
`

let root: string | undefined
const assetRoot = () => root ??= dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"))
const cache = new Map<string, Uint8Array>()

/** The response for a docs path, or `undefined` when the path is not one of the docs'. */
export const serve = (pathname: string): Effect.Effect<HttpServerResponse.HttpServerResponse> | undefined => {
  if (pathname === "/docs" || pathname === "/docs/") {
    return Effect.succeed(HttpServerResponse.html(page))
  }
  const contentType = assets[pathname]
  if (contentType === undefined) return undefined
  return Effect.sync(() => {
    let body = cache.get(pathname)
    if (body === undefined) {
      body = readFileSync(join(assetRoot(), pathname.slice("/docs/".length)))
      cache.set(pathname, body)
    }
    return HttpServerResponse.uint8Array(body, { contentType, headers: { "cache-control": "public, max-age=86400" } })
  })
}
