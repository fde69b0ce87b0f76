/**
 * `dixa export <group> <list-action> [flags] --to FILE`: every page of a list, appended to FILE as it arrives
 * (NDJSON or CSV, by the extension), with a checkpoint after each page so that `--resume` goes on where an
 * interrupted run stopped. Progress on a terminal; `--timeout` stops it cleanly, the checkpoint kept.
 *
 * @since 0.2.0
 */
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as DixaError from "@org/dixa-core/DixaError"
import type * as Endpoint from "@org/dixa-core/Endpoint"
import * as Wire from "@org/dixa-core/Wire"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as fs from "node:fs"
import type * as Action from "./Action.js"
import * as Deadline from "./Deadline.js"
import * as ExportFile from "./ExportFile.js"
import { UsageError } from "./Failure.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/** What `--to`, `--resume` and `--force` asked for. */
export interface Target {
  readonly file: string
  readonly resume: boolean
  readonly force: boolean
}

type PageResponse = Extract<Endpoint.Response, { _tag: "Page" }>

/** The query of the export, encoded, without its page key: what a resume must ask again. */
const queryOf = (endpoint: Endpoint.Any, input: Record<string, unknown>) =>
  Wire.encodeRequest(endpoint, input).pipe(
    Effect.map((request) => {
      const pairs = request.query.filter(([name]) => name !== "pageKey").map(([k, v]): [string, string] => [k, v])
      return `${request.path}?${new URLSearchParams(pairs).toString()}`
    }),
    Effect.mapError((e) => new DixaError.InvalidInput({ operation: endpoint.id, message: e.message }))
  )

const usage = (message: string) => new UsageError({ message })

/** Where a resumed export stands: its checkpoint, checked against this command line; the file cut to it. */
const resumeFrom = (target: Target, operation: string, query: string) => {
  const checkpoint = ExportFile.readCheckpoint(target.file)
  if (checkpoint instanceof Error) return Effect.fail(usage(checkpoint.message))
  if (checkpoint === undefined) {
    return Effect.fail(usage(`--resume: there is no ${ExportFile.checkpointOf(target.file)} to resume from`))
  }
  if (checkpoint.operation !== operation || checkpoint.query !== query) {
    return Effect.fail(usage(
      `--resume: ${ExportFile.checkpointOf(target.file)} is of another export (${checkpoint.operation} ` +
        `${checkpoint.query}); give the same action and flags, or --force to start over`
    ))
  }
  try {
    if (fs.statSync(target.file).size < checkpoint.bytes) throw new Error("shorter than its checkpoint says")
    fs.truncateSync(target.file, checkpoint.bytes)
  } catch (e) {
    return Effect.fail(usage(`--resume: ${target.file} does not match its checkpoint: ${(e as Error).message}`))
  }
  return Effect.succeed(checkpoint)
}

/** A new export: FILE (and a stale checkpoint) may be replaced only with `--force`; CSV starts with its header. */
const startFresh = (target: Target, operation: string, query: string, columns: ReadonlyArray<string> | undefined) => {
  const exists = fs.existsSync(target.file) || fs.existsSync(ExportFile.checkpointOf(target.file))
  if (exists && !target.force) {
    return Effect.fail(usage(
      `${target.file} exists: pass --resume to continue an interrupted export, or --force to overwrite it`
    ))
  }
  const header = columns === undefined ? "" : ExportFile.csvRow(columns)
  try {
    fs.writeFileSync(target.file, header)
  } catch (e) {
    return Effect.fail(usage(`--to ${target.file}: ${(e as Error).message}`))
  }
  const checkpoint: ExportFile.Checkpoint = {
    operation,
    query,
    pages: 0,
    items: 0,
    bytes: Buffer.byteLength(header),
    columns
  }
  ExportFile.writeCheckpoint(target.file, checkpoint)
  return Effect.succeed(checkpoint)
}

/** The checks made before anything is sent: a paginated action, a file name of a known format. */
export const check = (endpoint: Endpoint.Any, target: Target) => {
  if (endpoint.response._tag !== "Page") {
    return Effect.fail(usage(`${endpoint.id} is not a paginated list: dixa export takes only list actions`))
  }
  const format = ExportFile.formatOf(target.file)
  if (format === undefined) {
    return Effect.fail(usage(`--to ${target.file}: the file name must end in .ndjson, .jsonl or .csv`))
  }
  if (target.resume && target.force) return Effect.fail(usage("--resume and --force exclude each other"))
  return Effect.succeed(format)
}

