/**
 * What the command line knows about the API before it runs anything: every group and action with
 * its summary and command-line shape, plus a way to load an action's endpoint. The published bundle
 * gets a catalog computed at build time from the same definition, so `--help` does not build the
 * schemas of 123 operations; from sources it is computed here on start.
 *
 * @since 0.1.0
 */
import type * as Endpoint from "@org/dixa-core/Endpoint"
import * as Group from "@org/dixa-core/Group"
import * as Derive from "./Derive.js"

/** One action of a group. */
export interface ActionInfo {
  /** The camelCase action name, as in the definition. */
  readonly name: string
  readonly summary: string
  readonly deprecated: boolean
  readonly shape: Derive.Shape
}

/** One group. */
export interface GroupInfo {
  readonly name: string
  readonly summary: string
  readonly actions: ReadonlyArray<ActionInfo>
}

/** The API as the command line sees it. */
export interface Catalog {
  readonly groups: ReadonlyArray<GroupInfo>
  /** The endpoint behind an action; may load its group's module. */
  readonly load: (group: string, action: string) => Promise<Endpoint.Any>
}

/** Describes groups: plain data, safe to serialise. */
export const describe = (groups: ReadonlyArray<Group.Any>): ReadonlyArray<GroupInfo> =>
  groups.map((group) => ({
    name: group.name,
    summary: group.summary,
    actions: Group.endpoints(group).map((endpoint) => ({
      name: endpoint.name,
      summary: endpoint.summary,
      deprecated: endpoint.deprecated,
      shape: Derive.shapeOf(endpoint)
    }))
  }))

/** Finds an action's endpoint among loaded groups. */
export const find = (groups: Iterable<unknown>, group: string, action: string): Endpoint.Any | undefined => {
  for (const value of groups) {
    const candidate = value as Partial<Group.Any> | null
    if (candidate && typeof candidate === "object" && candidate.name === group && candidate.endpoints) {
      const endpoint = candidate.endpoints[action]
      if (endpoint) return endpoint
    }
  }
  return undefined
}

/** A catalog over groups already in memory. */
export const fromGroups = (groups: ReadonlyArray<Group.Any>): Catalog => ({
  groups: describe(groups),
  load: (group, action) => {
    const endpoint = find(groups, group, action)
    return endpoint ? Promise.resolve(endpoint) : Promise.reject(new Error(`unknown action ${group} ${action}`))
  }
})
