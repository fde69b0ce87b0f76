// `dixa analytics prepare-metric [id]` / `prepare-record [id]`: the catalogue, or one definition with every value of
// each of its filters, in one command; through the built bundle against a sandbox server.
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { against, dixa, json, serve } from "./support.js"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((item) => item.id)

describe("dixa analytics prepare-*", () => {
  it.scoped("without an id, the catalogue: the same metrics and records as the list operations", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const metrics = json(yield* against(url)(["analytics", "prepare-metric"]))
      expect(ids(metrics)).toEqual(ids(json(yield* against(url)(["analytics", "list-metrics", "--all"]))))
      expect(metrics.length).toBeGreaterThan(0)
      const records = json(yield* against(url)(["analytics", "prepare-record"]))
      expect(ids(records)).toEqual(ids(json(yield* against(url)(["analytics", "list-records", "--all"]))))
    }))

  it.scoped("with a metric id: its definition, and each filter with all its values, as one document", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const result = yield* against(url)(["analytics", "prepare-metric", "created_conversations"])
      expect(result.code, result.stderr).toBe(0)
      const prepared = json(result)
      const definition = json(yield* against(url)(["analytics", "get-metric", "created_conversations"]))
      expect(prepared.id).toBe("created_conversations")
      expect(prepared.aggregations).toEqual(definition.aggregations)
      expect(prepared.filters.map((f: any) => f.filterAttribute)).toEqual(
        definition.filters.map((f: any) => f.filterAttribute)
      )
      expect(prepared.filters.length).toBeGreaterThan(0)
      for (const filter of prepared.filters) {
        const values = json(
          yield* against(url)(["analytics", "list-filter-values", filter.filterAttribute, "--all", "--page-limit", "2"])
        )
        expect(filter.values, filter.filterAttribute).toEqual(values)
      }
      expect(prepared.filters.find((f: any) => f.filterAttribute === "channel").values).toContainEqual({
        value: "EMAIL",
        label: "Email"
      })
    }))

  it.scoped("with a record id: fields too; as a table, a summary to read", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const prepared = json(yield* against(url)(["analytics", "prepare-record", "ratings"]))
      expect(prepared.fieldsMetadata.length).toBeGreaterThan(0)
      expect(prepared.filters.every((f: any) => Array.isArray(f.values))).toBe(true)
      const table = yield* against(url)(["analytics", "prepare-metric", "created_conversations", "--output", "table"])
      expect(table.code, table.stderr).toBe(0)
      expect(table.stdout).toMatch(/^metric created_conversations: /)
      expect(table.stdout).toMatch(/^filters:$/m)
      expect(table.stdout).toMatch(/^ {2}channel \(\d+ values\)/m)
      expect(table.stdout).toMatch(/^ {4}EMAIL {2}Email$/m)
    }))

  it.scoped("an unknown id is Dixa's refusal, one line, exit 3", () =>
    Effect.gen(function*() {
      const { url } = yield* serve([])
      const result = yield* against(url)(["analytics", "prepare-metric", "no_such_metric"])
      expect(result.code).toBe(3)
      expect(result.stdout).toBe("")
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1)
    }))

  it.effect("is listed in the analytics help", () =>
    Effect.gen(function*() {
      const help = yield* dixa(["analytics", "--help"])
      expect(help.stdout).toMatch(/prepare-metric/)
      expect(help.stdout).toMatch(/prepare-record/)
    }))
})
