/**
 * Conversation extras, queues and the activity log: what the state file and anonymization do to them.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fs from "node:fs"
import * as Os from "node:os"
import * as Path from "node:path"
import * as Sandbox from "../src/index.js"
import { seed } from "../src/internal/state.js"
import { readStateFile } from "./stateFile.js"
import { raw } from "./support.js"

const tempDir = Effect.acquireRelease(
  Effect.sync(() => Fs.mkdtempSync(Path.join(Os.tmpdir(), "dixa-sandbox-conversations-"))),
  (dir) => Effect.sync(() => Fs.rmSync(dir, { recursive: true, force: true }))
)

describe("conversations, queues and the activity log", () => {
  it.scoped("a state file written before queues, flows, notes and the activity log existed still loads", () =>
    Effect.gen(function*() {
      const dir = yield* tempDir
      const stateFile = Path.join(dir, "state.json")
      const { activityLog: _, flows: __, queues: ___, ...older } = seed(1, 0)
      for (const c of older.conversations) delete c.extras
      Fs.writeFileSync(stateFile, JSON.stringify(older))
      const sandbox = yield* Sandbox.start({ rateLimit: false, stateFile })

      expect((yield* raw(sandbox, "GET", "/beta/queues")).json.data).toEqual([])
      expect((yield* raw(sandbox, "GET", "/beta/conversations/flows")).json.data).toEqual([])
      expect((yield* raw(sandbox, "GET", "/beta/conversations/1001/notes")).json.data).toEqual([])
      const note = yield* raw(sandbox, "POST", "/beta/conversations/1001/notes", {
        body: { message: "after the upgrade" }
      })
      expect(note.status).toBe(200)
      const log = yield* raw(sandbox, "GET", "/beta/conversations/1001/activitylog")
      expect(log.json.data.map((e: { _type: string }) => e._type)).toEqual(["NoteAdded"])
      const saved = yield* readStateFile(stateFile)
      expect(saved.activityLog!.length).toBe(1)
      expect(saved.conversations[0]!.extras!.notes![0]!.message).toBe("after the upgrade")
    }))

  it.scoped("the seed gives every seeded conversation its history, and the same ids for the same seed", () =>
    Effect.sync(() => {
      const first = seed(7, 0)
      const again = seed(7, 3)
      expect(again.queues).toEqual(first.queues)
      expect(again.activityLog).toEqual(first.activityLog)
      for (const c of first.conversations) {
        expect(first.activityLog!.some((e) => e.conversationId === c.data["id"])).toBe(true)
      }
      const times = first.activityLog!.map((e) => e.activityTimestamp)
      expect(times).toEqual([...times].sort())
      // Conversations waiting in a queue wait in one that exists.
      for (const c of first.conversations) {
        const queueId = ("queue" in c.data ? c.data.queue : undefined)?.id
        if (queueId !== undefined) expect(first.queues!.some((q) => q.id === queueId)).toBe(true)
      }
    }))

  it.scoped("a refused create takes no id; links keep to the spec's limits", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      const requesterId = (yield* raw(sandbox, "GET", "/beta/endusers")).json.data[0].id
      const chat = (message: unknown) => ({
        _type: "Chat",
        requesterId,
        widgetId: "00000000-0000-4000-8000-000000000002",
        message
      })
      const refused = yield* raw(sandbox, "POST", "/beta/conversations", {
        body: chat({ _type: "Outbound", agentId: "00000000-0000-4000-8000-000000000000" })
      })
      expect(refused.status).toBe(400)
      expect(refused.json.message).toMatch(/body\.message\.agentId/)
      const created = yield* raw(sandbox, "POST", "/beta/conversations", {
        body: chat({ _type: "Inbound", content: { _type: "Text", value: "hi" } })
      })
      expect(created.json.data.id).toBe(1005)

      const link = (child: number, parentId: number, linkType = "SideConversation") =>
        raw(sandbox, "PUT", `/beta/conversations/${child}/link`, { body: { parentId, linkType } })
      expect((yield* link(1002, 1001)).status).toBe(204)
      expect((yield* link(1003, 1001, "Related")).status).toBe(204)
      // The spec's link types are Related and SideConversation.
      expect((yield* link(1005, 1001, "FollowUp")).status).toBe(400)
      // A child has no children of its own, and one parent.
      expect((yield* link(1005, 1002)).status).toBe(400)
      expect((yield* link(1001, 1005)).status).toBe(400)
      expect((yield* link(1002, 1005)).status).toBe(400)
      expect((yield* link(1001, 1001)).status).toBe(400)
      const children = (yield* raw(sandbox, "GET", "/beta/conversations/1001/linked")).json.data
      expect(children.map((c: { id: number }) => c.id)).toEqual([1002, 1003])
      const related = (yield* raw(sandbox, "GET", "/beta/conversations/1003")).json.data
      expect(related.link).toEqual({ _type: "Related", parentId: 1001 })
    }))

  it.scopedLive("a follow-up snoozes a conversation until its time, then it is open again", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false })
      // Far enough ahead that the read below still sees it pending on a slow machine.
      const timestamp = new Date(Date.now() + 1500).toISOString()
      const snooze = yield* raw(sandbox, "PUT", "/beta/conversations/1001/followup", { body: { timestamp } })
      expect(snooze.status).toBe(204)
      expect((yield* raw(sandbox, "GET", "/beta/conversations/1001")).json.data.state).toBe("Pending")
      yield* Effect.sleep("2 seconds")
      const woken = (yield* raw(sandbox, "GET", "/beta/conversations/1001")).json.data
      expect(woken).toMatchObject({ state: "Open", stateUpdatedAt: timestamp })
      const log = (yield* raw(sandbox, "GET", "/beta/conversations/1001/activitylog")).json.data
      expect(log.slice(-2).map((e: { _type: string }) => e._type)).toEqual(["FollowupAdded", "FollowupExpired"])
    }))

  it.scoped("the activity log shows authors as they are now: an anonymized end user keeps no name or email", () =>
    Effect.gen(function*() {
      const sandbox = yield* Sandbox.start({ rateLimit: false, anonymizationDelay: 0 })
      const before = yield* raw(sandbox, "GET", "/beta/conversations/1001/activitylog")
      const created = before.json.data[0]
      expect(created._type).toBe("ConversationCreatedByCustomer")
      expect(created.author.email).toBe("maria@customer.example")
      const request = yield* raw(sandbox, "PATCH", `/beta/endusers/${created.author.id}/anonymize?force=true`)
      expect(request.status).toBe(202)
      const after = yield* raw(sandbox, "GET", "/beta/conversations/1001/activitylog")
      expect(after.json.data[0].author).toEqual({ id: created.author.id, name: "Anonymized user" })
    }))
})
