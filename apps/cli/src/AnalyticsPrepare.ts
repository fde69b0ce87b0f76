/**
 * `dixa analytics prepare-metric [id]` and `prepare-record [id]`: what is needed to write a metric or record query,
 * in one command. Without an id, the catalogue; with one, its definition and every value each of its filters can
 * take, as one document (json, ndjson, yaml) or a summary to read (table).
 *
 * @since 0.2.0
 */
import * as Analytics from "@org/dixa-core/api/Analytics"
import type * as DixaClient from "@org/dixa-core/DixaClient"
import type * as DixaError from "@org/dixa-core/DixaError"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import type * as Action from "./Action.js"
import * as Deadline from "./Deadline.js"
import * as Output from "./Output.js"
import * as Progress from "./Progress.js"

/** Metrics or records. */
export type Kind = "metric" | "record"

const catalogues = { metric: Analytics.listMetrics, record: Analytics.listRecords } as const

type Filter = { readonly filterAttribute: string; readonly description?: string | undefined }
type Definition = { readonly id: string; readonly filters?: ReadonlyArray<Filter> | undefined }

/** A filter with the values it can take. */
export interface PreparedFilter extends Filter {
  readonly values: ReadonlyArray<Analytics.FilterValue>
}

const details = (client: DixaClient.Service, kind: Kind, id: string, clock: Deadline.Clock | undefined) =>
  (kind === "metric"
    ? client.call(Analytics.getMetric, { metricId: id }, Deadline.callOptions(clock))
    : client.call(Analytics.getRecord, { recordId: id }, Deadline.callOptions(clock))) as Effect.Effect<
      Definition & Record<string, unknown>,
      DixaError.DixaError
    >

/** Every value of one filter attribute, all pages. */
const valuesOf = (client: DixaClient.Service, attribute: string, clock: Deadline.Clock | undefined) =>
  Stream.runCollect(
    client.stream(Analytics.listFilterValues, { filterAttribute: attribute }, Deadline.callOptions(clock))
  ).pipe(Effect.map((chunk) => Array.from(chunk)))

/** The definition with each filter's values, fetched one filter after the other. */
export const prepare = (
  client: DixaClient.Service,
  kind: Kind,
  id: string,
  clock: Deadline.Clock | undefined,
  show: boolean
) =>
  Effect.gen(function*() {
    const definition = yield* details(client, kind, id, clock)
    const filters = definition.filters ?? []
    const prepared: Array<PreparedFilter> = []
    for (const [i, filter] of filters.entries()) {
      if (show) {
        Progress.base(`${kind} ${id}: values of filter ${filter.filterAttribute} (${i + 1} of ${filters.length})`)
      }
      prepared.push({ ...filter, values: yield* valuesOf(client, filter.filterAttribute, clock) })
    }
    return { ...definition, filters: prepared }
  })

const indent = (lines: ReadonlyArray<string>) => lines.map((l) => `  ${l}`)

/** The readable summary of a prepared metric or record. */
export const summary = (kind: Kind, prepared: Record<string, unknown> & { filters: ReadonlyArray<PreparedFilter> }) => {
  const lines = [`${kind} ${String(prepared["id"])}: ${String(prepared["description"] ?? "")}`.trimEnd()]
  const aggregations = (prepared["aggregations"] ?? []) as ReadonlyArray<Analytics.AggregateMetadata>
  if (aggregations.length > 0) {
    lines.push(
      "aggregations:",
      ...indent(aggregations.map((a) => `${a.measure}${a.description ? `: ${a.description}` : ""}`))
    )
  }
  const fields = (prepared["fieldsMetadata"] ?? []) as ReadonlyArray<Analytics.FieldMetadata>
  if (fields.length > 0) {
    lines.push(
      "fields:",
      ...indent(fields.map((f) => `${f.field}${f.nullable ? " (nullable)" : ""}: ${f.description}`))
    )
  }
  const related = (prepared["relatedRecordIds"] ?? prepared["relatedMetricIds"] ?? []) as ReadonlyArray<string>
  if (related.length > 0) lines.push(`related ${kind === "metric" ? "records" : "metrics"}: ${related.join(", ")}`)
  lines.push(prepared.filters.length === 0 ? "filters: none" : "filters:")
  for (const filter of prepared.filters) {
    const about = filter.description ? `: ${filter.description}` : ""
    lines.push(`  ${filter.filterAttribute} (${filter.values.length} values)${about}`)
    lines.push(
      ...indent(indent(filter.values.map((v) => (v.label && v.label !== v.value ? `${v.value}  ${v.label}` : v.value))))
    )
  }
  return lines.join("\n")
}

/** Runs the command: the catalogue without an id, the prepared definition with one. */
export const run = (client: DixaClient.Service, kind: Kind, id: Option.Option<string>, globals: Action.Globals) => {
  const started = Date.now()
  const clock = globals.timeout === undefined ? undefined : Deadline.start(globals.timeout)
  const write = (text: string) => Effect.sync(() => void process.stdout.write(text + "\n"))
  const program = Effect.gen(function*() {
    if (Option.isNone(id)) {
      const items = yield* Stream.runCollect(client.stream(catalogues[kind], {}, Deadline.callOptions(clock)))
      const text = Output.list(globals.output, Array.from(items), globals.width)
      return text === "" ? undefined : yield* write(text)
    }
    const prepared = yield* prepare(client, kind, id.value, clock, globals.progress).pipe(
      Effect.ensuring(Effect.sync(() => globals.progress && Progress.done()))
    )
    yield* write(
      globals.output === "table" ? summary(kind, prepared) : Output.single(globals.output, prepared, globals.width)
    )
  })
  return Effect.mapError(program, (e) => Deadline.withTimeSpent(started, Deadline.explain(clock, e)))
}
