/**
 * The messages of a conversation: listing them as Dixa shows them (attributes by channel), and adding
 * one from the end user or an agent. Also how a new message is read from a request, for creating
 * conversations.
 */
import type { Conversations } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, iso } from "../../internal/handler.js"
import type { Conversation, Message, State } from "../../internal/state.js"
import { logActivity } from "../../internal/state/activity.js"
import { checkAgent, findOrFail, type Handlers } from "./common.js"

type MessageInput = Conversations.CreateMessageInput
type MessageView = typeof Conversations.Message.Encoded

/** The text of a message body, whatever its content type. */
export const textOf = (content: unknown): string => {
  const value = (content as { readonly value?: unknown } | undefined)?.value
  return typeof value === "string" ? value : ""
}

/**
 * The author of a new message: the requester for inbound, for outbound the agent the message names (the spec puts
 * `agentId` in the message, nowhere else). `field` is where the message sits in the body.
 */
export const authorOf = (state: State, requesterId: string, message: MessageInput, field: string) =>
  Effect.gen(function*() {
    switch (message._type) {
      case "Inbound":
        return requesterId
      case "Outbound": {
        const { agentId } = message as Partial<Conversations.Outbound>
        if (typeof agentId !== "string") return yield* badRequest(`${field}.agentId: is missing`)
        yield* checkAgent(state, `${field}.agentId`, agentId)
        return agentId
      }
      default:
        return yield* badRequest(`${field}._type: expected Inbound or Outbound`)
    }
  })

export const newMessage = (ctx: Context, authorId: string, message: MessageInput, at = ctx.now): Message => {
  const m = message as { content?: { value?: unknown }; externalId?: string }
  return {
    id: ctx.rng.uuid(),
    authorId,
    createdAt: iso(at),
    text: textOf(m.content),
    ...(m.externalId === undefined ? {} : { externalId: m.externalId })
  }
}

/** Writes a message into the conversation's history, at the message's time. */
export const logMessage = (ctx: Context, conversation: Conversation, message: Message) =>
  logActivity(ctx.state, ctx.rng, {
    conversationId: conversation.data.id,
    at: message.createdAt,
    type: message.authorId === conversation.data.requesterId ? "MessageAddedByCustomer" : "MessageAddedByAgent",
    authorId: message.authorId,
    attributes: { messageId: message.id }
  })

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

/** The attributes of an email: who wrote to whom (the customer's address, or the mailbox and the agent). */
const emailAttributes = (
  state: State,
  conversation: Conversation,
  message: Message,
  direction: "Inbound" | "Outbound"
) => {
  const data = conversation.data
  const customer = { email: ("fromEmail" in data ? data.fromEmail : undefined) ?? "unknown@customer.example" }
  const mailbox = {
    email: ("integrationEmail" in data ? data.integrationEmail : undefined) ?? "support@sandbox.example"
  }
  const agent = state.agents.find((a) => a.id === message.authorId)
  const from = direction === "Inbound"
    ? customer
    : { email: mailbox.email, ...(agent === undefined ? {} : { name: agent.displayName }) }
  return { from, to: [direction === "Inbound" ? mailbox : customer] }
}

/** A stored message as Dixa sends it: its attributes take the conversation's channel. */
const messageView = (state: State, conversation: Conversation, message: Message): MessageView => {
  const direction = message.authorId === conversation.data.requesterId ? "Inbound" : "Outbound"
  const content = { _type: "Text", value: message.text } as const
  const type = channelAttributes[conversation.data.channel] ?? "GenericAttributes"
  const attributes: MessageView["attributes"] = type === "ChatAttributes"
    ? { _type: type, content, direction, isAutomated: false }
    : type === "EmailAttributes" || type === "ContactFormAttributes"
    ? {
      _type: type,
      emailContent: { _type: "Regular", content },
      ...emailAttributes(state, conversation, message, direction),
      isAutoReply: false,
      direction
    }
    : { _type: type, content, direction }
  return {
    id: message.id,
    authorId: message.authorId,
    ...(message.externalId === undefined ? {} : { externalId: message.externalId }),
    createdAt: message.createdAt,
    attributes
  }
}

export const handlers: Handlers<"listMessages" | "addMessage"> = {
  listMessages: (input, ctx) =>
    Effect.map(findOrFail(ctx.state, input.conversationId), (c) => c.messages.map((m) => messageView(ctx.state, c, m))),

  addMessage: (input, ctx) =>
    Effect.gen(function*() {
      const conversation = yield* findOrFail(ctx.state, input.conversationId)
      const requesterId = conversation.data.requesterId
      const authorId = yield* authorOf(ctx.state, requesterId, input.body, "body")
      const message = newMessage(ctx, authorId, input.body)
      conversation.messages.push(message)
      logMessage(ctx, conversation, message)
      const content = (input.body as Conversations.Inbound | Conversations.Outbound).content
      return {
        ...(content === undefined ? {} : { content }),
        direction: authorId === requesterId ? "Inbound" : "Outbound",
        authorId,
        ...(message.externalId === undefined ? {} : { externalId: message.externalId }),
        messageId: message.id,
        createdAt: message.createdAt
      }
    })
}
