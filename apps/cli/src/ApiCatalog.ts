/**
 * The catalog of the whole API, computed from `Api.groups` on start. `build.mjs` replaces this module
 * in the bundle with one computed at build time (with {@link describe}) whose groups load on demand.
 *
 * @since 0.1.0
 */
import * as Api from "@org/dixa-core/Api"
import * as Group from "@org/dixa-core/Group"
import type * as Catalog from "./Catalog.js"
import { find } from "./Catalog.js"
import * as Derive from "./Derive.js"

/** Describes groups: plain data, safe to serialise. */
export const describe = (groups: ReadonlyArray<Group.Any>): ReadonlyArray<Catalog.GroupInfo> =>
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

/** A catalog over groups already in memory. */
export const fromGroups = (groups: ReadonlyArray<Group.Any>): Catalog.Catalog => ({
  groups: describe(groups),
  load: (group, action) => {
    const endpoint = find(groups, group, action)
    return endpoint ? Promise.resolve(endpoint) : Promise.reject(new Error(`unknown action ${group} ${action}`))
  }
})

export const catalog: Catalog.Catalog = fromGroups(Api.groups)
