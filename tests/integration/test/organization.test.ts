import { expect, it } from "@effect/vitest"
import { Organization } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { describeTargets, start } from "./support.js"

describeTargets("organization", (target) => {
  it.scopedLive("reads the organization behind the token; a wrong token is Unauthorized", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const organization = yield* env.bind(Organization.OrganizationApi).get()
      expect(organization.name).toBe("Sandbox Organization")
      const denied = yield* Effect.promise(() =>
        fetch(`${env.url}/beta/organization`, { headers: { authorization: "wrong" } })
      )
      expect(denied.status).toBe(401)
    }))
})
