/**
 * Creating a conversation (chat, email, contact form, SMS or callback, with its first message) and
 * importing a finished one from another system.
 */
import type { Conversations } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, type HttpFailure, iso, notFound } from "../../internal/handler.js"
import type { Conversation, ConversationData, EndUser, Message, State } from "../../internal/state.js"
import { logActivity } from "../../internal/state/activity.js"
import { queuesOf } from "../../internal/state/queues.js"
import { checkAgent, defaultQueue, type Handlers, isAgent, log, millis } from "./common.js"
import { authorOf, logMessage, newMessage, textOf } from "./messages.js"

type CreateInput = Conversations.CreateConversationInput
type MessageInput = Conversations.CreateMessageInput

/** The requester of a new conversation: a 404 when unknown (create), a 400 (import, "Requester does not exist"). */
const endUserOrFail = (state: State, field: string, id: string, fail: typeof notFound = notFound) => {
  const user = state.endUsers.find((u) => u.id === id)
  return user === undefined ? Effect.fail(fail(`${field}: end user ${id} does not exist`)) : Effect.succeed(user)
}

/** What every new conversation starts with: open, inbound, from its requester, waiting in the default queue. */
const opening = (ctx: Context, requester: EndUser) => {
  const now = iso(ctx.now)
  const queue = defaultQueue(ctx.state)
  return {
    common: {
      id: ctx.state.nextConversationId,
      requesterId: requester.id,
      createdAt: now,
      direction: "Inbound",
      state: "Open",
      stateUpdatedAt: now
    },
    queued: queue === undefined ? {} : { queue: { id: queue.id, queuedAt: now } }
  }
}

/** An email integration's address; integrations named otherwise answer from the support mailbox. */
const mailbox = (integration: string) => integration.includes("@") ? integration : "support@sandbox.example"

type Opening = ReturnType<typeof opening>

interface Started {
  readonly data: ConversationData
  readonly message?: MessageInput | undefined
}

const chat = (input: Conversations.Chat, { common, queued }: Opening): Started => ({
  data: {
    _type: "ChatConversation",
    ...common,
    channel: "WidgetChat",
    ...queued,
    ...(input.browserInfo === undefined ? {} : { browserInfo: input.browserInfo }),
    ...(input.language === undefined ? {} : { language: input.language })
  },
  message: input.message
})

const email = (
  input: Conversations.Email | Conversations.ContactForm,
  { common, queued }: Opening,
  requester: EndUser
): Started => ({
  data: {
    _type: input._type === "Email" ? "EmailConversation" : "ContactFormConversation",
    ...common,
    channel: input._type,
    ...queued,
    fromEmail: requester.email ?? `${requester.id}@unknown.example`,
    toEmail: mailbox(input.emailIntegrationId),
    integrationEmail: mailbox(input.emailIntegrationId),
    subject: input.subject,
    ...(input.language === undefined ? {} : { language: input.language })
  },
  message: input.message
})

const sms = (input: Conversations.Sms, { common, queued }: Opening): Started => ({
  data: { _type: "SmsConversation", ...common, channel: "Sms", ...queued, toNumber: input.contactEndpointId },
  message: input.message
})

const callback = (ctx: Context, input: Conversations.Callback, { common }: Opening) => {
  const target = queuesOf(ctx.state).find((q) => q.id === input.queueId)
  if (target === undefined) return Effect.fail(notFound(`body.queueId: queue ${input.queueId} does not exist`))
  const data: ConversationData = {
    _type: "PstnPhoneConversation",
    ...common,
    channel: "Callback",
    direction: input.direction,
    queue: { id: target.id, queuedAt: common.createdAt }
  }
  return Effect.succeed<Started>({ data })
}

/** The new conversation of each kind, and its first message if it has one. */
const start = (ctx: Context, input: CreateInput, requester: EndUser): Effect.Effect<Started, HttpFailure> => {
  const opened = opening(ctx, requester)
  switch (input._type) {
    case "Chat":
      return Effect.succeed(chat(input as Conversations.Chat, opened))
    case "Email":
    case "ContactForm":
      return Effect.succeed(email(input as Conversations.Email, opened, requester))
    case "Sms":
      return Effect.succeed(sms(input as Conversations.Sms, opened))
    case "Callback":
      return callback(ctx, input as Conversations.Callback, opened)
    default:
      return Effect.fail(badRequest("body._type: expected Callback, Chat, ContactForm, Email or Sms"))
  }
}

/** Adds the first message; an agent's makes the conversation outbound and the agent its creator. */
const firstMessage = (ctx: Context, started: Started, requester: EndUser) =>
  Effect.gen(function*() {
    if (started.message === undefined) return { messages: [], creator: requester.id }
    const authorId = yield* authorOf(ctx.state, requester.id, started.message, "body.message")
    if (authorId !== requester.id) started.data.direction = "Outbound"
    return { messages: [newMessage(ctx, authorId, started.message)], creator: authorId }
  })

