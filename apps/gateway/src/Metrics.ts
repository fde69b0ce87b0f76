/**
 * The gateway's metrics in the Prometheus text format: counters and histograms with labels, plus gauges read
 * when scraped. Label values are operation ids, statuses and caller names, never keys.
 */

type Labels = Readonly<Record<string, string>>

const escape = (value: string) => value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, "\\\"")

const labelText = (labels: Labels): string => {
  const parts = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${escape(v)}"`)
  return parts.length === 0 ? "" : `{${parts.join(",")}}`
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)))

interface Family {
  readonly name: string
  readonly help: string
  readonly render: () => Array<string>
}

export const make = () => {
  const families: Array<Family> = []

  const counter = (name: string, help: string) => {
    const values = new Map<string, { labels: Labels; value: number }>()
    families.push({
      name,
      help,
      render: () => [
        `# TYPE ${name} counter`,
        ...[...values.values()].map((v) => `${name}${labelText(v.labels)} ${v.value}`)
      ]
    })
    return {
      inc: (labels: Labels = {}, by = 1) => {
        const key = keyOf(labels)
        const current = values.get(key)
        if (current === undefined) values.set(key, { labels, value: by })
        else current.value += by
      }
    }
  }

  const histogram = (name: string, help: string, buckets: ReadonlyArray<number>) => {
    const values = new Map<string, { labels: Labels; counts: Array<number>; sum: number; count: number }>()
    families.push({
      name,
      help,
      render: () => {
        const lines = [`# TYPE ${name} histogram`]
        for (const v of values.values()) {
          buckets.forEach((le, i) =>
            lines.push(`${name}_bucket${labelText({ ...v.labels, le: String(le) })} ${v.counts[i]}`)
          )
          lines.push(`${name}_bucket${labelText({ ...v.labels, le: "+Inf" })} ${v.count}`)
          lines.push(`${name}_sum${labelText(v.labels)} ${v.sum}`)
          lines.push(`${name}_count${labelText(v.labels)} ${v.count}`)
        }
        return lines
      }
    })
    return {
      observe: (value: number, labels: Labels = {}) => {
        const key = keyOf(labels)
        let v = values.get(key)
        if (v === undefined) {
          v = { labels, counts: buckets.map(() => 0), sum: 0, count: 0 }
          values.set(key, v)
        }
        buckets.forEach((le, i) => {
          if (value <= le) v.counts[i]!++
        })
        v.sum += value
        v.count++
      }
    }
  }

  const gauge = (name: string, help: string, read: () => number) => {
    families.push({ name, help, render: () => [`# TYPE ${name} gauge`, `${name} ${read()}`] })
  }

  const render = (): string =>
    families.map((f) => [`# HELP ${f.name} ${f.help}`, ...f.render()].join("\n")).join("\n") + "\n"

  return { counter, histogram, gauge, render }
}

const seconds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

/** Every metric the gateway exports. */
export const gatewayMetrics = (depth: () => number) => {
  const registry = make()
  const metrics = {
    requests: registry.counter("dixa_gateway_requests_total", "Requests answered, by operation, status and caller."),
    upstreamLatency: registry.histogram(
      "dixa_gateway_upstream_seconds",
      "Time from sending upstream to the final upstream answer, retries included.",
      seconds
    ),
    limiterWait: registry.histogram(
      "dixa_gateway_limiter_wait_seconds",
      "Time a request waited for the shared rate budget.",
      seconds
    ),
    rateLimited: registry.counter(
      "dixa_gateway_rate_limited_total",
      "429 answers, by source: the gateway's own queue or upstream."
    ),
    cache: registry.counter("dixa_gateway_cache_total", "Cacheable GETs by outcome: hit, miss or coalesced."),
    retries: registry.counter("dixa_gateway_upstream_retries_total", "Upstream attempts beyond the first.")
  }
  registry.gauge("dixa_gateway_queue_depth", "Requests waiting for the shared rate budget now.", depth)
  return { ...metrics, render: registry.render }
}

export type GatewayMetrics = ReturnType<typeof gatewayMetrics>
