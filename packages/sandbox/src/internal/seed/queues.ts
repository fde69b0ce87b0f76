/**
 * The routing queues of the demo organization, with their members.
 */
import type * as Prng from "../prng.js"
import type { Queue, State } from "../state.js"
import { queueOf } from "../state/conversations.js"

/**
 * Three queues: "Support" (the default, and the queue the seeded conversations wait in: its id is the
 * one they already carry), "Billing" and "VIP" (restricted). Members come from the named agents.
 */
export const seedQueues = (
  state: Pick<State, "organization" | "agents" | "conversations">,
  rng: Prng.Rng
): Array<Queue> => {
  const supportId = state.conversations
    .map((c) => queueOf(c.data)?.id)
    .find((id) => id !== undefined) ?? rng.uuid()
  const named = state.agents.filter((a) => a.roles.includes("Agent")).slice(0, 6)
  const base = (id: string, name: string): Queue => ({
    id,
    name,
    isDefault: false,
    organizationId: state.organization.id,
    queueThresholds: { WaitingConversations: 10 },
    slaCalculationMethod: "AbandonedIgnored",
    offerTimeout: 30,
    offeringAlgorithm: "OneAtATimeRandom",
    memberListType: "SkillBased",
    wrapupTimeout: 10,
    priority: 1,
    offerAbandonedConversations: false,
    doNotOfferTimeouts: {},
    isDoNotOfferEnabled: false,
    isPreferredAgentEnabled: false,
    isRestricted: false,
    members: []
  })
  return [
    {
      ...base(supportId, "Support"),
      isDefault: true,
      members: named.slice(0, 4).map((a, i) => ({ agentId: a.id, priority: i < 2 ? 1 : 2 }))
    },
    {
      ...base(rng.uuid(), "Billing"),
      priority: 2,
      members: named.slice(1, 3).map((a) => ({ agentId: a.id, priority: 1 }))
    },
    { ...base(rng.uuid(), "VIP"), priority: 3, isRestricted: true, members: [] }
  ]
}
