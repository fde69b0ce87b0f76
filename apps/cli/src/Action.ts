/**
 * Running one operation from the command line: assemble the input from arguments, flags and
 * `--input`, confirm what is destructive, call, and print the result in the chosen format.
 *
 * @since 0.1.0
 */
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as DixaError from "@org/dixa-core/DixaError"
import * as Endpoint from "@org/dixa-core/Endpoint"
import type * as Model from "@org/dixa-core/Model"
import * as Wire from "@org/dixa-core/Wire"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import type * as Derive from "./Derive.js"
import { Declined, UsageError } from "./Failure.js"
import * as Output from "./Output.js"

/** The global options, as parsed. */
export interface Globals {
  readonly output: Output.Format
  readonly yes: boolean
  /** Whether stdin and stderr are terminals, so a question can be asked. */
  readonly interactive: boolean
  readonly width: number
}

/** What the command line gave for one action, already split by the shape. */
export interface Given {
  readonly args: ReadonlyArray<string>
  /** Query values as strings (or lists of strings), by field. */
  readonly query: Readonly<Record<string, string | ReadonlyArray<string>>>
  /** Body flag values in their JSON form, by field. */
  readonly body: Readonly<Record<string, unknown>>
  /** Paths of the files to send, by the body field that holds them (see `Derive.fileKind`). */
  readonly files: Readonly<Record<string, ReadonlyArray<string>>>
  /** `--input`: a file path or `-` for stdin. */
  readonly input: Option.Option<string>
  readonly limit: Option.Option<number>
  readonly all: boolean
}

const readInput = (source: string): Effect.Effect<unknown, UsageError> =>
  Effect.try({
    try: () => fs.readFileSync(source === "-" ? 0 : source, "utf8"),
    catch: (e) => new UsageError({ message: `--input ${source}: ${(e as Error).message}` })
  }).pipe(
    Effect.flatMap((text) =>
      Effect.try({
        try: () => JSON.parse(text) as unknown,
        catch: (e) => new UsageError({ message: `--input ${source} is not valid JSON: ${(e as Error).message}` })
      })
    )
  )

/** The JSON part of the body: `--input` with the body flags merged over it (an object when files join it). */
const bodyJson = (endpoint: Endpoint.Any, shape: Derive.Shape, given: Given, withFiles: boolean) =>
  Effect.gen(function*() {
    if (!shape.hasBody) return undefined
    const base = Option.isSome(given.input) ? yield* readInput(given.input.value) : undefined
    const flags = withFiles || Object.keys(given.body).length > 0
    if (!flags) {
      if (base !== undefined) return base
      // An empty object lets validation name each missing field instead of "body is required".
      return endpoint.bodyRequired && shape.body.length > 0 ? {} : undefined
    }
    if (base !== undefined && (typeof base !== "object" || base === null || Array.isArray(base))) {
      return yield* new UsageError({ message: "body flags can only be merged into a JSON object from --input" })
    }
    return { ...(base as object | undefined), ...given.body }
  })

const mediaTypes: Readonly<Record<string, string>> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  pdf: "application/pdf"
}

/** The media type of a file, guessed from its extension; `application/octet-stream` when unknown. */
export const mediaTypeOf = (file: string): string =>
  mediaTypes[path.extname(file).slice(1).toLowerCase()] ?? "application/octet-stream"

const readProblems: Readonly<Record<string, string>> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory"
}

/** Reads one file to send: its base name, its bytes and its guessed media type. */
export const readFilePart = (flag: string, file: string): Effect.Effect<Model.FilePart, UsageError> =>
  Effect.tryPromise({
    try: () => fs.promises.readFile(file),
    catch: (e) => {
      const error = e as NodeJS.ErrnoException
      const problem = (error.code === undefined ? undefined : readProblems[error.code]) ?? error.message
      return new UsageError({ message: `--${flag} ${file}: ${problem}` })
    }
  }).pipe(
    Effect.map((bytes): Model.FilePart => ({
      name: path.basename(file),
      content: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      contentType: mediaTypeOf(file)
    }))
  )

