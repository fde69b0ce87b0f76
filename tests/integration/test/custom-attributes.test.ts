import { expect, it } from "@effect/vitest"
import { CustomAttributes } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { describeTargets, start } from "./support.js"

describeTargets("custom-attributes", (target) => {
  it.scopedLive("list the seeded definitions, get one with its nested options, unknown id is 404", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const attributes = env.bind(CustomAttributes.CustomAttributesApi)
      const all = yield* attributes.list()
      expect(all.map((d) => `${d.entityType}:${d.identifier}`)).toEqual([
        "Conversation:contact_reason",
        "Conversation:parcel_id",
        "Conversation:old_priority",
        "Contact:customer_tier",
        "Contact:crm_id",
        "Contact:location"
      ])
      expect(all.filter((d) => d.isDeactivated).map((d) => d.identifier)).toEqual(["old_priority"])
      const reason = all[0]!
      const read = yield* attributes.get({ customAttributeId: reason.id })
      expect(read).toEqual(reason)
      expect(read.inputDefinition._type).toBe("Select")
      const input = read.inputDefinition as CustomAttributes.CustomAttributeInputDefinitionSelect
      const payment = input.options?.find((o) => o.value === "payment")
      expect(payment?.nestedOptions?.map((o) => o.value)).toEqual(["card", "bank_transfer"])
      const missing = yield* Effect.flip(attributes.get({ customAttributeId: "00000000-0000-4000-8000-000000000000" }))
      expect(missing._tag).toBe("NotFound")
    }))
})
