/**
 * Conversations: creating and importing them, their life cycle (close, reopen, claim, follow-up,
 * transfer, links), messages, internal notes, ratings, tags, custom attributes, the activity log and
 * the organization's flows. Every change is written to the activity log.
 */
import { Conversations } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import type { Context } from "../internal/handler.js"
import { badRequest, conflict, handle, iso, notFound } from "../internal/handler.js"
import * as Prng from "../internal/prng.js"
import {
  type ActivityEntry,
  activityLogOf,
  activityUser,
  extrasOf,
  logActivity,
  type Note,
  type Rating
} from "../internal/seed/conversations.js"
import { queuesOf } from "../internal/seed/queues.js"
import type { Conversation, Message, State } from "../internal/state.js"
import * as Anonymize from "./Anonymization.js"
import * as Attributes from "./CustomAttributes.js"

const api = Conversations.ConversationsApi.endpoints

const findOrFail = (state: State, id: number) => {
  const conversation = state.conversations.find((c) => c.data["id"] === id)
  return conversation === undefined
    ? Effect.fail(notFound(`conversation ${id} does not exist`))
    : Effect.succeed(conversation)
}

const isAnonymized = (conversation: Conversation) => conversation.data["_type"] === "AnonymizedConversation"
const idOf = (conversation: Conversation) => conversation.data["id"] as number
const requesterOf = (conversation: Conversation) => conversation.data["requesterId"] as string
const isAgent = (state: State, id: string) => state.agents.some((a) => a.id === id)

/** Fails with 400 when `userId` is given and is not an agent. */
const checkAgent = (state: State, field: string, userId: string | undefined) =>
  userId !== undefined && !isAgent(state, userId)
    ? Effect.fail(badRequest(`${field}: ${userId} is not an agent of this organization`))
    : Effect.void

const log = (
  ctx: Context,
  conversation: Conversation,
  type: string,
  authorId?: string,
  attributes?: Record<string, unknown>
) =>
  logActivity(ctx.state, ctx.rng, {
    conversationId: idOf(conversation),
    at: iso(ctx.now),
    type,
    authorId,
    ...(attributes === undefined ? {} : { attributes })
  })

const millis = (dt: DateTime.Utc) => DateTime.toEpochMillis(dt)

/** An activity entry as sent now: its author as they are today (an anonymized end user has no name left). */
const entryView = (state: State) => (entry: ActivityEntry): ActivityEntry =>
  entry.author === undefined ? entry : { ...entry, author: activityUser(state, entry.author.id) }

// ---------------------------------------------------------------------------------------------------
// Creating and importing

const defaultQueue = (state: State) => queuesOf(state).find((q) => q.isDefault) ?? queuesOf(state)[0]

type MessageInput = Conversations.CreateMessageInput

/** The text of a message body, whatever its content type. */
const textOf = (content: unknown): string => {
  const value = (content as { readonly value?: unknown } | undefined)?.value
  return typeof value === "string" ? value : ""
}

/** The author of a new message: the requester for inbound, the agent for outbound. */
const authorOf = (state: State, requesterId: string, message: MessageInput) =>
  Effect.gen(function*() {
    switch (message._type) {
      case "Inbound":
        return requesterId
      case "Outbound": {
        const { agentId } = message as Conversations.Outbound
        yield* checkAgent(state, "body.message.agentId", agentId)
        return agentId
      }
      default:
        return yield* badRequest("body.message._type: expected Inbound or Outbound")
    }
  })

const newMessage = (ctx: Context, authorId: string, message: MessageInput, at = ctx.now): Message => {
  const m = message as { content?: { value?: unknown }; externalId?: string }
  return {
    id: ctx.rng.uuid(),
    authorId,
    createdAt: iso(at),
    text: textOf(m.content),
    ...(m.externalId === undefined ? {} : { externalId: m.externalId })
  }
}

const endUserOrFail = (state: State, field: string, id: string) => {
  const user = state.endUsers.find((u) => u.id === id)
  return user === undefined ? Effect.fail(notFound(`${field}: end user ${id} does not exist`)) : Effect.succeed(user)
}