const create = (input: CreateInput, ctx: Context) =>
  Effect.gen(function*() {
    // Every listed kind has a requester (the body holds only listed kinds, see `variants.ts`).
    const requesterId = (input as Conversations.Chat).requesterId
    const requester = yield* endUserOrFail(ctx.state, "body.requesterId", requesterId)
    const started = yield* start(ctx, input, requester)
    const { creator, messages } = yield* firstMessage(ctx, started, requester)
    // The id is taken only once nothing can fail any more.
    const conversation: Conversation = { data: started.data, messages, tagIds: [] }
    ctx.state.nextConversationId++
    ctx.state.conversations.push(conversation)
    const createdBy = creator === requester.id ? "ConversationCreatedByCustomer" : "ConversationCreatedByAgent"
    const subject = "subject" in started.data ? { subject: started.data.subject } : undefined
    log(ctx, conversation, createdBy, creator, subject)
    for (const m of messages) logMessage(ctx, conversation, m)
    return { id: started.data.id }
  })

type Imported = Conversations.InboundImport | Conversations.OutboundImport

/** The imported messages that can be kept, oldest first, and why the others were skipped. */
const importMessages = (ctx: Context, input: Conversations.GenericConversationImport) => {
  const messages: Array<Message> = []
  const partialErrors: Array<{ message: string }> = []
  ;(input.messages ?? []).forEach((imported, i) => {
    const m = imported as Imported
    if (m._type === "OutboundImport" && !isAgent(ctx.state, m.agentId)) {
      partialErrors.push({ message: `messages[${i}]: ${m.agentId} is not an agent; the message was skipped` })
    } else if (m._type !== "InboundImport" && m._type !== "OutboundImport") {
      partialErrors.push({ message: `messages[${i}]: unknown kind of message; it was skipped` })
    } else {
      messages.push({
        id: ctx.rng.uuid(),
        authorId: m._type === "OutboundImport" ? m.agentId : input.requesterId,
        createdAt: iso(millis(m.createdAt)),
        text: textOf(m.content),
        ...(m.externalId === undefined ? {} : { externalId: m.externalId })
      })
    }
  })
  messages.sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  return { messages, partialErrors }
}

/** The imported conversation as Dixa sends it: closed when the import says when it was. */
const importedData = (id: number, input: Conversations.GenericConversationImport): ConversationData => {
  const createdAt = iso(millis(input.createdAt))
  const closedAt = input.closing === undefined ? undefined : iso(millis(input.closing.closedAt))
  return {
    _type: "GenericConversation",
    id,
    requesterId: input.requesterId,
    channel: input.genericChannelName,
    createdAt,
    direction: input.direction,
    state: closedAt === undefined ? "Open" : "Closed",
    stateUpdatedAt: closedAt ?? createdAt,
    ...(input.assignment === undefined ? {} : {
      assignment: { agentId: input.assignment.agentId, assignedAt: iso(millis(input.assignment.assignedAt)) }
    })
  }
}

const importConversation = (input: Conversations.GenericConversationImport, ctx: Context) =>
  Effect.gen(function*() {
    const requester = yield* endUserOrFail(ctx.state, "body.requesterId", input.requesterId, badRequest)
    yield* checkAgent(ctx.state, "body.assignment.agentId", input.assignment?.agentId)
    if (input.closing !== undefined) yield* checkAgent(ctx.state, "body.closing.closedBy", input.closing.closedBy)
    const id = ctx.state.nextConversationId++
    const data = importedData(id, input)
    const { messages, partialErrors } = importMessages(ctx, input)
    const conversation: Conversation = { data, messages, tagIds: [] }
    ctx.state.conversations.push(conversation)
    const history = { state: ctx.state, rng: ctx.rng, conversationId: id }
    logEntry(history, data.createdAt, "ConversationCreatedByCustomer", requester.id)
    for (const m of messages) logMessage(ctx, conversation, m)
    if (input.closing !== undefined) {
      logEntry(history, data.stateUpdatedAt!, "ConversationClosed", input.closing.closedBy)
    }
    return partialErrors.length === 0 ? { id } : { id, partialErrors }
  })

const logEntry = (
  history: { readonly state: State; readonly rng: Context["rng"]; readonly conversationId: number },
  at: string,
  type: string,
  authorId: string
) => logActivity(history.state, history.rng, { conversationId: history.conversationId, at, type, authorId })

export const handlers: Handlers<"create" | "import"> = {
  create: (input, ctx) => create(input.body, ctx),

  import: (input, ctx) => importConversation(input.body, ctx)
}
