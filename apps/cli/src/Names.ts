/**
 * Names for the ids a write is about, so that the line a person confirms reads `agentId=19269b36-… (Ada Lovelace)`:
 * for each path parameter, the group's own read of one item by that parameter (`agents get <agentId>`), called once,
 * with a short deadline. Whatever fails or takes too long is left as the bare id: a name is a courtesy, never a
 * reason not to ask.
 */
import type * as DixaClient from "@org/dixa-core/DixaClient"
import * as Endpoint from "@org/dixa-core/Endpoint"
import * as Effect from "effect/Effect"
import type * as Catalog from "./Catalog.js"

/** How long all the lookups together may take before the question is asked without them. */
const budget = "2 seconds"

/** The fields that name an item, best first. */
const nameFields = ["displayName", "name", "title", "email", "subdomain"] as const

const nameIn = (value: unknown): string | undefined => {
  if (typeof value !== "object" || value === null) return undefined
  for (const field of nameFields) {
    const name = (value as Record<string, unknown>)[field]
    if (typeof name === "string" && name !== "") return name
  }
  return undefined
}

/** The group's read of one item by `param` alone (`GET /beta/<items>/{param}`), if it has one. */
const readerOf = (catalog: Catalog.Catalog, group: string, param: string) =>
  Effect.promise(async (): Promise<Endpoint.Any | undefined> => {
    const actions = catalog.groups.find((g) => g.name === group)?.actions ?? []
    for (const action of actions) {
      if (action.shape.risk !== "read" || action.shape.args.length !== 1 || action.shape.args[0] !== param) continue
      const endpoint = await catalog.load(group, action.name)
      if (endpoint.method === "GET" && endpoint.path.endsWith(`/{${param}}`)) return endpoint
    }
    return undefined
  })

/** The names of the ids in a write's path, where one cheap read gives them. */
export const of = (
  client: DixaClient.Service,
  catalog: Catalog.Catalog,
  group: string,
  endpoint: Endpoint.Any,
  input: Readonly<Record<string, unknown>>
): Effect.Effect<Record<string, string>> =>
  Effect.gen(function*() {
    const names: Record<string, string> = {}
    for (const [param, id] of Object.entries(Endpoint.splitInput(endpoint, input).path)) {
      const reader = yield* readerOf(catalog, group, param)
      if (reader === undefined || typeof id !== "string") continue
      const item = yield* client.call(reader, { [param]: id } as never).pipe(Effect.option)
      const name = item._tag === "Some" ? nameIn(item.value) : undefined
      if (name !== undefined) names[param] = name
    }
    return names
  }).pipe(Effect.timeoutTo({ duration: budget, onSuccess: (names) => names, onTimeout: () => ({}) }))