/** Exports every page; says how to resume when it stops early. */
export const run = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  globals: Action.Globals,
  target: Target
) =>
  Effect.gen(function*() {
    const format = yield* check(endpoint, target)
    const response = endpoint.response as PageResponse
    const query = yield* queryOf(endpoint, input)
    const columns = format === "csv" ? ExportFile.columnsOf(response.item) : undefined
    const begun = target.resume
      ? yield* resumeFrom(target, endpoint.id, query)
      : yield* startFresh(target, endpoint.id, query, columns)
    const started = Date.now()
    const clock = globals.timeout === undefined ? undefined : Deadline.start(globals.timeout)
    let state = begun
    const show = process.stderr.isTTY === true
    const fd = fs.openSync(target.file, "a")
    const pages = exportPages(
      client,
      endpoint,
      input,
      {
        format,
        columns: state.columns ?? columns ?? [],
        encode: Schema.encodeUnknown(response.item as Schema.Schema.AnyNoContext),
        clock,
        fd,
        target,
        show
      },
      begun,
      (next) => (state = next)
    )
    yield* pages.pipe(
      Effect.ensuring(Effect.sync(() => (fs.closeSync(fd), show && Progress.done()))),
      Effect.mapError((e) => Deadline.withTimeSpent(started, Deadline.explain(clock, e))),
      Effect.tapError(() => Effect.sync(() => process.stderr.write(resumeHint(target, state))))
    )
    ExportFile.removeCheckpoint(target.file)
    yield* Effect.sync(() => process.stdout.write(summary(globals.output, target.file, format, state)))
  })

const resumeHint = (target: Target, state: ExportFile.Checkpoint) =>
  `dixa: ${state.items} items (${state.pages} pages) are in ${target.file}; the checkpoint ` +
  `${ExportFile.checkpointOf(target.file)} is kept: run the same command with --resume to go on\n`

const summary = (output: Output.Format, file: string, format: ExportFile.Format, state: ExportFile.Checkpoint) =>
  output === "table"
    ? `exported ${state.items} items (${state.pages} pages) to ${file}\n`
    : JSON.stringify({ file, format, items: state.items, pages: state.pages }) + "\n"

interface Sink {
  readonly format: ExportFile.Format
  readonly columns: ReadonlyArray<string>
  readonly encode: (item: unknown) => Effect.Effect<unknown, unknown>
  readonly clock: Deadline.Clock | undefined
  readonly fd: number
  readonly target: Target
  readonly show: boolean
}

/** Page after page from the checkpoint: each appended and flushed, then the checkpoint saved. */
const exportPages = (
  client: DixaClient.Service,
  endpoint: Endpoint.Any,
  input: Record<string, unknown>,
  sink: Sink,
  begun: ExportFile.Checkpoint,
  saved: (state: ExportFile.Checkpoint) => void
) =>
  Effect.gen(function*() {
    let state = begun
    while (true) {
      const pageInput = state.pageKey === undefined ? input : { ...input, pageKey: state.pageKey }
      const page = (yield* client.call(endpoint, pageInput as never, Deadline.callOptions(sink.clock))) as Action.Page
      const items = yield* Effect.forEach(page.data, (item) => Effect.orElseSucceed(sink.encode(item), () => item))
      const bytes = ExportFile.append(
        sink.fd,
        items.map((item) => ExportFile.lineOf(sink.format, sink.columns, item)).join("")
      )
      state = {
        ...state,
        pageKey: Option.getOrUndefined(page.nextPageKey),
        pages: state.pages + 1,
        items: state.items + items.length,
        bytes: state.bytes + bytes
      }
      if (state.pageKey !== undefined) ExportFile.writeCheckpoint(sink.target.file, state)
      saved(state)
      if (sink.show) Progress.base(`exporting to ${sink.target.file}: pages ${state.pages}, items ${state.items}`)
      if (state.pageKey === undefined) return state
    }
  })
