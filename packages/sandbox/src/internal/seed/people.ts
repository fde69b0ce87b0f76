/**
 * The people of the demo organization: an admin (the token's user), six named agents and any number of
 * numbered ones, each with a presence; two teams, four tags (one inactive) and three end users.
 */
import type * as Prng from "../prng.js"
import type { Agent, EndUser, Presence, State, Tag, Team } from "../state.js"
import { at } from "./time.js"

/** What this module seeds. */
export type People = Pick<State, "organization" | "apiUserId" | "agents" | "presence" | "teams" | "tags" | "endUsers">

const names: ReadonlyArray<readonly [string, string]> = [
  ["Ada", "Lovelace"],
  ["Grace", "Hopper"],
  ["Alan", "Turing"],
  ["Katherine", "Johnson"],
  ["Edsger", "Dijkstra"],
  ["Barbara", "Liskov"]
]

const channels = ["Email", "WidgetChat", "PstnPhone", "FacebookMessenger"]

/** The named agents among the seeded ones (the admin comes first, numbered agents after them). */
export const namedAgents = (agents: ReadonlyArray<Agent>): ReadonlyArray<Agent> => agents.slice(1, 1 + names.length)

const blank = { additionalEmails: [], additionalPhoneNumbers: [], middleNames: [] }

/** An agent with its id and a presence: six in ten are online, working or away, on some channels. */
const withPresence = (rng: Prng.Rng, fields: Omit<Agent, "id">): readonly [Agent, Presence] => {
  const agent = { id: rng.uuid(), ...fields }
  const online = rng.float() < 0.6
  const presence: Presence = {
    userId: agent.id,
    lastSeen: at(600 + rng.int(600)),
    presenceStatus: online ? rng.pick(["Working", "Away"]) : "Away",
    connectionStatus: online ? "Online" : "Offline",
    activeChannels: online ? channels.filter(() => rng.float() < 0.5) : []
  }
  return [agent, presence]
}

const admin: Omit<Agent, "id"> = {
  createdAt: at(0),
  displayName: "Sandbox Admin",
  email: "admin@sandbox.example",
  ...blank,
  roles: ["Admin"]
}

const named = ([firstName, lastName]: readonly [string, string], i: number): Omit<Agent, "id"> => ({
  createdAt: at(10 + i),
  displayName: `${firstName} ${lastName}`,
  email: `${firstName.toLowerCase()}.${lastName.toLowerCase()}@sandbox.example`,
  phoneNumber: `+452000000${i + 1}`,
  additionalEmails: [],
  additionalPhoneNumbers: [],
  firstName,
  lastName,
  middleNames: [],
  roles: ["Agent"]
})

const numbered = (i: number): Omit<Agent, "id"> => {
  const n = String(i).padStart(4, "0")
  return {
    createdAt: at(100 + i),
    displayName: `Agent ${n}`,
    email: `agent${n}@sandbox.example`,
    ...blank,
    roles: ["Agent"]
  }
}

/** Every agent with its presence: the admin and the named ones from `rng`, the numbered ones from `extraRng`. */
const seedAgents = (rng: Prng.Rng, extraRng: Prng.Rng, extraAgents: number) => {
  const seeded = [withPresence(rng, admin), ...names.map((name, i) => withPresence(rng, named(name, i)))]
  for (let i = 1; i <= extraAgents; i++) seeded.push(withPresence(extraRng, numbered(i)))
  return {
    agents: seeded.map(([agent]) => agent),
    presence: Object.fromEntries(seeded.map(([agent, presence]) => [agent.id, presence]))
  }
}

const seedTags = (rng: Prng.Rng): Array<Tag> => [
  { id: rng.uuid(), name: "billing", color: "#1f77b4", state: "Active" },
  { id: rng.uuid(), name: "bug", color: "#d62728", state: "Active" },
  { id: rng.uuid(), name: "vip", state: "Active" },
  { id: rng.uuid(), name: "legacy", state: "Inactive" }
]

const seedEndUsers = (rng: Prng.Rng): Array<EndUser> =>
  ["Maria Jensen", "Ole Hansen", "Sofia Berg"].map((displayName, i) => ({
    id: rng.uuid(),
    displayName,
    email: `${displayName.split(" ")[0]!.toLowerCase()}@customer.example`,
    createdAt: at(30 + i)
  }))

/**
 * The people, in the order their ids are drawn from `rng` (so that adding numbered agents, drawn from
 * `extraRng`, moves no other id).
 */
export const seedPeople = (rng: Prng.Rng, extraRng: Prng.Rng, extraAgents: number): People => {
  const organization = { id: rng.uuid(), name: "Sandbox Organization", subdomain: "sandbox", status: "Active" }
  const { agents, presence } = seedAgents(rng, extraRng, extraAgents)
  const support = namedAgents(agents)
  const teams: Array<Team> = [
    { id: rng.uuid(), name: "Support", agentIds: support.slice(0, 4).map((a) => a.id) },
    { id: rng.uuid(), name: "Escalations", agentIds: support.slice(2, 6).map((a) => a.id) }
  ]
  const tags = seedTags(rng)
  const endUsers = seedEndUsers(rng)
  return { organization, apiUserId: agents[0]!.id, agents, presence, teams, tags, endUsers }
}
