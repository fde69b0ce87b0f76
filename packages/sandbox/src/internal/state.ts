/**
 * The sandbox's whole world as plain JSON: what Dixa would send on the wire, plus the little
 * bookkeeping the fake needs. Being plain data, it can be written to a file and read back.
 *
 * The types of each area live in `state/`; `seed/` builds the demo organization from them.
 */
import type { ActivityEntry } from "./state/activity.js"
import type { AnonymizationRequest } from "./state/anonymization.js"
import type { Schedule } from "./state/businessHours.js"
import type { ContactEndpoint } from "./state/contactEndpoints.js"
import type { Conversation, Flow, Tag } from "./state/conversations.js"
import type { CustomAttributeDefinition } from "./state/customAttributes.js"
import type { Knowledge } from "./state/knowledge.js"
import type { Agent, EndUser, Presence, Team } from "./state/people.js"
import type { Queue } from "./state/queues.js"
import type { Template } from "./state/templates.js"
import type { Webhooks } from "./state/webhooks.js"

export { seed } from "./seed/index.js"
export type * from "./state/activity.js"
export type * from "./state/anonymization.js"
export type * from "./state/businessHours.js"
export type * from "./state/contactEndpoints.js"
export type * from "./state/conversations.js"
export type * from "./state/customAttributes.js"
export type * from "./state/knowledge.js"
export type * from "./state/people.js"
export type * from "./state/queues.js"
export type * from "./state/templates.js"
export type * from "./state/webhooks.js"

export interface State {
  version: 1
  seed: number
  /** The generator state for ids minted at run time. */
  rng: number
  organization: { id: string; name: string; subdomain: string; status: string }
  /** The agent the API token acts as (`requestedBy` of anonymization requests). */
  apiUserId: string
  agents: Array<Agent>
  presence: Record<string, Presence>
  teams: Array<Team>
  tags: Array<Tag>
  endUsers: Array<EndUser>
  conversations: Array<Conversation>
  anonymizationRequests: Array<AnonymizationRequest>
  /** The next conversation id. */
  nextConversationId: number
  /** Routing queues (absent in older state files). */
  queues?: Array<Queue>
  /** Every conversation's activity, oldest first (absent in older state files). */
  activityLog?: Array<ActivityEntry>
  /** Conversation flows (absent in older state files). */
  flows?: Array<Flow>
  /** The knowledge base (absent in state files written before it existed). */
  knowledge?: Knowledge
  /** Webhook subscriptions and their delivery log. */
  webhooks?: Webhooks
  /** Custom attribute definitions (this and the three below are absent in older state files). */
  customAttributes?: Array<CustomAttributeDefinition>
  contactEndpoints?: Array<ContactEndpoint>
  templates?: Array<Template>
  /** Business-hours schedules. */
  schedules?: Array<Schedule>
}

/** Whether a value read from a file looks like a sandbox state. */
export const isState = (u: unknown): u is State => {
  if (typeof u !== "object" || u === null) return false
  const s = u as Partial<State>
  return s.version === 1 && typeof s.rng === "number" && Array.isArray(s.agents) && Array.isArray(s.tags) &&
    Array.isArray(s.conversations) && Array.isArray(s.anonymizationRequests) && typeof s.presence === "object" &&
    Array.isArray(s.teams) && typeof s.organization === "object"
}
