/**
 * What the command line knows about the API before it runs anything: every group and action with
 * its summary and command-line shape, plus a way to load an action's endpoint. The published bundle
 * gets a catalog computed at build time from the same definition, so `--help` does not build the
 * schemas of 123 operations; from sources it is computed here on start.
 *
 * @since 0.1.0
 */
import type * as Endpoint from "@org/dixa-core/Endpoint"
import type * as Group from "@org/dixa-core/Group"
import type * as Derive from "./Derive.js"

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

/** `displayName` → `display-name`, `createMany` → `create-many`, `_type` → `type`. */
export const kebab = (name: string): string =>
  name.replace(/^_+/, "").replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z])([A-Z][a-z])/g, "$1-$2")
    .replace(/_/g, "-").toLowerCase()
