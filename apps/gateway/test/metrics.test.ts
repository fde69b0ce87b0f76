/**
 * `/metrics` over real HTTP, a real gateway in front of a real sandbox: the text is parsed line by line as the
 * Prometheus text format (0.0.4) and each series is checked with its labels and value.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Redacted from "effect/Redacted"
import * as NodeGateway from "../src/NodeGateway.js"
import { call, callers, dixaToken, keys, stack } from "./support.js"

const [billing, reports, support] = callers as [typeof callers[0], typeof callers[0], typeof callers[0]]

interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

interface Exposition {
  readonly types: ReadonlyMap<string, string>
  readonly samples: ReadonlyArray<Sample>
}

const namePattern = "[a-zA-Z_:][a-zA-Z0-9_:]*"
const sampleLine = new RegExp(`^(${namePattern})(?:\\{(.*)\\})? (\\S+)$`)
const metadataLine = new RegExp(`^# (HELP|TYPE) (${namePattern})(?: (.*))?$`)
const types = new Set(["counter", "gauge", "histogram", "summary", "untyped"])

const parseValue = (text: string): number => {
  if (text === "+Inf") return Infinity
  if (text === "-Inf") return -Infinity
  if (text === "NaN") return NaN
  const value = Number(text)
  if (text.trim() === "" || Number.isNaN(value)) throw new Error(`not a sample value: ${text}`)
  return value
}

const parseLabels = (text: string | undefined): Record<string, string> => {
  const labels: Record<string, string> = {}
  if (text === undefined || text === "") return labels
  const pair = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)/y
  let at = 0
  while (at < text.length) {
    pair.lastIndex = at
    const match = pair.exec(text)
    if (match === null) throw new Error(`malformed labels at ${at}: {${text}}`)
    const [, name, escaped] = match as unknown as [string, string, string]
    if (name in labels) throw new Error(`label ${name} given twice: {${text}}`)
    labels[name] = escaped.replace(/\\(.)/g, (_, c: string) => (c === "n" ? "\n" : c))
    at = pair.lastIndex
  }
  return labels
}

/** The family a sample belongs to: a histogram's `_bucket`, `_sum` and `_count` belong to the histogram. */
const familyOf = (name: string, declared: ReadonlyMap<string, string>): string => {
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    const base = name.slice(0, -suffix.length)
    if (name.endsWith(suffix) && declared.get(base) === "histogram") return base
  }
  return name
}

const seriesKey = (name: string, labels: Readonly<Record<string, string>>) =>
  `${name}{${Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`).join(",")}}`

/**
 * Parses the Prometheus text format strictly: every line is metadata, a comment or a well-formed sample; each
 * family's TYPE comes before its samples and is given once; a family's lines are together; no series repeats.
 */
const parseExposition = (text: string): Exposition => {
  expect(text.endsWith("\n")).toBe(true)
  const declared = new Map<string, string>()
  const samples: Array<Sample> = []
  const seen = new Set<string>()
  const finished = new Set<string>()
  let current: string | undefined
  const enter = (family: string) => {
    if (family === current) return
    if (finished.has(family)) throw new Error(`the lines of ${family} are not together`)
    if (current !== undefined) finished.add(current)
    current = family
  }
  for (const line of text.slice(0, -1).split("\n")) {
    if (line === "") continue
    if (line.startsWith("#")) {
      const metadata = metadataLine.exec(line)
      if (metadata === null) continue // a comment (the OpenMetrics `# UNIT` is one for 0.0.4 readers)
      const [, kind, name, rest] = metadata as unknown as [string, string, string, string | undefined]
      enter(name)
      if (kind === "TYPE") {
        if (!types.has(rest ?? "")) throw new Error(`unknown type: ${line}`)
        if (declared.has(name)) throw new Error(`TYPE given twice: ${line}`)
        declared.set(name, rest!)
      }
      continue
    }
    const match = sampleLine.exec(line)
    if (match === null) throw new Error(`not a sample line: ${line}`)
    const [, name, labelText, valueText] = match as unknown as [string, string, string | undefined, string]
    const family = familyOf(name, declared)
    if (!declared.has(family)) throw new Error(`sample before its TYPE: ${line}`)
    enter(family)
    const labels = parseLabels(labelText)
    const key = seriesKey(name, labels)
    if (seen.has(key)) throw new Error(`series given twice: ${line}`)
    seen.add(key)
    samples.push({ name, labels, value: parseValue(valueText) })
  }
  return { types: declared, samples }
}

const series = (exposition: Exposition, name: string) => exposition.samples.filter((s) => s.name === name)