const createConversation = (input: Conversations.CreateConversationInput, ctx: Context) =>
  Effect.gen(function*() {
    const body = input as Conversations.CreateConversationInput & { requesterId?: string }
    if (typeof body.requesterId !== "string") return yield* badRequest("body._type: unknown kind of conversation")
    const requester = yield* endUserOrFail(ctx.state, "body.requesterId", body.requesterId)
    // Taken only once nothing can fail any more.
    const id = ctx.state.nextConversationId
    const now = iso(ctx.now)
    const common: Record<string, unknown> = {
      id,
      requesterId: requester.id,
      createdAt: now,
      direction: "Inbound",
      state: "Open",
      stateUpdatedAt: now
    }
    const queue = defaultQueue(ctx.state)
    const queued = queue === undefined ? {} : { queue: { id: queue.id, queuedAt: now } }
    const fromEmail = requester.email ?? `${requester.id}@unknown.example`
    const mailbox = (integration: string) => integration.includes("@") ? integration : "support@sandbox.example"
    let data: Record<string, unknown>
    let message: MessageInput | undefined
    switch (input._type) {
      case "Chat": {
        const chat = input as Conversations.Chat
        data = {
          _type: "ChatConversation",
          ...common,
          channel: "WidgetChat",
          ...queued,
          ...(chat.browserInfo === undefined ? {} : { browserInfo: chat.browserInfo }),
          ...(chat.language === undefined ? {} : { language: chat.language })
        }
        message = chat.message
        break
      }
      case "Email":
      case "ContactForm": {
        const email = input as Conversations.Email
        data = {
          _type: email._type === "Email" ? "EmailConversation" : "ContactFormConversation",
          ...common,
          channel: email._type,
          ...queued,
          fromEmail,
          toEmail: mailbox(email.emailIntegrationId),
          integrationEmail: mailbox(email.emailIntegrationId),
          subject: email.subject,
          ...(email.language === undefined ? {} : { language: email.language })
        }
        message = email.message
        break
      }
      case "Sms": {
        const sms = input as Conversations.Sms
        data = { _type: "SmsConversation", ...common, channel: "Sms", ...queued, toNumber: sms.contactEndpointId }
        message = sms.message
        break
      }
      case "Callback": {
        const callback = input as Conversations.Callback
        const target = queuesOf(ctx.state).find((q) => q.id === callback.queueId)
        if (target === undefined) return yield* notFound(`body.queueId: queue ${callback.queueId} does not exist`)
        data = {
          _type: "PstnPhoneConversation",
          ...common,
          channel: "Callback",
          direction: callback.direction,
          queue: { id: target.id, queuedAt: now }
        }
        break
      }
      default:
        return yield* badRequest("body._type: expected Callback, Chat, ContactForm, Email or Sms")
    }
    const messages: Array<Message> = []
    let creator = requester.id
    if (message !== undefined) {
      const authorId = yield* authorOf(ctx.state, requester.id, message)
      if (authorId !== requester.id) {
        creator = authorId
        data["direction"] = "Outbound"
      }
      messages.push(newMessage(ctx, authorId, message))
    }
    const conversation: Conversation = { data, messages, tagIds: [] }
    ctx.state.nextConversationId++
    ctx.state.conversations.push(conversation)
    const createdBy = creator === requester.id ? "ConversationCreatedByCustomer" : "ConversationCreatedByAgent"
    const subject = typeof data["subject"] === "string" ? { subject: data["subject"] } : undefined
    log(ctx, conversation, createdBy, creator, subject)
    for (const m of messages) logMessage(ctx, conversation, m)
    return { id }
  })

const logMessage = (ctx: Context, conversation: Conversation, message: Message) =>
  logActivity(ctx.state, ctx.rng, {
    conversationId: idOf(conversation),
    at: message.createdAt,
    type: message.authorId === requesterOf(conversation) ? "MessageAddedByCustomer" : "MessageAddedByAgent",
    authorId: message.authorId,
    attributes: { messageId: message.id }
  })