/** Reads every file named on the command line, by field (a list where the field takes several). */
const readFiles = (shape: Derive.Shape, given: Given) =>
  Effect.gen(function*() {
    const out: Record<string, Model.FilePart | ReadonlyArray<Model.FilePart>> = {}
    for (const flag of shape.body) {
      const paths = given.files[flag.field]
      if (flag.kind._tag !== "file" || paths === undefined || paths.length === 0) continue
      const parts = yield* Effect.forEach(paths, (file) => readFilePart(flag.flag, file))
      out[flag.field] = flag.kind.many ? parts : parts[0]!
    }
    return out
  })

const preserveAll = { errors: "all", onExcessProperty: "preserve" } as const

/** Decodes what was given into the operation's input, reporting every problem with its path. */
export const decodeInput = (endpoint: Endpoint.Any, shape: Derive.Shape, given: Given) =>
  Effect.gen(function*() {
    const pathParams: Record<string, string> = {}
    shape.args.forEach((name, i) => {
      pathParams[name] = given.args[i] ?? ""
    })
    const searchParams = new URLSearchParams()
    for (const [key, value] of Object.entries(given.query)) {
      if (typeof value === "string") searchParams.append(key, value)
      else for (const v of value) searchParams.append(key, v)
    }
    // Files are read first: a missing one is a usage error, before anything else is looked at.
    const files = yield* readFiles(shape, given)
    const withFiles = Object.keys(files).length > 0
    const json = yield* bodyJson(endpoint, shape, given, withFiles)
    const invalid = (message: string) => new DixaError.InvalidInput({ operation: endpoint.id, message })
    if (!withFiles) {
      const bodyText = json === undefined ? undefined : JSON.stringify(json)
      return yield* Wire.decodeRequest(endpoint, { pathParams, searchParams, bodyText }).pipe(
        Effect.mapError((e) => invalid(e.message))
      )
    }
    // File bytes have no JSON form: the path and query are decoded as the wire would decode them, the body
    // (JSON fields and files together) with the body schema itself.
    const issues: Array<Wire.Issue> = []
    const params = yield* Wire.decodeRequest(
      { ...endpoint, body: undefined, bodyRequired: false } as Endpoint.Any,
      { pathParams, searchParams, bodyText: undefined }
    ).pipe(Effect.catchAll((e) => (issues.push(...e.issues), Effect.succeed({}))))
    const body: unknown = yield* Schema.decodeUnknown(endpoint.body as AnySchema, preserveAll)({ ...json, ...files })
      .pipe(Effect.catchAll((e) => (issues.push(...Wire.issuesOf("body", e)), Effect.succeed(undefined))))
    if (issues.length > 0) return yield* Effect.fail(invalid(new Wire.RequestInvalid({ issues }).message))
    return { ...params, body } as Record<string, unknown>
  })

const ask = (question: string): Effect.Effect<boolean> =>
  Effect.async<boolean>((resume) => {
    process.stderr.write(`${question} [y/N] `)
    const onData = (chunk: Buffer) => {
      process.stdin.off("data", onData)
      process.stdin.pause()
      resume(Effect.succeed(/^\s*y(es)?\s*$/i.test(chunk.toString("utf8"))))
    }
    process.stdin.on("data", onData)
    process.stdin.resume()
    return Effect.sync(() => {
      process.stdin.off("data", onData)
      process.stdin.pause()
    })
  })

