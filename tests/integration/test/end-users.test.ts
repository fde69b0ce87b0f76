import { expect, it } from "@effect/vitest"
import { Anonymization, CustomAttributes, EndUsers, type Model } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import { describeTargets, start } from "./support.js"

const userId = (id: string) => id as Model.UserId
const isSuccess = Schema.is(EndUsers.EndUserBulkSuccess)
const isFailure = Schema.is(EndUsers.EndUserBulkFailure)
/** An outcome's user, or its error's `_type`. */
const outcome = (o: EndUsers.EndUserBulkOutcome) => isSuccess(o) ? o.data : isFailure(o) ? o.error._type : "?"

describeTargets("end-users", (target) => {
  it.scopedLive("create, get, update replaces, patch changes only the given fields, lists filter", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const endUsers = env.bind(EndUsers.EndUsersApi)
      const created = yield* endUsers.create({
        body: { email: "alice@brown.example", phoneNumber: "+4511223344", firstName: "Alice", lastName: "Brown" }
      })
      expect(created.displayName).toBe("Alice Brown")
      expect(created.additionalEmails).toEqual([])
      const id = userId(created.id)
      expect(yield* endUsers.get({ userId: id })).toEqual(created)

      const updated = yield* endUsers.update({
        userId: id,
        body: { displayName: "Alice B.", email: "alice@brown.example", externalId: "X-1", middleNames: ["J."] }
      })
      expect(updated.displayName).toBe("Alice B.")
      expect(updated.phoneNumber).toBeUndefined()
      expect(updated.firstName).toBeUndefined()
      expect(updated.middleNames).toEqual(["J."])
      expect(updated.createdAt).toEqual(created.createdAt)

      const patched = yield* endUsers.patch({ userId: id, body: { phoneNumber: "+4599887766" } })
      expect(patched.phoneNumber).toBe("+4599887766")
      expect(patched.externalId).toBe("X-1")
      expect(patched.displayName).toBe("Alice B.")

      expect((yield* endUsers.list({ phone: "+4599887766" })).data.map((u) => u.id)).toEqual([created.id])
      expect((yield* endUsers.list({ externalId: "X-1" })).data.map((u) => u.id)).toEqual([created.id])
      expect((yield* endUsers.list({ email: "ALICE@brown.example" })).data.map((u) => u.id)).toEqual([created.id])
      const all = yield* Stream.runCollect(endUsers.listAll({ pageLimit: 2 }))
      expect(Chunk.toReadonlyArray(all).map((u) => u.id)).toContain(created.id)
      expect(Chunk.size(all)).toBe(4)
    }))

  it.scopedLive("refuses taken contact details, unknown users and empty patches", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const endUsers = env.bind(EndUsers.EndUsersApi)
      const maria = (yield* endUsers.list({ email: "maria@customer.example" })).data[0]!
      const taken = yield* Effect.flip(endUsers.create({ body: { email: "Maria@customer.example" } }))
      expect(taken._tag).toBe("BadRequest")
      expect((yield* Effect.flip(endUsers.patch({ userId: userId(maria.id), body: {} })))._tag).toBe("BadRequest")
      const nobody = userId("00000000-0000-4000-8000-000000000000")
      expect((yield* Effect.flip(endUsers.get({ userId: nobody })))._tag).toBe("NotFound")
      const update = endUsers.update({ userId: nobody, body: { displayName: "x" } })
      expect((yield* Effect.flip(update))._tag).toBe("NotFound")
      expect((yield* Effect.flip(endUsers.listConversations({ userId: nobody })))._tag).toBe("NotFound")
      const twoFilters = endUsers.list({ email: "a@b.example", phone: "+4511111111" })
      expect((yield* Effect.flip(twoFilters))._tag).toBe("BadRequest")
      // Nothing was stored by the refused requests.
      expect((yield* endUsers.list()).data).toHaveLength(3)
    }))

  it.scopedLive("bulk create, update and patch report an outcome per user", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const endUsers = env.bind(EndUsers.EndUsersApi)
      const created = yield* endUsers.createMany({
        body: {
          data: [
            { displayName: "Bulk One", email: "one@bulk.example" },
            { displayName: "Bulk Two", email: "two@bulk.example" },
            { displayName: "Bulk Dup", email: "one@bulk.example" }
          ]
        }
      })
      const [one, two, dup] = created.map(outcome)
      if (typeof one !== "object" || typeof two !== "object") return expect.fail("expected two users")
      expect([one.displayName, two.displayName, dup]).toEqual(["Bulk One", "Bulk Two", "Validation"])

      const missing = "00000000-0000-4000-8000-000000000001"
      const updated = yield* endUsers.updateMany({
        body: { data: [{ id: one.id, displayName: "Bulk Uno" }, { id: userId(missing), displayName: "Ghost" }] }
      })
      const [uno0, ghost] = updated.map(outcome)
      expect(typeof uno0 === "object" && uno0.displayName).toBe("Bulk Uno")
      expect(ghost).toBe("NotFound")
      const uno = yield* endUsers.get({ userId: userId(one.id) })
      expect(uno.displayName).toBe("Bulk Uno")
      expect(uno.email).toBeUndefined()

      const patched = yield* endUsers.patchMany({
        body: {
          data: [{ id: two.id, externalId: "B-2" }, { id: one.id }, { id: two.id, email: "maria@customer.example" }]
        }
      })
      const [patchedTwo, empty, clash] = patched.map(outcome)
      expect(typeof patchedTwo === "object" && patchedTwo.externalId).toBe("B-2")
      expect([empty, clash]).toEqual(["EmptyPatchSet", "Validation"])
      const read = yield* endUsers.get({ userId: userId(two.id) })
      expect(read.externalId).toBe("B-2")
      expect(read.email).toBe("two@bulk.example")
      expect(read.displayName).toBe("Bulk Two")
    }))

  it.scopedLive("custom attributes are checked against the definitions; conversations of a user", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const endUsers = env.bind(EndUsers.EndUsersApi)
      const definitions = yield* env.bind(CustomAttributes.CustomAttributesApi).list()
      const byIdentifier = (identifier: string) => definitions.find((d) => d.identifier === identifier)!.id
      const tier = byIdentifier("customer_tier")
      const location = byIdentifier("location")
      const crm = byIdentifier("crm_id")
      const ole = (yield* endUsers.list({ email: "ole.hansen@work.example" })).data[0]!
      const id = userId(ole.id)
      expect((yield* endUsers.get({ userId: id })).customAttributes?.map((a) => a.value)).toEqual(["silver"])

      const after = yield* endUsers.patchCustomAttributes({
        userId: id,
        body: { [tier]: "gold", [location]: ["sweden", "stockholm"], [crm]: "CRM-7" }
      })
      expect(after.map((a) => [a.identifier, a.value])).toEqual([
        ["customer_tier", "gold"],
        ["crm_id", "CRM-7"],
        ["location", ["sweden", "stockholm"]]
      ])
      const cleared = yield* endUsers.patchCustomAttributes({ userId: id, body: { [crm]: "" } })
      expect(cleared.map((a) => a.identifier)).toEqual(["customer_tier", "location"])
      expect((yield* endUsers.get({ userId: id })).customAttributes).toEqual(cleared)

      const badOption = yield* Effect.flip(endUsers.patchCustomAttributes({ userId: id, body: { [tier]: "platinum" } }))
      expect(badOption._tag).toBe("BadRequest")
      const conversationAttribute = byIdentifier("parcel_id")
      const wrongEntity = yield* Effect.flip(
        endUsers.patchCustomAttributes({ userId: id, body: { [conversationAttribute]: "PX-1" } })
      )
      expect(wrongEntity._tag).toBe("BadRequest")
      expect((yield* endUsers.get({ userId: id })).customAttributes).toEqual(cleared)

      const maria = (yield* endUsers.list({ email: "maria@customer.example" })).data[0]!
      const conversations = yield* endUsers.listConversations({ userId: userId(maria.id) })
      expect(conversations.data.map((c) => c.id).sort()).toEqual([1001, 1004])
      const sofia = (yield* endUsers.list({ email: "sofia@customer.example" })).data[0]!
      const page = yield* endUsers.listConversations({ userId: userId(sofia.id) })
      expect(page.data.map((c) => c.requesterId)).toEqual([sofia.id])
    }))

  it.scopedLive("anonymizing an end user erases every personal detail and attribute", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const endUsers = env.bind(EndUsers.EndUsersApi)
      const ole = (yield* endUsers.list({ phone: "+4520445566" })).data[0]!
      const request = yield* endUsers.anonymize({ userId: userId(ole.id) })
      const requestId = request.id as Model.AnonymizationRequestId
      yield* env.bind(Anonymization.AnonymizationApi).getRequest({ requestId }).pipe(
        Effect.filterOrFail((r) => r.processedAt !== undefined),
        Effect.retry(Schedule.spaced("100 millis").pipe(Schedule.upTo("10 seconds")))
      )
      const after = yield* endUsers.get({ userId: userId(ole.id) })
      expect(after).toEqual({
        id: ole.id,
        createdAt: ole.createdAt,
        displayName: "Anonymized user",
        additionalEmails: [],
        additionalPhoneNumbers: [],
        middleNames: []
      })
      expect((yield* Effect.flip(endUsers.list({ phone: "+4520445566" })))._tag).toBe("NotFound")
      // The phone filter ignores spaces.
      const maria = yield* endUsers.list({ phone: "+45 20 11 22 33" })
      expect(maria.data.map((u) => u.displayName)).toEqual(["Maria Jensen"])
    }))
})
