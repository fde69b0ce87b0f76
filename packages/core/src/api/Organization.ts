/**
 * Organization: the account the API token belongs to.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"
import * as Endpoint from "../Endpoint.js"
import * as Group from "../Group.js"
import { Uuid } from "../Model.js"

export const Organization = Schema.Struct({
  id: Uuid,
  name: Schema.String
}).annotations({ identifier: "Organization" })
export type Organization = typeof Organization.Type

/** Reads the organization the token belongs to. */
export const get = Endpoint.make({
  method: "GET",
  path: "/beta/organization",
  summary: "Read the organization the API token belongs to",
  response: Endpoint.data(Organization),
  errors: [400, 401, 404, 500]
})

export const OrganizationApi = Group.make("organization", "The organization behind the API token", { get })
