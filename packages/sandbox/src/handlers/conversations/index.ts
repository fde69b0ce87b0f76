/**
 * Conversations, one file per part of them:
 *
 * - `create`: creating and importing conversations
 * - `lifecycle`: reading, closing, reopening, claiming, follow-ups, transfers, anonymizing
 * - `links`: linking a conversation under another
 * - `messages`: the messages, and adding one
 * - `notes`: internal notes
 * - `ratings`: rating offers and answers
 * - `tags`: the tags on a conversation
 * - `attributes`: custom attribute values
 * - `activity`: the activity log and the organization's flows
 *
 * Every change is written to the activity log.
 */
import type { Conversations } from "@org/dixa-core"
import type { GroupHandlers } from "../../internal/handler.js"
import * as Activity from "./activity.js"
import * as Attributes from "./attributes.js"
import * as Create from "./create.js"
import * as Lifecycle from "./lifecycle.js"
import * as Links from "./links.js"
import * as Messages from "./messages.js"
import * as Notes from "./notes.js"
import * as Ratings from "./ratings.js"
import * as Tags from "./tags.js"

export { settle } from "./lifecycle.js"

/** The files' handlers, each naming the operations it handles. */
export const parts = [
  Create.handlers,
  Lifecycle.handlers,
  Links.handlers,
  Messages.handlers,
  Notes.handlers,
  Ratings.handlers,
  Tags.handlers,
  Attributes.handlers,
  Activity.handlers
] as const

export const handlers: GroupHandlers<typeof Conversations.ConversationsApi> = {
  ...Create.handlers,
  ...Lifecycle.handlers,
  ...Links.handlers,
  ...Messages.handlers,
  ...Notes.handlers,
  ...Ratings.handlers,
  ...Tags.handlers,
  ...Attributes.handlers,
  ...Activity.handlers
}
