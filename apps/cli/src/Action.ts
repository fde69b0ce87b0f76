/**
 * Running one operation from the command line: assemble the input from arguments, flags and
 * `--input`, confirm writes (or show them with `--dry-run`), call, and print the result in the chosen format.
 *
 * @since 0.1.0
 */
import * as Prompt from "@effect/cli/Prompt"
import * as NodeTerminal from "@effect/platform-node/NodeTerminal"
import * as Terminal from "@effect/platform/Terminal"
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as DixaError from "@org/dixa-core/DixaError"
import * as Endpoint from "@org/dixa-core/Endpoint"
import type * as Model from "@org/dixa-core/Model"
import * as Wire from "@org/dixa-core/Wire"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"
import * as Deadline from "./Deadline.js"
import type * as Derive from "./Derive.js"
import { Declined, type ItemFailure, PartialFailure, UsageError } from "./Failure.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/** The global options, as parsed. */
export interface Globals {
  readonly output: Output.Format
  readonly yes: boolean
  /** Whether stdin and stderr are terminals, so a question can be asked. */
  readonly interactive: boolean
  /** Whether `--input -` read stdin (so no question can be asked on it any more). */
  readonly stdinUsed: boolean
  readonly width: number
  /** Whether to show `pages N, items M` on stderr while following pages (stderr is a terminal). */
  readonly progress: boolean
  /** `--timeout`, when given. */
  readonly timeout: Deadline.Limit | undefined
  /** `--debug` or `DIXA_DEBUG`: every request and answer on stderr. */
  readonly debug?: boolean | undefined
}

/** What the client should tell the command as it works (see `Progress.observer`), for these options. */
export const observer = (globals: Pick<Globals, "debug" | "progress">) =>
  Progress.observer({
    debug: globals.debug === true,
    terminal: process.stderr.isTTY === true,
    statusLine: globals.progress
  })

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

/**
 * All of stdin, read as a stream until its end: a terminal's stdin is non-blocking, where a plain
 * synchronous read fails with EAGAIN. On a terminal, a hint says how to end the input.
 */
const readStdin = (): Promise<string> =>
  new Promise((resolve, reject) => {
    if (process.stdin.isTTY) process.stderr.write("reading JSON from the terminal; end it with Ctrl-D\n")
    const chunks: Array<Buffer> = []
    process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk))
    process.stdin.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    process.stdin.once("error", reject)
  })

