// File uploads from the command line: a body field holding files (the core's FilePart) is a `--files path`
// flag. The built bundle sends real files to a sandbox started here, and to a bare node:http server that
// reads the multipart body with the platform's own parser, so names, media types and bytes are checked.
import { describe, expect, it, layer } from "@effect/vitest"
import * as Sandbox from "@org/dixa-sandbox"
import * as Effect from "effect/Effect"
import * as fs from "node:fs"
import * as http from "node:http"
import type * as net from "node:net"
import * as path from "node:path"
import { against, apiKey, dixa, json, sandboxState, scratch, transcript } from "./support.js"

/** Writes a scratch file of raw bytes and returns its path. */
const bytesFile = (name: string, content: Uint8Array): string => {
  const file = path.join(scratch, name)
  fs.writeFileSync(file, content)
  return file
}

const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0x00, 0x7f, 0x80])
// Every byte value, twice: CR, LF, NUL and bytes that are not UTF-8 all have to arrive as they were.
const jpeg = Uint8Array.from({ length: 512 }, (_, i) => i % 256)
const pdf = new TextEncoder().encode("%PDF-1.4\n%\u00e2\u00e3\n1 0 obj\n<<>>\nendobj\n")
const blob = Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 0x0d, 0x0a, 0x2d, 0x2d])

interface Received {
  readonly method: string
  readonly url: string
  readonly contentType: string
  readonly body: Buffer
}

/** A bare HTTP server that records each request and answers the success shape of an attachment upload. */
const recorder = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly received: Array<Received>; readonly server: http.Server }>(
    (resume) => {
      const received: Array<Received> = []
      const server = http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          received.push({
            method: req.method ?? "",
            url: req.url ?? "",
            contentType: req.headers["content-type"] ?? "",
            body: Buffer.concat(chunks)
          })
          const names = [...Buffer.concat(chunks).toString("latin1").matchAll(/filename="([^"]*)"/g)].map((m) => m[1])
          res.writeHead(200, { "content-type": "application/json" })
          res.end(JSON.stringify({
            data: names.map((name) => ({ originalFilename: name, url: `https://files.example/${name}` })),
            partialErrors: []
          }))
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const port = (server.address() as net.AddressInfo).port
        resume(Effect.succeed({ url: `http://127.0.0.1:${port}`, received, server }))
      })
    }
  ),
  ({ server }) => Effect.async<void>((resume) => void server.close(() => resume(Effect.void)))
)

/** The file parts of a recorded request, read by the platform's multipart parser (not ours). */
const fileParts = (request: Received) =>
  Effect.promise(async () => {
    const form = await new Request("http://parser.invalid/", {
      method: "POST",
      headers: { "content-type": request.contentType },
      body: request.body
    }).formData()
    return Promise.all(
      form.getAll("files").map(async (part) => {
        const file = part as File
        return { name: file.name, type: file.type, bytes: new Uint8Array(await file.arrayBuffer()) }
      })
    )
  })