/** Asks before deleting or anonymizing; off a terminal, `--yes` is required. */
export const confirm = (endpoint: Endpoint.Any, input: Readonly<Record<string, unknown>>, globals: Globals) =>
  Effect.gen(function*() {
    if (globals.yes) return
    const target = Endpoint.pathParamNames(endpoint).map((name) => String(input[name])).join(" ")
    const what = `${endpoint.group} ${endpoint.name}${target === "" ? "" : ` ${target}`}`
    if (!globals.interactive) {
      return yield* new UsageError({ message: `${what} is destructive: pass --yes to run it without a terminal` })
    }
    const ok = yield* ask(`Really ${what}?`)
    if (!ok) return yield* new Declined({ message: "cancelled, nothing was sent" })
  })

type AnySchema = Schema.Schema.AnyNoContext
const preserve = { onExcessProperty: "preserve" } as const

/** A decoded value back in its JSON form. */
const encoder = (schema: AnySchema) => (value: unknown) =>
  Schema.encodeUnknown(schema, preserve)(value).pipe(Effect.orElseSucceed(() => value))

const write = (text: string) =>
  Effect.async<void>((resume) => {
    if (process.stdout.write(text)) resume(Effect.void)
    else process.stdout.once("drain", () => resume(Effect.void))
  })

const note = (text: string) => Effect.sync(() => process.stderr.write(`${text}\n`))

/** Prints items as they arrive, keeping stdout a valid document in every format. */
const printStream = (items: Stream.Stream<unknown, DixaError.DixaError>, globals: Globals) =>
  Effect.gen(function*() {
    switch (globals.output) {
      case "ndjson":
        return yield* Stream.runForEach(items, (item) => write(Output.line(item) + "\n"))
      case "yaml": {
        let count = 0
        yield* Stream.runForEach(items, (item) => (count++, write(Output.yamlItem(item) + "\n")))
        if (count === 0) yield* write("[]\n")
        return
      }
      case "json": {
        // One JSON array, written item by item: the same text as printing the whole list at once.
        let count = 0
        yield* Stream.runForEach(items, (item) => {
          const text = Output.json(item).replace(/^/gm, "  ")
          return write((count++ === 0 ? "[\n" : ",\n") + text)
        })
        return yield* write(count === 0 ? "[]\n" : "\n]\n")
      }
      case "table": {
        // Column widths need every row: a table is printed once the list is complete.
        const all = yield* Stream.runCollect(items)
        return yield* write(Output.table(Array.from(all), globals.width) + "\n")
      }
    }
  })

/** Calls the operation and prints the result. */
export const run = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  given: Given,
  globals: Globals
) =>
  Effect.gen(function*() {
    const response: Endpoint.Response = endpoint.response
    if (response._tag === "Page") {
      const encode = encoder(response.item)
      if (given.all || Option.isSome(given.limit)) {
        let items = client.stream(endpoint as Endpoint.Paginated, input as never) as Stream.Stream<
          unknown,
          DixaError.DixaError
        >
        if (Option.isSome(given.limit)) items = Stream.take(items, given.limit.value)
        return yield* printStream(Stream.mapEffect(items, encode), globals)
      }
      const page = (yield* client.call(endpoint, input as never)) as {
        data: ReadonlyArray<unknown>
        nextPageKey: Option.Option<string>
      }
      const items = yield* Effect.forEach(page.data, encode)
      const text = Output.list(globals.output, items, globals.width)
      if (text !== "") yield* write(text + "\n")
      if (Option.isSome(page.nextPageKey)) yield* note(`next page key: ${page.nextPageKey.value}`)
      return
    }
    const result = yield* client.call(endpoint, input as never)
    if (response._tag === "Empty") {
      if (globals.output === "table") yield* note("done")
      return
    }
    const json = yield* encoder(response.schema)(result)
    yield* write(Output.single(globals.output, json, globals.width) + "\n")
  })

/** `--limit` must be positive. */
export const checkLimit = (limit: Option.Option<number>) =>
  Option.isSome(limit) && !(Number.isInteger(limit.value) && limit.value > 0)
    ? Effect.fail(new UsageError({ message: "--limit must be a positive integer" }))
    : Effect.void
