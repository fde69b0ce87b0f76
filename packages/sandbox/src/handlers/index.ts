/**
 * Every handler of the sandbox: one per operation of the API, by group and by the operation's name in
 * its group. The type of `handlers` makes a missing or unknown operation a compile error; `routes` binds
 * each handler to its endpoint for the server, behind the check of `_type` variants (`variants.ts`).
 */
import { Api } from "@org/dixa-core"
import { type GroupHandlers, type Route, routesOf } from "../internal/handler.js"
import type { State } from "../internal/state.js"
import * as Agents from "./Agents.js"
import * as Analytics from "./analytics/index.js"
import * as Anonymization from "./Anonymization.js"
import * as BusinessHours from "./BusinessHours.js"
import * as ContactEndpoints from "./ContactEndpoints.js"
import * as Conversations from "./conversations/index.js"
import * as CustomAttributes from "./CustomAttributes.js"
import * as EndUsers from "./EndUsers.js"
import * as Knowledge from "./knowledge/index.js"
import * as Organization from "./Organization.js"
import * as Queues from "./Queues.js"
import * as Search from "./Search.js"
import * as Tags from "./Tags.js"
import * as Teams from "./Teams.js"
import * as Templates from "./Templates.js"
import { strictRoute } from "./variants.js"
import * as Webhooks from "./Webhooks.js"

type Groups = (typeof Api.groups)[number]

/** A handler for every operation of the API: by group name, then by the operation's name in its group. */
export type Handlers = { readonly [G in Groups as G["name"]]: GroupHandlers<G> }

export const handlers: Handlers = {
  organization: Organization.handlers,
  agents: Agents.handlers,
  "end-users": EndUsers.handlers,
  teams: Teams.handlers,
  conversations: Conversations.handlers,
  queues: Queues.handlers,
  tags: Tags.handlers,
  anonymization: Anonymization.handlers,
  "custom-attributes": CustomAttributes.handlers,
  "contact-endpoints": ContactEndpoints.handlers,
  search: Search.handlers,
  analytics: Analytics.handlers,
  webhooks: Webhooks.handlers,
  templates: Templates.handlers,
  "business-hours": BusinessHours.handlers,
  knowledge: Knowledge.handlers
}

/** Every handler bound to its endpoint, in the order of `Api.groups`; bodies hold only the variants the spec lists. */
export const routes: ReadonlyArray<Route> = Api.groups.flatMap((group) =>
  routesOf(group, handlers[group.name]).map(strictRoute)
)

/** Completes whatever has come due at `now` (anonymizations, follow-ups); says whether anything changed. */
export const settle = (state: State, now: number): boolean => {
  const anonymized = Anonymization.settle(state, now)
  const woken = Conversations.settle(state, now)
  return anonymized || woken
}