const readInput = (source: string): Effect.Effect<unknown, UsageError> =>
  Effect.tryPromise({
    try: () => source === "-" ? readStdin() : fs.promises.readFile(source, "utf8"),
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

/** File bytes have no JSON form: a file is shown by its name, size and media type. */
const showFiles = (_key: string, value: unknown): unknown =>
  value instanceof Uint8Array ? `<${value.byteLength} bytes>` : value

const compact = (value: unknown): string => {
  const text = JSON.stringify(value, showFiles) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** The request in its wire form: path, query pairs and body, as the client would send it. */
const encoded = (endpoint: Endpoint.Any, input: Readonly<Record<string, unknown>>) =>
  Wire.encodeRequest(endpoint, input).pipe(
    Effect.mapError((e) => new DixaError.InvalidInput({ operation: endpoint.id, message: e.message }))
  )

/**
 * One line saying what an action is about to do: `[write] agents.create displayName="Ann" ...`; never the key. An id
 * with a name in `names` is shown with it: `agentId=19269b36-... (Ada Lovelace)`.
 */
export const summary = (
  endpoint: Endpoint.Any,
  risk: Derive.Risk,
  input: Readonly<Record<string, unknown>>,
  names: Readonly<Record<string, string>> = {}
) =>
  Effect.map(encoded(endpoint, input), (request) => {
    const parts = [`[${risk}]`, endpoint.id]
    const parameters = Endpoint.splitInput(endpoint, input).path
    for (const [name, value] of Object.entries(parameters)) {
      parts.push(`${name}=${String(value)}${names[name] === undefined ? "" : ` (${names[name]})`}`)
    }
    for (const [name, value] of request.query) parts.push(`${name}=${value}`)
    if (Option.isSome(request.body)) {
      const body = request.body.value
      const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? Object.entries(body) : []
      if (fields.length > 0) { for (const [name, value] of fields) parts.push(`${name}=${compact(value)}`) }
      else parts.push(`body=${compact(body)}`)
    }
    return parts.join(" ")
  })

/** A terminal whose prompts go to stderr, keeping stdout for data. */
const stderrTerminal = Layer.effect(
  Terminal.Terminal,
  Effect.map(NodeTerminal.make(), (terminal): Terminal.Terminal => ({
    ...terminal,
    display: (text) => Effect.sync(() => void process.stderr.write(text))
  }))
)

const ask = (question: string): Effect.Effect<boolean> =>
  Prompt.confirm({ message: question, initial: false }).pipe(
    Effect.provide(stderrTerminal),
    Effect.scoped,
    Effect.orElseSucceed(() => false)
  )

/**
 * Asks before a write, after a line saying what it is (with the names `names` finds for its ids). Off a terminal a
 * write needs `--yes`; a dangerous action (see `Derive.riskOf`) needs it everywhere. Reads run at once.
 */
export const confirm = <R = never>(
  endpoint: Endpoint.Any,
  risk: Derive.Risk,
  input: Readonly<Record<string, unknown>>,
  globals: Globals,
  names: Effect.Effect<Readonly<Record<string, string>>, never, R> = Effect.succeed({})
) =>
  Effect.gen(function*() {
    if (risk === "read" || globals.yes) return
    const line = yield* summary(endpoint, risk, input)
    if (risk === "danger") {
      return yield* new UsageError({ message: `${line}: destructive, so it needs --yes; nothing was sent` })
    }
    if (!globals.interactive) {
      const why = globals.stdinUsed ? "stdin carried the input" : "no terminal to ask on"
      return yield* new UsageError({ message: `${line}: pass --yes to send it (${why}); nothing was sent` })
    }
    process.stderr.write(`${yield* summary(endpoint, risk, input, yield* names)}\n`)
    if (!(yield* ask("Send it?"))) return yield* new Declined({ message: "cancelled, nothing was sent" })
  })

/** Where a dry run says the request would go when it would go to the embedded sandbox. */
const sandboxBase = "http://<embedded sandbox>"

/** `--dry-run`: the exact request (method, URL with query, headers with the key masked, body) on stdout. */
export const dryRun = (
  endpoint: Endpoint.Any,
  input: Readonly<Record<string, unknown>>,
  target: { readonly sandbox: boolean; readonly baseUrl: string; readonly apiKey: Option.Option<unknown> }
) =>
  Effect.gen(function*() {
    const request = yield* encoded(endpoint, input)
    const base = target.sandbox ? sandboxBase : target.baseUrl.replace(/\/+$/, "")
    const query = new URLSearchParams(request.query.map(([k, v]): [string, string] => [k, v])).toString()
    const lines = [`${endpoint.method} ${base}${request.path}${query === "" ? "" : `?${query}`}`]
    lines.push(`authorization: ${Option.isSome(target.apiKey) || target.sandbox ? "********" : "(no API key)"}`)
    lines.push("accept: application/json")
    if (Option.isSome(request.body)) {
      const multipart = endpoint.bodyEncoding === "multipart"
      lines.push(`content-type: ${multipart ? "multipart/form-data" : "application/json"}`, "")
      lines.push(JSON.stringify(request.body.value, showFiles, 2))
    }
    yield* write(lines.join("\n") + "\n")
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

/** One page of a list, as the client decodes it. */
export type Page = { readonly data: ReadonlyArray<unknown>; readonly nextPageKey: Option.Option<string> }

/** `pages N, items M` as the status line on stderr, rewritten as pages arrive; `clear` ends it. */
const progressLine = (show: boolean) => {
  let enabled = show
  let pages = 0
  let items = 0
  return {
    page: (page: Page) =>
      Effect.sync(() => {
        pages++
        items += page.data.length
        if (enabled) Progress.base(`pages ${pages}, items ${items}`)
      }),
    clear: Effect.sync(() => {
      if (enabled) Progress.done()
      enabled = false
    })
  }
}

/** Every item of a list, page after page; each page's call gets what is left of `--timeout`. */
const pages = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  clock: Deadline.Clock | undefined,
  onPage: (page: Page) => Effect.Effect<void>
): Stream.Stream<unknown, DixaError.DixaError> =>
  Stream.paginateChunkEffect(
    input,
    (current) =>
      (client.call(endpoint, current as never, Deadline.callOptions(clock)) as Effect.Effect<Page, DixaError.DixaError>)
        .pipe(
          Effect.tap(onPage),
          Effect.map((page) =>
            [
              Chunk.fromIterable(page.data),
              Option.map(page.nextPageKey, (pageKey) => ({ ...current, pageKey }))
            ] as const
          )
        )
  )

/** Following pages (`--all`, `--limit`), with the progress line on a terminal. */
const runPages = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  given: Given,
  globals: Globals,
  clock: Deadline.Clock | undefined
) => {
  const encode = encoder((endpoint.response as Extract<Endpoint.Response, { _tag: "Page" }>).item)
  const progress = progressLine(globals.progress)
  let items = pages(client, endpoint, input, clock, progress.page)
  if (Option.isSome(given.limit)) items = Stream.take(items, given.limit.value)
  // Cleared when the pages end, so a table printed after them starts on a clean line.
  return printStream(Stream.ensuring(Stream.mapEffect(items, encode), progress.clear), globals)
}

/** Calls the operation and prints the result; `--timeout` bounds every call, counted from here. */
export const run = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  given: Given,
  globals: Globals
) => {
  const started = Date.now()
  const clock = globals.timeout === undefined ? undefined : Deadline.start(globals.timeout)
  return Effect.mapError(
    runBounded(client, endpoint, input, given, globals, clock),
    (e) => Deadline.withTimeSpent(started, Deadline.explain(clock, e))
  )
}

const runBounded = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  given: Given,
  globals: Globals,
  clock: Deadline.Clock | undefined
) =>
  Effect.gen(function*() {
    const response: Endpoint.Response = endpoint.response
    if (response._tag === "Page") {
      if (given.all || Option.isSome(given.limit)) {
        return yield* runPages(client, endpoint, input, given, globals, clock)
      }
      const page = (yield* client.call(endpoint, input as never, Deadline.callOptions(clock))) as Page
      const items = yield* Effect.forEach(page.data, encoder(response.item))
      const text = Output.list(globals.output, items, globals.width)
      if (text !== "") yield* write(text + "\n")
      if (Option.isSome(page.nextPageKey)) yield* note(`next page key: ${page.nextPageKey.value}`)
      return
    }
    const result = yield* client.call(endpoint, input as never, Deadline.callOptions(clock))
    if (response._tag === "Empty") {
      if (globals.output === "table") yield* note("done")
      return
    }
    const json = yield* encoder(response.schema)(result)
    yield* write(Output.single(globals.output, json, globals.width) + "\n")
    yield* checkBulk(json)
  })

/** A bulk answer (a list of outcomes) with failed items fails the command, after it was printed. */
const checkBulk = (json: unknown): Effect.Effect<void, PartialFailure> => {
  if (!Array.isArray(json)) return Effect.void
  const failures: Array<ItemFailure> = []
  json.forEach((item: { _type?: unknown; error?: unknown } | null, index) => {
    if (item?._type === "BulkActionFailure") failures.push({ index, error: item.error })
  })
  if (failures.length === 0) return Effect.void
  const message = `${failures.length} of ${json.length} items failed (the whole answer is on stdout)`
  return Effect.fail(new PartialFailure({ message, failures }))
}

/** `--limit` must be positive. */
export const checkLimit = (limit: Option.Option<number>) =>
  Option.isSome(limit) && !(Number.isInteger(limit.value) && limit.value > 0)
    ? Effect.fail(new UsageError({ message: "--limit must be a positive integer" }))
    : Effect.void
