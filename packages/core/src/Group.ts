/**
 * A resource group: a named set of endpoints (agents, tags, ...). Groups are what the client exposes
 * as services and what the CLI exposes as command groups.
 *
 * @since 0.1.0
 */
import * as Endpoint from "./Endpoint.js"

/** A named set of endpoints, keyed by action name. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the default is a wildcard: a group of any endpoints
export interface Group<Name extends string = string, Endpoints extends Record<string, Endpoint.Any> = any> {
  /** The group's name on the command line and in operation ids, e.g. `agents` or `business-hours`. */
  readonly name: Name
  /** One line in our own words. */
  readonly summary: string
  readonly endpoints: Endpoints
}

/** Any group. */
export type Any = Group<string, Record<string, Endpoint.Any>>

/**
 * Builds a group. An endpoint defined with its id (`tags.list`, as every generated one is) is kept as it is, so the
 * value exported beside the group and the group's member are one; one defined without an id is given
 * `group.action` here.
 */
export const make = <const Name extends string, const Endpoints extends Record<string, Endpoint.Any>>(
  name: Name,
  summary: string,
  endpoints: Endpoints
): Group<Name, Endpoints> => {
  const members: Record<string, Endpoint.Any> = {}
  for (const [action, endpoint] of Object.entries(endpoints)) {
    const id = `${name}.${action}`
    if (endpoint.id !== "" && endpoint.id !== id) {
      throw new Error(`endpoint ${endpoint.id} is put in group ${name} as ${action}: its id says otherwise`)
    }
    members[action] = endpoint.id === id ? endpoint : { ...endpoint, ...Endpoint.names(id) }
  }
  return { name, summary, endpoints: members as Endpoints }
}

/** The endpoints of a group, in declaration order. */
export const endpoints = (group: Any): ReadonlyArray<Endpoint.Any> => Object.values(group.endpoints)