/** The value of the one series with exactly these labels, `undefined` when there is none. */
const valueOf = (exposition: Exposition, name: string, labels: Record<string, string> = {}) =>
  exposition.samples.find((s) => s.name === name && seriesKey(name, s.labels) === seriesKey(name, labels))?.value

const scrape = (url: string) =>
  Effect.gen(function*() {
    const answer = yield* call(`${url}/metrics`)
    expect(answer.status).toBe(200)
    expect(answer.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8")
    return { text: answer.text, exposition: parseExposition(answer.text) }
  })

const boundaries = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "+Inf"]

/** A histogram's series for one label set is whole: every bucket, cumulative, `+Inf` equal to `_count`. */
const histogram = (exposition: Exposition, name: string, labels: Record<string, string> = {}) => {
  const buckets = boundaries.map((le) => valueOf(exposition, `${name}_bucket`, { ...labels, le }))
  const count = valueOf(exposition, `${name}_count`, labels)
  const sum = valueOf(exposition, `${name}_sum`, labels)
  expect(buckets.every((b) => b !== undefined)).toBe(true)
  buckets.slice(1).forEach((b, i) => expect(b!).toBeGreaterThanOrEqual(buckets[i]!))
  expect(buckets.at(-1)).toBe(count)
  const own = series(exposition, `${name}_bucket`).filter((s) => {
    const { le: _, ...rest } = s.labels
    return seriesKey(name, rest) === seriesKey(name, labels)
  })
  expect(own.map((s) => s.labels["le"])).toEqual(boundaries)
  return { count: count!, sum: sum!, buckets: buckets as Array<number> }
}

