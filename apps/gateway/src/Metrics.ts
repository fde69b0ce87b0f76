/**
 * The gateway's metrics: `effect/Metric` counters, histograms (in seconds) and a gauge, exported in the Prometheus
 * text format by `@effect/opentelemetry` into the OpenTelemetry Prometheus exporter's reader and serializer. Label
 * values are operation ids, statuses, outcomes and caller names, never keys.
 *
 * Effect keeps metrics in one registry per process, and `@effect/opentelemetry` exports that whole registry. So that
 * each gateway's `/metrics` shows its own requests only (several gateways may run in one process: tests, embedding),
 * every series is also tagged with the gateway's instance id, and `render` keeps this gateway's series and drops
 * that tag before serializing.
 */
import * as OtelMetrics from "@effect/opentelemetry/Metrics"
import * as OtelResource from "@effect/opentelemetry/Resource"
import { PrometheusExporter, PrometheusSerializer } from "@opentelemetry/exporter-prometheus"
import type { MetricData, ResourceMetrics } from "@opentelemetry/sdk-metrics"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Metric from "effect/Metric"
import * as MetricBoundaries from "effect/MetricBoundaries"
import * as MetricLabel from "effect/MetricLabel"
import type * as Scope from "effect/Scope"
import { randomUUID } from "node:crypto"

type Labels = Readonly<Record<string, string>>

/** The content type of `render`'s text: the Prometheus text exposition format 0.0.4. */
export const contentType = "text/plain; version=0.0.4; charset=utf-8"

const seconds = MetricBoundaries.fromIterable([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])

/** Requests answered, by `operation`, `status` and `caller`. */
export const requests = Metric.counter("dixa_gateway_requests_total", {
  description: "Requests answered, by operation, status and caller.",
  incremental: true
})

/** Time from sending upstream to the final upstream answer, retries included, by `operation`. */
export const upstreamLatency = Metric.histogram(
  "dixa_gateway_upstream_seconds",
  seconds,
  "Time from sending upstream to the final upstream answer, retries included."
)

/** Time a request waited for the shared rate budget. */
export const limiterWait = Metric.histogram(
  "dixa_gateway_limiter_wait_seconds",
  seconds,
  "Time a request waited for the shared rate budget."
)

/** 429 answers, by `source`: `gateway` (its own queue) or `upstream`. */
export const rateLimited = Metric.counter("dixa_gateway_rate_limited_total", {
  description: "429 answers, by source: the gateway's own queue or upstream.",
  incremental: true
})

/** Cacheable GETs, by `outcome`: `hit`, `miss` or `coalesced`. */
export const cache = Metric.counter("dixa_gateway_cache_total", {
  description: "Cacheable GETs by outcome: hit, miss or coalesced.",
  incremental: true
})

/** Upstream attempts beyond the first, by `operation`. */
export const retries = Metric.counter("dixa_gateway_upstream_retries_total", {
  description: "Upstream attempts beyond the first.",
  incremental: true
})

/** Requests waiting for the shared rate budget, set when scraped. */
export const queueDepth = Metric.gauge("dixa_gateway_queue_depth", {
  description: "Requests waiting for the shared rate budget now."
})

/** The tag that tells gateways in one process apart; never rendered. */
const instanceTag = "dixa_gateway_instance"

/** Units for the exposition (`# UNIT`); the others have none. */
const units: Readonly<Record<string, string>> = {
  dixa_gateway_upstream_seconds: "seconds",
  dixa_gateway_limiter_wait_seconds: "seconds"
}

/**
 * Every metric the gateway exports, recorded for one gateway, and `render`, the Prometheus text of that gateway's
 * series. `depth` is read when scraped. Recording is synchronous (the metrics' own `unsafeUpdate`), so it can sit
 * anywhere in a request's code; the exporter's reader is shut down with the scope.
 */
export const gatewayMetrics = (depth: Effect.Effect<number>): Effect.Effect<GatewayMetrics, never, Scope.Scope> =>
  Effect.gen(function*() {
    // Random rather than counted: two copies of this module in one process (source and build) share the registry.
    const instance = randomUUID()
    const exporter = new PrometheusExporter({ preventServerStart: true })
    yield* Layer.build(
      OtelMetrics.layer(() => exporter).pipe(Layer.provide(OtelResource.layer({ serviceName: "dixa-gateway" })))
    )
    // The exporter's own serializer, configured as the exporter would be, minus the scope label on every series.
    const serializer = new PrometheusSerializer(undefined, false, undefined, false, true)

    // One tag array per label set, so that the metric finds its hook without hashing the key again.
    const tagsCache = new Map<string, ReadonlyArray<MetricLabel.MetricLabel>>()
    const tagsOf = (labels: Labels): ReadonlyArray<MetricLabel.MetricLabel> => {
      let key = ""
      for (const name in labels) key += name + "\u0000" + labels[name] + "\u0001"
      let tags = tagsCache.get(key)
      if (tags === undefined) {
        tags = Object.keys(labels).sort().map((k) => MetricLabel.make(k, labels[k]!)).concat(
          MetricLabel.make(instanceTag, instance)
        )
        tagsCache.set(key, tags)
      }
      return tags
    }
    const counter = (metric: Metric.Metric.Counter<number>) => ({
      inc: (labels: Labels = {}, by = 1): void => metric.unsafeUpdate(by, tagsOf(labels))
    })
    const histogram = (metric: Metric.Metric.Histogram<number>) => ({
      observe: (value: number, labels: Labels = {}): void => metric.unsafeUpdate(value, tagsOf(labels))
    })

    const render = Effect.gen(function*() {
      queueDepth.unsafeUpdate(yield* depth, tagsOf({}))
      const collected = yield* Effect.promise(() => exporter.collect())
      if (collected.errors.length > 0) yield* Effect.logWarning("metrics collection failed in part", collected.errors)
      return serializer.serialize(ownSeries(collected.resourceMetrics, instance))
    })

    return {
      requests: counter(requests),
      upstreamLatency: histogram(upstreamLatency),
      limiterWait: histogram(limiterWait),
      rateLimited: counter(rateLimited),
      cache: counter(cache),
      retries: counter(retries),
      render
    }
  })

/** This gateway's series only, without the instance tag, with units fit for the names. */
const ownSeries = (metrics: ResourceMetrics, instance: string): ResourceMetrics => ({
  ...metrics,
  scopeMetrics: metrics.scopeMetrics.map((scope) => ({
    ...scope,
    metrics: scope.metrics.flatMap((data): Array<MetricData> => {
      const dataPoints = (data.dataPoints as ReadonlyArray<MetricData["dataPoints"][number]>).flatMap((point) => {
        const { [instanceTag]: tag, ...attributes } = point.attributes
        return tag === instance ? [{ ...point, attributes }] : []
      })
      if (dataPoints.length === 0) return []
      const descriptor = { ...data.descriptor, unit: units[data.descriptor.name] ?? "" }
      return [{ ...data, descriptor, dataPoints } as MetricData]
    })
  }))
})

/** What the gateway records with, and renders. */
export interface GatewayMetrics {
  readonly requests: Counter
  readonly upstreamLatency: Histogram
  readonly limiterWait: Histogram
  readonly rateLimited: Counter
  readonly cache: Counter
  readonly retries: Counter
  /** The Prometheus text (`contentType`) of this gateway's series. */
  readonly render: Effect.Effect<string>
}

export interface Counter {
  readonly inc: (labels?: Labels, by?: number) => void
}

export interface Histogram {
  readonly observe: (value: number, labels?: Labels) => void
}
