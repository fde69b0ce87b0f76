import { expect, it } from "@effect/vitest"
import { ContactEndpoints } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { describeTargets, start } from "./support.js"

describeTargets("contact-endpoints", (target) => {
  it.scopedLive("list all or one type, get by address or number, refuse what is neither", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const endpoints = env.bind(ContactEndpoints.ContactEndpointsApi)
      const all = yield* endpoints.list()
      expect(all.map((e) => e._type))
        .toEqual(["EmailEndpoint", "EmailEndpoint", "TelephonyEndpoint", "TelephonyEndpoint"])
      const phones = yield* endpoints.list({ _type: "TelephonyEndpoint" })
      const numbers = phones.filter(Schema.is(ContactEndpoints.TelephonyEndpoint)).map((e) => e.number)
      expect(numbers).toEqual(["+4570100100", "+4570100200"])
      expect(yield* endpoints.get({ contactEndpointId: "Billing@Sandbox.example" })).toEqual(all[1])
      expect(yield* endpoints.get({ contactEndpointId: "+4570100200" })).toEqual(phones[1])
      expect((yield* Effect.flip(endpoints.get({ contactEndpointId: "nobody@sandbox.example" })))._tag).toBe("NotFound")
      expect((yield* Effect.flip(endpoints.get({ contactEndpointId: "not-an-endpoint" })))._tag).toBe("BadRequest")
      expect((yield* Effect.flip(endpoints.list({ _type: "FaxEndpoint" })))._tag).toBe("BadRequest")
    }))
})