const importConversation = (input: Conversations.GenericConversationImport, ctx: Context) =>
  Effect.gen(function*() {
    const requester = yield* endUserOrFail(ctx.state, "body.requesterId", input.requesterId)
    if (input.genericChannelName.trim() === "") return yield* badRequest("body.genericChannelName: must not be empty")
    yield* checkAgent(ctx.state, "body.assignment.agentId", input.assignment?.agentId)
    if (input.closing !== undefined) yield* checkAgent(ctx.state, "body.closing.closedBy", input.closing.closedBy)
    const id = ctx.state.nextConversationId++
    const createdAt = iso(millis(input.createdAt))
    const closedAt = input.closing === undefined ? undefined : iso(millis(input.closing.closedAt))
    const data: Record<string, unknown> = {
      _type: "GenericConversation",
      id,
      requesterId: requester.id,
      channel: input.genericChannelName,
      createdAt,
      direction: input.direction,
      state: closedAt === undefined ? "Open" : "Closed",
      stateUpdatedAt: closedAt ?? createdAt,
      ...(input.assignment === undefined ? {} : {
        assignment: { agentId: input.assignment.agentId, assignedAt: iso(millis(input.assignment.assignedAt)) }
      })
    }
    const conversation: Conversation = { data, messages: [], tagIds: [] }
    const partialErrors: Array<{ message: string }> = []
    ;(input.messages ?? []).forEach((imported, i) => {
      const m = imported as Conversations.InboundImport | Conversations.OutboundImport
      if (m._type === "OutboundImport" && !isAgent(ctx.state, m.agentId)) {
        partialErrors.push({ message: `messages[${i}]: ${m.agentId} is not an agent; the message was skipped` })
        return
      }
      if (m._type !== "InboundImport" && m._type !== "OutboundImport") {
        partialErrors.push({ message: `messages[${i}]: unknown kind of message; it was skipped` })
        return
      }
      conversation.messages.push({
        id: ctx.rng.uuid(),
        authorId: m._type === "OutboundImport" ? m.agentId : requester.id,
        createdAt: iso(millis(m.createdAt)),
        text: textOf(m.content),
        ...(m.externalId === undefined ? {} : { externalId: m.externalId })
      })
    })
    conversation.messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    ctx.state.conversations.push(conversation)
    logActivity(ctx.state, ctx.rng, {
      conversationId: id,
      at: createdAt,
      type: "ConversationCreatedByCustomer",
      authorId: requester.id
    })
    for (const m of conversation.messages) logMessage(ctx, conversation, m)
    if (closedAt !== undefined) {
      logActivity(ctx.state, ctx.rng, {
        conversationId: id,
        at: closedAt,
        type: "ConversationClosed",
        authorId: input.closing!.closedBy
      })
    }
    return partialErrors.length === 0 ? { id } : { id, partialErrors }
  })

// ---------------------------------------------------------------------------------------------------
// Messages

const channelAttributes: Record<string, string> = {
  WidgetChat: "ChatAttributes",
  Messenger: "ChatAttributes",
  Email: "EmailAttributes",
  ContactForm: "ContactFormAttributes",
  Sms: "SmsAttributes",
  FacebookMessenger: "FacebookMessengerAttributes",
  WhatsApp: "WhatsAppAttributes",
  Twitter: "TwitterAttributes"
}

