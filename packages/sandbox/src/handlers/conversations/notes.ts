/**
 * Internal notes: agents' remarks on a conversation that the end user never sees; one at a time or in
 * bulk, where each note succeeds or fails on its own.
 */
import type { Conversations } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { type Context, iso } from "../../internal/handler.js"
import type { Conversation, Note } from "../../internal/state.js"
import { extrasOf } from "../../internal/state/conversations.js"
import { checkAgent, findOrFail, type Handlers, log, millis } from "./common.js"

const noteView = (conversation: Conversation) => (note: Note) => ({ ...note, csid: conversation.data.id })

const addNote = (
  ctx: Context,
  conversation: Conversation,
  input: Conversations.CreateInternalNoteInput,
  field: string
) =>
  Effect.gen(function*() {
    yield* checkAgent(ctx.state, `${field}.agentId`, input.agentId)
    const note: Note = {
      id: ctx.rng.uuid(),
      authorId: input.agentId ?? ctx.state.apiUserId,
      createdAt: iso(input.createdAt === undefined ? ctx.now : millis(input.createdAt)),
      message: input.message
    }
    extrasOf(conversation).notes.push(note)
    log(ctx, conversation, "NoteAdded", note.authorId, { message: note.message })
    return noteView(conversation)(note)
  })

/** Adds each note on its own: the outcome of each, success or failure. */
const addEach = (
  ctx: Context,
  conversation: Conversation,
  notes: ReadonlyArray<Conversations.CreateInternalNoteInput>
) =>
  Effect.forEach(notes, (note, i) =>
    Effect.match(addNote(ctx, conversation, note, `body.data[${i}]`), {
      onSuccess: (data) => ({ _type: "BulkActionSuccess" as const, data }),
      onFailure: (error) => ({
        _type: "BulkActionFailure" as const,
        error: { _type: "ErrorResponse" as const, message: error.message }
      })
    }))

export const handlers: Handlers<"listNotes" | "addNote" | "addNotes"> = {
  listNotes: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.conversationId), (c) => (c.extras?.notes ?? []).map(noteView(c))),

  addNote: (input, ctx) =>
    Effect.flatMap(findOrFail(ctx.state, input.conversationId), (c) => addNote(ctx, c, input.body, "body")),

  addNotes: (input, ctx) =>
    Effect.flatMap(findOrFail(ctx.state, input.conversationId), (c) => addEach(ctx, c, input.body.data ?? []))
}