describe("knowledge upload-attachments against a bare HTTP server", () => {
  it.scoped("sends each --files path as a part with its base name, guessed media type and exact bytes", () =>
    Effect.gen(function*() {
      const server = yield* recorder
      const files = [
        bytesFile("logo.png", png),
        bytesFile("Banner.JPEG", jpeg),
        bytesFile("guide.pdf", pdf),
        bytesFile("data.bin", blob)
      ]
      const result = yield* against(server.url)([
        "--yes",
        "--output",
        "json",
        "knowledge",
        "upload-attachments",
        ...files.flatMap((file) => ["--files", file])
      ])
      expect(result.code, result.stderr).toBe(0)
      expect(server.received).toHaveLength(1)
      const request = server.received[0]!
      expect(request.method).toBe("POST")
      expect(request.url).toBe("/beta/knowledge/articles/attachments")
      expect(request.contentType).toMatch(/^multipart\/form-data; *boundary=/)

      const parts = yield* fileParts(request)
      expect(parts.map((p) => [p.name, p.type])).toEqual([
        ["logo.png", "image/png"],
        ["Banner.JPEG", "image/jpeg"],
        ["guide.pdf", "application/pdf"],
        ["data.bin", "application/octet-stream"]
      ])
      expect(parts.map((p) => Array.from(p.bytes))).toEqual([png, jpeg, pdf, blob].map((b) => Array.from(b)))

      // The answer is printed in its wire form.
      expect(json(result)).toEqual({
        data: ["logo.png", "Banner.JPEG", "guide.pdf", "data.bin"].map((name) => ({
          originalFilename: name,
          url: `https://files.example/${name}`
        })),
        partialErrors: []
      })
    }))

  it.scoped("a missing or unreadable file is exit 2, one line, and nothing is sent", () =>
    Effect.gen(function*() {
      const server = yield* recorder
      const present = bytesFile("present.png", png)
      const missing = path.join(scratch, "no-such-file.png")
      const directory = fs.mkdtempSync(path.join(scratch, "a-directory-"))
      const cases: ReadonlyArray<readonly [ReadonlyArray<string>, RegExp]> = [
        [["--files", missing], /--files .*no-such-file\.png: no such file/],
        [["--files", present, "--files", missing], /no-such-file\.png: no such file/],
        [["--files", directory], /a-directory-.*: is a directory/]
      ]
      for (const [args, message] of cases) {
        const result = yield* against(server.url)(["--yes", "knowledge", "upload-attachments", ...args])
        expect(result.code, args.join(" ")).toBe(2)
        expect(result.stdout).toBe("")
        expect(result.stderr.trimEnd().split("\n"), result.stderr).toHaveLength(1)
        expect(result.stderr).toMatch(message)
      }
      const asJson = yield* against(server.url)([
        "--yes",
        "--output",
        "json",
        "knowledge",
        "upload-attachments",
        "--files",
        missing
      ])
      expect(asJson.code).toBe(2)
      expect(JSON.parse(asJson.stderr).error).toMatchObject({ _tag: "UsageError" })
      expect(server.received).toHaveLength(0)
    }))

  it.effect("the help of the action shows the flag", () =>
    Effect.gen(function*() {
      const help = yield* dixa(["knowledge", "upload-attachments", "--help"])
      expect(help.code).toBe(0)
      expect(help.stdout).toContain("--files <file>")
      expect(help.stdout).toMatch(/path of a file to send, repeatable/)
    }))
})

const stateFile = path.join(scratch, "upload-sandbox-state.db")

layer(Sandbox.layer({ apiKey, rateLimit: false, stateFile }), { excludeTestServices: true })(
  "knowledge upload-attachments against a sandbox",
  (it) => {
    it.effect("uploads files the sandbox stores, and reports the one it refuses as a partial error", () =>
      Effect.gen(function*() {
        const sandbox = yield* Sandbox.Sandbox
        const before = (yield* sandbox.stats).byOperation["knowledge.uploadAttachments"] ?? 0
        const result = yield* against(sandbox.url)([
          "--yes",
          "knowledge",
          "upload-attachments",
          "--files",
          bytesFile("sandbox-logo.png", png),
          "--files",
          bytesFile("sandbox-photo.jpg", jpeg),
          "--files",
          bytesFile("sandbox-notes.pdf", pdf)
        ])
        expect(result.code, result.stderr).toBe(0)
        const out = json(result)
        expect(out.data.map((d: { originalFilename: string }) => d.originalFilename)).toEqual([
          "sandbox-logo.png",
          "sandbox-photo.jpg"
        ])
        expect(out.data[0].url).toMatch(/\.png$/)
        expect(out.data[1].url).toMatch(/\.jpg$/)
        // The sandbox takes images only: the PDF arrived with its type and was turned down for it.
        expect(out.partialErrors).toHaveLength(1)
        expect(out.partialErrors[0].originalFilename).toBe("sandbox-notes.pdf")
        expect(out.partialErrors[0].message).toContain("application/pdf")
        expect((yield* sandbox.stats).byOperation["knowledge.uploadAttachments"]).toBe(before + 1)

        const stored = (yield* sandboxState(sandbox.url)).knowledge.attachments as ReadonlyArray<{
          originalFilename: string
          contentType: string
          size: number
        }>
        expect(stored.map((a) => [a.originalFilename, a.contentType, a.size])).toEqual([
          ["sandbox-logo.png", "image/png", png.length],
          ["sandbox-photo.jpg", "image/jpeg", jpeg.length]
        ])
      }))

    it.effect("the API key never shows up in any output", () =>
      Effect.sync(() => {
        for (const text of transcript) expect(text).not.toContain(apiKey)
      }))
  }
)