/** A stored message as Dixa sends it: its attributes take the conversation's channel. */
const messageView = (state: State, conversation: Conversation, message: Message) => {
  const direction = message.authorId === requesterOf(conversation) ? "Inbound" : "Outbound"
  const content = { _type: "Text", value: message.text }
  const type = channelAttributes[String(conversation.data["channel"])] ?? "GenericAttributes"
  let attributes: Record<string, unknown>
  switch (type) {
    case "ChatAttributes":
      attributes = { _type: type, content, direction, isAutomated: false }
      break
    case "EmailAttributes":
    case "ContactFormAttributes": {
      const customer = { email: String(conversation.data["fromEmail"] ?? "unknown@customer.example") }
      const mailbox = { email: String(conversation.data["integrationEmail"] ?? "support@sandbox.example") }
      const agent = state.agents.find((a) => a.id === message.authorId)
      const from = direction === "Inbound"
        ? customer
        : { email: mailbox.email, ...(agent === undefined ? {} : { name: agent.displayName }) }
      attributes = {
        _type: type,
        emailContent: { _type: "Regular", content },
        from,
        to: [direction === "Inbound" ? mailbox : customer],
        isAutoReply: false,
        direction
      }
      break
    }
    default:
      attributes = { _type: type, content, direction }
  }
  return {
    id: message.id,
    authorId: message.authorId,
    ...(message.externalId === undefined ? {} : { externalId: message.externalId }),
    createdAt: message.createdAt,
    attributes
  }
}

// ---------------------------------------------------------------------------------------------------
// Notes

const noteView = (conversation: Conversation) => (note: Note) => ({ ...note, csid: idOf(conversation) })