describe("/metrics", () => {
  it.scoped("a 200, a cached hit and two 401s, each counted with its labels; nothing secret shows", () =>
    Effect.gen(function*() {
      const { gateway } = yield* stack()
      const miss = yield* call(`${gateway.url}/beta/tags`, { key: billing.key })
      const hit = yield* call(`${gateway.url}/beta/tags`, { key: reports.key })
      const unknown = yield* call(`${gateway.url}/beta/tags`, { key: "not-a-key-of-ours-at-all" })
      const upstreamToken = yield* call(`${gateway.url}/beta/tags`, { key: dixaToken })
      expect([miss.status, hit.status, unknown.status, upstreamToken.status]).toEqual([200, 200, 401, 401])
      expect([miss.headers.get("x-cache"), hit.headers.get("x-cache")]).toEqual(["miss", "hit"])

      const { exposition, text } = yield* scrape(gateway.url)

      expect(exposition.types.get("dixa_gateway_requests_total")).toBe("counter")
      expect(exposition.types.get("dixa_gateway_cache_total")).toBe("counter")
      expect(exposition.types.get("dixa_gateway_upstream_seconds")).toBe("histogram")
      expect(exposition.types.get("dixa_gateway_limiter_wait_seconds")).toBe("histogram")
      expect(exposition.types.get("dixa_gateway_queue_depth")).toBe("gauge")

      const requests = series(exposition, "dixa_gateway_requests_total")
      expect(requests.map((s) => seriesKey(s.name, s.labels)).sort()).toEqual([
        seriesKey("dixa_gateway_requests_total", { caller: "billing", operation: "tags.list", status: "200" }),
        seriesKey("dixa_gateway_requests_total", { caller: "reports", operation: "tags.list", status: "200" }),
        seriesKey("dixa_gateway_requests_total", { caller: "unauthenticated", operation: "tags.list", status: "401" })
      ].sort())
      const request = (caller: string, status: string) =>
        valueOf(exposition, "dixa_gateway_requests_total", { caller, operation: "tags.list", status })
      expect(request("billing", "200")).toBe(1)
      expect(request("reports", "200")).toBe(1)
      expect(request("unauthenticated", "401")).toBe(2)

      expect(series(exposition, "dixa_gateway_cache_total")).toHaveLength(2)
      expect(valueOf(exposition, "dixa_gateway_cache_total", { outcome: "miss" })).toBe(1)
      expect(valueOf(exposition, "dixa_gateway_cache_total", { outcome: "hit" })).toBe(1)

      // One request went upstream (the miss); it took one slot of the budget, at once.
      const upstream = histogram(exposition, "dixa_gateway_upstream_seconds", { operation: "tags.list" })
      expect(upstream.count).toBe(1)
      expect(upstream.sum).toBeGreaterThanOrEqual(0)
      expect(upstream.sum).toBeLessThan(30)
      expect(series(exposition, "dixa_gateway_upstream_seconds_count")).toHaveLength(1)
      const wait = histogram(exposition, "dixa_gateway_limiter_wait_seconds")
      expect(wait.count).toBe(1)
      expect(wait.buckets[0]).toBe(1)

      expect(valueOf(exposition, "dixa_gateway_queue_depth")).toBe(0)
      expect(series(exposition, "dixa_gateway_rate_limited_total")).toEqual([])
      expect(series(exposition, "dixa_gateway_upstream_retries_total")).toEqual([])

      // The exporter's `target_info` names the service; nothing else is exported.
      const targetInfo = series(exposition, "target_info")
      expect(targetInfo).toHaveLength(1)
      expect(targetInfo[0]!.labels["service_name"]).toBe("dixa-gateway")
      expect(targetInfo[0]!.value).toBe(1)
      const ours = exposition.samples.filter((s) => s.name !== "target_info")
      expect(ours.every((s) => s.name.startsWith("dixa_gateway_"))).toBe(true)

      // Labels carry caller names, operations, statuses and outcomes only: no keys, no token, no internal tag.
      const labelNames = new Set(ours.flatMap((s) => Object.keys(s.labels)))
      for (const name of labelNames) {
        expect(["caller", "operation", "status", "outcome", "le", "source"]).toContain(name)
      }
      for (const secret of [dixaToken, ...callers.map((c) => c.key), "not-a-key-of-ours-at-all"]) {
        expect(text).not.toContain(secret)
      }
    }))

  it.scoped(
    "429s from the gateway's own queue are counted by source, and as requests of their caller",
    () =>
      Effect.gen(function*() {
        const { gateway, sandbox } = yield* stack({
          gateway: { cacheTtl: 0, budget: { requestsPerSecond: 2, burst: 1 }, maxQueue: 1 }
        })
        const results = yield* Effect.forEach(
          Array.from({ length: 6 }, () => support),
          (caller) => call(`${gateway.url}/beta/organization`, { key: caller.key }),
          { concurrency: "unbounded" }
        )
        const refused = results.filter((r) => r.status === 429).length
        const answered = results.filter((r) => r.status === 200).length
        expect(refused).toBeGreaterThan(0)
        expect(refused + answered).toBe(results.length)
        expect((yield* sandbox.stats).rateLimited).toBe(0)

        const { exposition } = yield* scrape(gateway.url)
        expect(exposition.types.get("dixa_gateway_rate_limited_total")).toBe("counter")
        expect(series(exposition, "dixa_gateway_rate_limited_total")).toHaveLength(1)
        expect(valueOf(exposition, "dixa_gateway_rate_limited_total", { source: "gateway" })).toBe(refused)
        const request = (status: string) =>
          valueOf(exposition, "dixa_gateway_requests_total", {
            caller: "support",
            operation: "organization.get",
            status
          })
        expect(request("429")).toBe(refused)
        expect(request("200")).toBe(answered)
        expect(histogram(exposition, "dixa_gateway_upstream_seconds", { operation: "organization.get" }).count)
          .toBe(answered)
        expect(histogram(exposition, "dixa_gateway_limiter_wait_seconds").count).toBe(answered)
      }),
    30_000
  )

  it.scoped("each gateway in a process shows its own series only", () =>
    Effect.gen(function*() {
      const { gateway: first, sandbox } = yield* stack()
      const second = yield* NodeGateway.start({
        dixaApiKey: Redacted.make(dixaToken),
        dixaBaseUrl: sandbox.url,
        keys
      })
      yield* call(`${first.url}/beta/tags`, { key: billing.key })
      yield* call(`${first.url}/beta/tags`, { key: billing.key })
      const before = (yield* scrape(second.url)).exposition
      expect(series(before, "dixa_gateway_requests_total")).toEqual([])
      expect(series(before, "dixa_gateway_cache_total")).toEqual([])
      expect(valueOf(before, "dixa_gateway_queue_depth")).toBe(0)

      yield* call(`${second.url}/beta/tags`, { key: reports.key })
      const firstSeen = (yield* scrape(first.url)).exposition
      const secondSeen = (yield* scrape(second.url)).exposition
      const labels = (caller: string) => ({ caller, operation: "tags.list", status: "200" })
      expect(valueOf(firstSeen, "dixa_gateway_requests_total", labels("billing"))).toBe(2)
      expect(valueOf(firstSeen, "dixa_gateway_requests_total", labels("reports"))).toBeUndefined()
      expect(series(secondSeen, "dixa_gateway_requests_total")).toEqual([
        { name: "dixa_gateway_requests_total", labels: labels("reports"), value: 1 }
      ])
      expect(valueOf(firstSeen, "dixa_gateway_cache_total", { outcome: "hit" })).toBe(1)
      expect(valueOf(secondSeen, "dixa_gateway_cache_total", { outcome: "miss" })).toBe(1)
      expect(valueOf(secondSeen, "dixa_gateway_cache_total", { outcome: "hit" })).toBeUndefined()
    }))
})
