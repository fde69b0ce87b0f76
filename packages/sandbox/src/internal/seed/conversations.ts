/**
 * The four seeded conversations, in different states and channels, each with messages: an open chat
 * about an invoice, a closed password-reset email, a pending email about an order, a closed chat.
 */
import type * as Prng from "../prng.js"
import type { Conversation, EndUser, Message } from "../state.js"
import { namedAgents, type People } from "./people.js"
import { at } from "./time.js"

const mailbox = "support@sandbox.example"

/** Who and what the seeded conversations are about, and how their messages get ids. */
interface Cast {
  readonly customers: readonly [EndUser, EndUser, EndUser]
  readonly agents: readonly [string, string, string]
  readonly queueId: string
  readonly billingTagId: string
  readonly message: (authorId: string, minutes: number, text: string) => Message
}

const openChat = ({ agents: [ada], billingTagId, customers: [maria], message, queueId }: Cast): Conversation => ({
  data: {
    _type: "ChatConversation",
    id: 1001,
    requesterId: maria.id,
    channel: "WidgetChat",
    createdAt: at(60),
    direction: "Inbound",
    state: "Open",
    stateUpdatedAt: at(60),
    assignment: { agentId: ada, assignedAt: at(62) },
    queue: { id: queueId, queuedAt: at(61) },
    language: "en"
  },
  messages: [
    message(maria.id, 60, "Hi, my invoice looks wrong."),
    message(ada, 63, "Let me have a look."),
    message(maria.id, 65, "Thanks!")
  ],
  tagIds: [billingTagId]
})

const closedEmail = ({ agents: [, grace], customers: [, ole], message }: Cast): Conversation => ({
  data: {
    _type: "EmailConversation",
    id: 1002,
    requesterId: ole.id,
    channel: "Email",
    createdAt: at(120),
    direction: "Inbound",
    state: "Closed",
    stateUpdatedAt: at(300),
    toEmail: mailbox,
    fromEmail: ole.email!,
    integrationEmail: mailbox,
    subject: "Password reset",
    language: "en"
  },
  messages: [message(ole.id, 120, "I cannot log in."), message(grace, 200, "A reset link is on its way.")]
})

const pendingEmail = ({ customers: [, , sofia], message, queueId }: Cast): Conversation => ({
  data: {
    _type: "EmailConversation",
    id: 1003,
    requesterId: sofia.id,
    channel: "Email",
    createdAt: at(400),
    direction: "Inbound",
    state: "Pending",
    stateUpdatedAt: at(420),
    toEmail: mailbox,
    fromEmail: sofia.email!,
    integrationEmail: mailbox,
    subject: "Order status",
    queue: { id: queueId, queuedAt: at(401) }
  },
  messages: [message(sofia.id, 400, "Where is my order?")]
})

const closedChat = ({ agents: [, , alan], customers: [maria], message }: Cast): Conversation => ({
  data: {
    _type: "ChatConversation",
    id: 1004,
    requesterId: maria.id,
    channel: "WidgetChat",
    createdAt: at(500),
    direction: "Inbound",
    state: "Closed",
    stateUpdatedAt: at(530)
  },
  messages: [message(maria.id, 500, "Never mind, solved it."), message(alan, 510, "Great!")]
})

/**
 * The conversations (ids 1001 to 1004). Their ids are drawn from `rng` after the people's: first the
 * queue the waiting ones are in, then the messages in order.
 */
export const seedConversations = (
  rng: Prng.Rng,
  people: Pick<People, "agents" | "endUsers" | "tags">
): Array<Conversation> => {
  const [ada, grace, alan] = namedAgents(people.agents)
  const [maria, ole, sofia] = people.endUsers
  const cast: Cast = {
    customers: [maria!, ole!, sofia!],
    agents: [ada!.id, grace!.id, alan!.id],
    queueId: rng.uuid(),
    billingTagId: people.tags[0]!.id,
    message: (authorId, minutes, text) => ({ id: rng.uuid(), authorId, createdAt: at(minutes), text })
  }
  return [openChat(cast), closedEmail(cast), pendingEmail(cast), closedChat(cast)]
}