const addNote = (
  ctx: Context,
  conversation: Conversation,
  input: Conversations.CreateInternalNoteInput,
  field: string
) =>
  Effect.gen(function*() {
    if (input.message.trim() === "") return yield* badRequest(`${field}.message: must not be empty`)
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

// ---------------------------------------------------------------------------------------------------
// Ratings

const ratingRanges: Record<string, readonly [number, number]> = {
  Csat: [1, 5],
  Nps: [0, 10],
  ThumbsUpOrDown: [0, 1]
}

/** The agent a rating is about by default: the assignee, else the last agent who wrote. */
const agentOfConversation = (state: State, conversation: Conversation): string | undefined => {
  const assigned = (conversation.data["assignment"] as { agentId?: string } | undefined)?.agentId
  if (assigned !== undefined) return assigned
  return [...conversation.messages].reverse().find((m) => isAgent(state, m.authorId))?.authorId
}

const ratingView = (conversation: Conversation) => (rating: Rating) => ({
  id: rating.id,
  ...(rating.result === undefined ? {} : { ratingScore: rating.result.value }),
  ratingType: rating.ratingType,
  ...(rating.comment === undefined ? {} : { ratingComment: rating.comment }),
  conversationChannel: String(conversation.data["channel"]),
  agentId: rating.agentId,
  userId: rating.userId,
  ratingStatus: rating.status,
  ...(typeof conversation.data["language"] === "string" ? { language: conversation.data["language"] } : {}),
  timestamps: {
    created_at: rating.offeredAt,
    offered_at: rating.offeredAt,
    modified_at: rating.submittedAt ?? rating.offeredAt,
    ...(rating.submittedAt === undefined ? {} : { rated_at: rating.submittedAt })
  }
})

const listRatings = (input: { readonly conversationId: number }, ctx: Context) =>
  Effect.map(findOrFail(ctx.state, input.conversationId), (c) => (c.extras?.ratings ?? []).map(ratingView(c)))

// ---------------------------------------------------------------------------------------------------
// Flows

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

const linkTypes = ["EmailForward", "FollowUp", "SideConversation"]

/**
 * Wakes the conversations whose follow-up time has come: they are open again, as of that time. Runs
 * before every request; returns whether anything changed.
 */
export const settle = (state: State, now: number): boolean => {
  let changed = false
  for (const conversation of state.conversations) {
    const until = conversation.extras?.followUpAt
    if (until === undefined || Date.parse(until) > now) continue
    changed = true
    delete conversation.extras!.followUpAt
    if (conversation.data["state"] !== "Pending") continue
    conversation.data["state"] = "Open"
    conversation.data["stateUpdatedAt"] = until
    logActivity(state, Prng.fromCell(state), { conversationId: idOf(conversation), at: until, type: "FollowupExpired" })
  }
  return changed
}

export const handlers = [
  handle(api.get, (input, ctx) => Effect.map(findOrFail(ctx.state, input.conversationId), (c) => c.data)),

  handle(api.create, (input, ctx) => createConversation(input.body, ctx)),

  handle(api.import, (input, ctx) => importConversation(input.body, ctx)),

  handle(api.close, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const userId = input.body?.userId
      yield* checkAgent(ctx.state, "body.userId", userId)
      // Closing a closed (or anonymized) conversation changes nothing, as a PUT should.
      if (conversation.data["state"] === "Closed" || isAnonymized(conversation)) return
      conversation.data["state"] = "Closed"
      conversation.data["stateUpdatedAt"] = iso(ctx.now)
      delete extrasOf(conversation).followUpAt
      log(ctx, conversation, "ConversationClosed", userId ?? ctx.state.apiUserId)
    })),

  handle(api.reopen, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const userId = input.body?.userId
      yield* checkAgent(ctx.state, "body.userId", userId)
      if (isAnonymized(conversation)) {
        return yield* badRequest(`conversation ${input.conversationId} is anonymized and cannot be reopened`)
      }
      if (conversation.data["state"] === "Open") return
      conversation.data["state"] = "Open"
      conversation.data["stateUpdatedAt"] = iso(ctx.now)
      // Offered again in its queue, or the default queue when it had none.
      if (conversation.data["queue"] === undefined) {
        const queue = defaultQueue(ctx.state)
        if (queue !== undefined) conversation.data["queue"] = { id: queue.id, queuedAt: iso(ctx.now) }
      }
      log(ctx, conversation, "ConversationReopened", userId ?? ctx.state.apiUserId)
    })),

  handle(api.claim, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { agentId, force } = input.body
      yield* checkAgent(ctx.state, "body.agentId", agentId)
      if (isAnonymized(conversation) || conversation.data["state"] === "Closed") {
        return yield* badRequest(`conversation ${input.conversationId} is closed and cannot be claimed`)
      }
      const current = conversation.data["assignment"] as { agentId: string } | undefined
      if (current?.agentId === agentId) return
      if (current !== undefined && force !== true) {
        return yield* conflict(
          `conversation ${input.conversationId} is assigned to ${current.agentId}: pass force=true to take it over`
        )
      }
      conversation.data["assignment"] = { agentId, assignedAt: iso(ctx.now) }
      log(
        ctx,
        conversation,
        "ConversationClaimed",
        agentId,
        current === undefined ? {} : {
          claimedFromLabel: activityUser(ctx.state, current.agentId).name ?? current.agentId,
          claimedFromType: "Agent"
        }
      )
    })),

  handle(api.followUp, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { timestamp, userId } = input.body
      yield* checkAgent(ctx.state, "body.userId", userId)
      if (isAnonymized(conversation) || conversation.data["state"] === "Closed") {
        return yield* badRequest(`conversation ${input.conversationId} is closed: reopen it before a follow-up`)
      }
      const until = millis(timestamp)
      if (until <= ctx.now) return yield* badRequest("body.timestamp: must be in the future")
      conversation.data["state"] = "Pending"
      conversation.data["stateUpdatedAt"] = iso(ctx.now)
      extrasOf(conversation).followUpAt = iso(until)
      log(ctx, conversation, "FollowupAdded", userId ?? ctx.state.apiUserId)
    })),

  handle(api.transferToQueue, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { queueId, userId } = input.body
      yield* checkAgent(ctx.state, "body.userId", userId)
      const queue = queuesOf(ctx.state).find((q) => q.id === queueId)
      if (queue === undefined) return yield* notFound(`queue ${queueId} does not exist`)
      if (isAnonymized(conversation) || conversation.data["state"] === "Closed") {
        return yield* badRequest(`conversation ${input.conversationId} is closed and cannot be transferred`)
      }
      // The conversation waits in its new queue, offered to nobody yet.
      conversation.data["queue"] = { id: queue.id, queuedAt: iso(ctx.now) }
      delete conversation.data["assignment"]
      log(ctx, conversation, "TransferSuccessful", userId ?? ctx.state.apiUserId, {
        transferType: "Queue",
        destinationType: "Queue",
        destinationId: queue.id,
        destinationLabel: queue.name
      })
    })),

  handle(api.link, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { linkType, parentId } = input.body
      if (!linkTypes.includes(linkType)) {
        return yield* badRequest(`body.linkType: expected one of ${linkTypes.join(", ")}`)
      }
      if (parentId === input.conversationId) {
        return yield* badRequest("body.parentId: a conversation cannot be its own parent")
      }
      const parent = yield* findOrFail(ctx.state, parentId)
      // No cycles: the parent may not hang (directly or not) under this conversation.
      let up: Conversation | undefined = parent
      while (up !== undefined) {
        const link = up.data["link"] as { parentId?: number } | undefined
        if (link?.parentId === input.conversationId) {
          return yield* badRequest(`body.parentId: ${parentId} is linked under ${input.conversationId} already`)
        }
        up = link?.parentId === undefined ? undefined : ctx.state.conversations.find((c) => idOf(c) === link.parentId)
      }
      conversation.data["link"] = { _type: linkType, parentId }
      log(ctx, conversation, "ConversationLinked", ctx.state.apiUserId, {
        child: input.conversationId,
        parent: parentId,
        linkType
      })
    })),

  handle(
    api.listLinked,
    (input, ctx) =>
      Effect.map(findOrFail(ctx.state, input.conversationId), () =>
        ctx.state.conversations
          .filter((c) => (c.data["link"] as { parentId?: number } | undefined)?.parentId === input.conversationId)
          .map((c) => c.data))
  ),

  handle(
    api.anonymize,
    (input, ctx) => Effect.map(Anonymize.conversation(ctx, input.conversationId, input.force === true), Anonymize.view)
  ),

  handle(
    api.anonymizeMessage,
    (input, ctx) => Effect.map(Anonymize.message(ctx, input.conversationId, input.messageId), Anonymize.view)
  ),

  handle(
    api.listMessages,
    (input, ctx) =>
      Effect.map(
        findOrFail(ctx.state, input.conversationId),
        (c) => c.messages.map((m) => messageView(ctx.state, c, m))
      )
  ),

  handle(api.addMessage, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      if (isAnonymized(conversation)) {
        return yield* badRequest(`conversation ${input.conversationId} is anonymized: no messages can be added`)
      }
      const authorId = yield* authorOf(ctx.state, requesterOf(conversation), input.body)
      const message = newMessage(ctx, authorId, input.body)
      conversation.messages.push(message)
      logMessage(ctx, conversation, message)
      const content = (input.body as { content?: unknown }).content
      return {
        ...(content === undefined ? {} : { content }),
        direction: authorId === requesterOf(conversation) ? "Inbound" : "Outbound",
        authorId,
        ...(message.externalId === undefined ? {} : { externalId: message.externalId }),
        messageId: message.id,
        createdAt: message.createdAt
      }
    })),

  handle(
    api.listNotes,
    (input, ctx) =>
      Effect.map(findOrFail(ctx.state, input.conversationId), (c) => (c.extras?.notes ?? []).map(noteView(c)))
  ),

  handle(
    api.addNote,
    (input, ctx) =>
      Effect.flatMap(findOrFail(ctx.state, input.conversationId), (c) => addNote(ctx, c, input.body, "body"))
  ),

  handle(api.addNotes, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const notes = input.body.data ?? []
      if (notes.length === 0) return yield* badRequest("body.data: give at least one note")
      const outcomes: Array<unknown> = []
      for (const [i, note] of notes.entries()) {
        const outcome = yield* Effect.either(addNote(ctx, conversation, note, `body.data[${i}]`))
        outcomes.push(
          outcome._tag === "Right"
            ? { _type: "BulkActionSuccess", data: outcome.right }
            : { _type: "BulkActionFailure", error: { _type: "ErrorResponse", message: outcome.left.message } }
        )
      }
      return outcomes
    })),

  handle(api.listRatings, listRatings),

  handle(api.listRatingsLegacy, listRatings),

  handle(api.offerRating, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const { agentId, offeredAt, ratingType, userId } = input.body
      if (ratingRanges[ratingType] === undefined) {
        return yield* badRequest(`body.ratingType: expected one of ${Object.keys(ratingRanges).join(", ")}`)
      }
      if (userId !== undefined && !ctx.state.endUsers.some((u) => u.id === userId)) {
        return yield* badRequest(`body.userId: ${userId} is not an end user of this organization`)
      }
      yield* checkAgent(ctx.state, "body.agentId", agentId)
      const agent = agentId ?? agentOfConversation(ctx.state, conversation)
      if (agent === undefined) {
        return yield* badRequest("body.agentId: nobody has handled this conversation yet; name the agent to rate")
      }
      const rating: Rating = {
        id: ctx.rng.uuid(),
        userId: userId ?? requesterOf(conversation),
        agentId: agent,
        ratingType,
        offeredAt: iso(offeredAt === undefined ? ctx.now : millis(offeredAt)),
        status: "Offered"
      }
      extrasOf(conversation).ratings.push(rating)
      log(ctx, conversation, "ConversationRatingOffered", agent, {
        agent: activityUser(ctx.state, agent),
        user: activityUser(ctx.state, rating.userId)
      })
      return { id: rating.id, userId: rating.userId, agentId: rating.agentId, ratingType, offeredAt: rating.offeredAt }
    })),

  handle(api.submitRating, (input, ctx) =>
    Effect.gen(function*() {
      // The spec gives this operation no 404: unknown conversations and offers are bad requests.
      const conversation = ctx.state.conversations.find((c) => idOf(c) === input.conversationId)
      if (conversation === undefined) return yield* badRequest(`conversation ${input.conversationId} does not exist`)
      const rating = conversation.extras?.ratings.find((r) => r.id === input.ratingId)
      if (rating === undefined) {
        return yield* badRequest(`ratingId: ${input.ratingId} is not a rating offered on this conversation`)
      }
      if (rating.status === "Rated") return yield* badRequest(`rating ${rating.id} has been answered already`)
      const { comment, ratingResult, submittedAt, userId } = input.body
      if (ratingResult._type !== rating.ratingType) {
        return yield* badRequest(`body.ratingResult._type: the offer asked for ${rating.ratingType}`)
      }
      const [min, max] = ratingRanges[rating.ratingType]!
      const value = (ratingResult as { value: number }).value
      if (value < min || value > max) {
        return yield* badRequest(`body.ratingResult.value: a ${rating.ratingType} score is from ${min} to ${max}`)
      }
      rating.status = "Rated"
      rating.result = { _type: rating.ratingType, value }
      rating.submittedAt = iso(submittedAt === undefined ? ctx.now : millis(submittedAt))
      rating.submittedBy = userId ?? rating.userId
      if (comment !== undefined) rating.comment = comment
      log(ctx, conversation, "ConversationRated", rating.submittedBy, {
        agent: activityUser(ctx.state, rating.agentId),
        score: value,
        ...(comment === undefined ? {} : { message: comment })
      })
      return {
        ratingId: rating.id,
        userId: rating.submittedBy,
        ratingResult: rating.result,
        ...(comment === undefined ? {} : { comment }),
        submittedAt: rating.submittedAt
      }
    })),

  handle(
    api.listTags,
    (input, ctx) =>
      Effect.map(
        findOrFail(ctx.state, input.conversationId),
        (conversation) => (conversation.tagIds ?? []).flatMap((id) => ctx.state.tags.filter((tag) => tag.id === id))
      )
  ),

  handle(api.addTag, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tag = ctx.state.tags.find((t) => t.id === input.tagId)
      if (tag === undefined) return yield* notFound(`tag ${input.tagId} does not exist`)
      if (tag.state !== "Active") return yield* badRequest(`tag ${tag.name} is inactive; only active tags can be added`)
      const tagIds = conversation.tagIds ?? (conversation.tagIds = [])
      if (tagIds.includes(tag.id)) return
      tagIds.push(tag.id)
      log(ctx, conversation, "TagAdded", ctx.state.apiUserId, { tag: tag.name })
    })),

  handle(api.removeTag, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tag = ctx.state.tags.find((t) => t.id === input.tagId)
      if (tag === undefined) return yield* notFound(`tag ${input.tagId} does not exist`)
      if (!(conversation.tagIds ?? []).includes(tag.id)) return
      conversation.tagIds = (conversation.tagIds ?? []).filter((id) => id !== input.tagId)
      log(ctx, conversation, "TagRemoved", ctx.state.apiUserId, { tag: tag.name })
    })),

  handle(api.addTags, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const tagIds = conversation.tagIds ?? (conversation.tagIds = [])
      for (const { name } of input.body.data ?? []) {
        const trimmed = name.trim()
        if (trimmed === "") continue
        // Tags named here that do not exist yet are created.
        let tag = ctx.state.tags.find((t) => t.name.toLowerCase() === trimmed.toLowerCase())
        if (tag === undefined) {
          tag = { id: ctx.rng.uuid(), name: trimmed, state: "Active" }
          ctx.state.tags.push(tag)
        }
        if (tag.state === "Active" && !tagIds.includes(tag.id)) {
          tagIds.push(tag.id)
          log(ctx, conversation, "TagAdded", ctx.state.apiUserId, { tag: tag.name })
        }
      }
    })),

  handle(api.patchCustomAttributes, (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const entries = Object.entries(input.body)
      if (entries.length === 0) return yield* badRequest("body: give at least one attribute")
      // The conversation carries its values rendered, as Dixa sends them.
      const rendered = (conversation.data["customAttributes"] ?? []) as Array<{ id: string; value: Attributes.Value }>
      const current: Attributes.Values = Object.fromEntries(
        rendered.map((a) => [a.id, typeof a.value === "string" ? a.value : [...a.value]])
      )
      const values = yield* Attributes.applyPatch(ctx.state, "Conversation", current, input.body)
      const next = Attributes.render(ctx.state, values)
      if (next.length > 0) conversation.data["customAttributes"] = next
      else delete conversation.data["customAttributes"]
      log(ctx, conversation, "ConversationCustomAttributesUpdated", ctx.state.apiUserId, {
        updatedAttributeIds: entries.map(([id]) => id),
        updatedAttributeValues: Object.fromEntries(entries)
      })
      return next
    })),

  handle(api.getActivityLog, (input, ctx) =>
    Effect.gen(function*() {
      // The spec gives this operation no 404.
      if (!ctx.state.conversations.some((c) => idOf(c) === input.conversationId)) {
        return yield* badRequest(`conversation ${input.conversationId} does not exist`)
      }
      return activityLogOf(ctx.state).filter((e) => e.conversationId === input.conversationId).map(entryView(ctx.state))
    })),

  handle(api.listActivityLog, (input, ctx) =>
    Effect.gen(function*() {
      const from = input.fromDatetime === undefined ? -Infinity : millis(input.fromDatetime)
      const to = input.toDatetime === undefined ? Infinity : millis(input.toDatetime)
      if (from > to) return yield* badRequest("query.fromDatetime: must not be after toDatetime")
      return activityLogOf(ctx.state)
        .filter((e) => {
          const at = Date.parse(e.activityTimestamp)
          return at >= from && at <= to
        })
        .sort((a, b) => a.activityTimestamp.localeCompare(b.activityTimestamp))
        .map(entryView(ctx.state))
    })),

  handle(api.listFlows, (input, ctx) =>
    Effect.gen(function*() {
      // Without a channel, Dixa lists the phone flows.
      const channel = input.channel ?? "PstnPhone"
      if (!flowChannels.includes(channel)) {
        return yield* badRequest(`query.channel: expected one of ${flowChannels.join(", ")}`)
      }
      return (ctx.state.flows ?? []).filter((f) => f.channel === channel)
    }))
]
