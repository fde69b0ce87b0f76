/** A two-operation API for timing tests with a scripted transport: one idempotent read, one unsafe create. */
import * as Schema from "effect/Schema"
import * as Endpoint from "../../src/Endpoint.js"
import * as Group from "../../src/Group.js"

const Thing = Schema.Struct({ id: Schema.String })

export const ThingsApi = Group.make("things", "test endpoints", {
  get: Endpoint.make({ method: "GET", path: "/beta/things", summary: "read", response: Endpoint.data(Thing) }),
  create: Endpoint.make({
    method: "POST",
    path: "/beta/things",
    summary: "create",
    body: Thing,
    response: Endpoint.data(Thing)
  })
})
