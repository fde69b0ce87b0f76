/**
 * The whole Dixa API as this SDK knows it: every group, and every endpoint by id.
 *
 * @since 0.1.0
 */
import type * as Endpoint from "./Endpoint.js"
import * as Group from "./Group.js"
import { OrganizationApi } from "./api/Organization.js"

/** Every group, in the order they are documented. */
export const groups = [OrganizationApi] as const satisfies ReadonlyArray<Group.Any>

/** Every endpoint. */
export const endpoints: ReadonlyArray<Endpoint.Any> = groups.flatMap((group) => Group.endpoints(group))

/** Endpoints by id (`agents.get`). */
export const byId: ReadonlyMap<string, Endpoint.Any> = new Map(endpoints.map((e) => [e.id, e]))
