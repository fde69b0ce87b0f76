/**
 * The activity log (one conversation's, or every conversation's in a period) and the organization's
 * conversation flows.
 */
import * as Effect from "effect/Effect"
import { badRequest } from "../../internal/handler.js"
import type { ActivityEntry, State } from "../../internal/state.js"
import { activityLogOf, activityUser } from "../../internal/state/activity.js"
import { type Handlers, millis } from "./common.js"

const flowChannels = [
  "WhatsApp",
  "Voicemail",
  "WidgetChat",
  "FacebookMessenger",
  "Email",
  "ContactForm",
  "Callback",
  "PstnPhone",
  "Messenger"
]

/** An activity entry as sent now: its author as they are today (an anonymized end user has no name left). */
const entryView = (state: State) => (entry: ActivityEntry): ActivityEntry =>
  entry.author === undefined ? entry : { ...entry, author: activityUser(state, entry.author.id) }

export const handlers: Handlers<"getActivityLog" | "listActivityLog" | "listFlows"> = {
  getActivityLog: (input, ctx) =>
    Effect.gen(function*() {
      // The spec gives this operation no 404.
      if (!ctx.state.conversations.some((c) => c.data.id === input.conversationId)) {
        return yield* badRequest(`conversation ${input.conversationId} does not exist`)
      }
      return activityLogOf(ctx.state).filter((e) => e.conversationId === input.conversationId).map(entryView(ctx.state))
    }),

  listActivityLog: (input, ctx) =>
    Effect.sync(() => {
      const from = input.fromDatetime === undefined ? -Infinity : millis(input.fromDatetime)
      const to = input.toDatetime === undefined ? Infinity : millis(input.toDatetime)
      return activityLogOf(ctx.state)
        .filter((e) => {
          const at = Date.parse(e.activityTimestamp)
          return at >= from && at <= to
        })
        .sort((a, b) => a.activityTimestamp.localeCompare(b.activityTimestamp))
        .map(entryView(ctx.state))
    }),

  listFlows: (input, ctx) =>
    Effect.gen(function*() {
      // Without a channel, Dixa lists the phone flows.
      const channel = input.channel ?? "PstnPhone"
      if (!flowChannels.includes(channel)) {
        return yield* badRequest(`query.channel: expected one of ${flowChannels.join(", ")}`)
      }
      return (ctx.state.flows ?? []).filter((f) => f.channel === channel)
    })
}
