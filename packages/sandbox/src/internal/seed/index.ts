/**
 * The demo organization for a seed, put together from the seed of each area. Each area draws its ids
 * from a generator stream of its own, so the same seed always gives the same ids, and adding an area
 * (or numbered agents) moves no id seeded before.
 */
import * as Prng from "../prng.js"
import type { State } from "../state.js"
import { seedConversations } from "./conversations.js"
import { seedHistory } from "./history.js"
import { seedKnowledge } from "./knowledge.js"
import { seedPeople } from "./people.js"
import { seedSetup } from "./setup.js"
import { seedWebhooks } from "./webhooks.js"

/**
 * The demo organization: an admin (the token's user), six named agents, `extraAgents` numbered agents,
 * two teams, four tags (one inactive), three end users and four conversations in different states, each
 * with messages; queues, flows, the knowledge base, webhooks and the organization's setup.
 */
export const seed = (seedValue: number, extraAgents: number): State => {
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 0) })
  const extraRng = Prng.fromCell({ rng: Prng.seedState(seedValue, 1) })
  const people = seedPeople(rng, extraRng, extraAgents)
  const conversations = seedConversations(rng, people)
  return {
    version: 1,
    seed: seedValue,
    rng: Prng.seedState(seedValue, 2),
    ...people,
    conversations,
    anonymizationRequests: [],
    nextConversationId: 1005,
    ...seedHistory(seedValue, { ...people, conversations }),
    knowledge: seedKnowledge(seedValue, people.apiUserId),
    webhooks: seedWebhooks(seedValue, people.apiUserId),
    ...seedSetup(seedValue, { apiUserId: people.apiUserId, agents: people.agents, endUsers: people.endUsers })
  }
}
