/** An API for timing tests with a scripted transport: an idempotent read, an unsafe create and a paginated list. */
import * as Schema from "effect/Schema"
import * as Endpoint from "../../src/Endpoint.js"
import * as Group from "../../src/Group.js"
import { PageParams } from "../../src/Model.js"

const Thing = Schema.Struct({ id: Schema.String })

export const ThingsApi = Group.make("things", "test endpoints", {
  get: Endpoint.make({ method: "GET", path: "/beta/things", summary: "read", response: Endpoint.data(Thing) }),
  create: Endpoint.make({
    method: "POST",
    path: "/beta/things",
    summary: "create",
    body: Thing,
    response: Endpoint.data(Thing)
  }),
  list: Endpoint.make({
    method: "GET",
    path: "/beta/things/list",
    summary: "list",
    query: PageParams,
    response: Endpoint.page(Thing)
  })
})
