/**
 * Every handler of the sandbox, by operation. Operations without one answer 501.
 */
import type { Route } from "../internal/handler.js"
import type { State } from "../internal/state.js"
import * as Agents from "./Agents.js"
import * as Analytics from "./Analytics.js"
import * as Anonymization from "./Anonymization.js"
import * as BusinessHours from "./BusinessHours.js"
import * as ContactEndpoints from "./ContactEndpoints.js"
import * as Conversations from "./Conversations.js"
import * as CustomAttributes from "./CustomAttributes.js"
import * as EndUsers from "./EndUsers.js"
import * as Knowledge from "./Knowledge.js"
import * as Organization from "./Organization.js"
import * as Queues from "./Queues.js"
import * as Search from "./Search.js"
import * as Tags from "./Tags.js"
import * as Teams from "./Teams.js"
import * as Templates from "./Templates.js"
import * as Webhooks from "./Webhooks.js"

export const routes: ReadonlyArray<Route> = [
  ...Organization.handlers,
  ...Agents.handlers,
  ...Tags.handlers,
  ...Conversations.handlers,
  ...Anonymization.handlers,
  ...Teams.handlers,
  ...EndUsers.handlers,
  ...CustomAttributes.handlers,
  ...ContactEndpoints.handlers,
  ...Templates.handlers,
  ...BusinessHours.handlers,
  ...Knowledge.handlers,
  ...Webhooks.handlers,
  ...Analytics.handlers,
  ...Queues.handlers,
  ...Search.handlers
]

/** Completes whatever has come due at `now` (anonymizations, follow-ups); says whether anything changed. */
export const settle = (state: State, now: number): boolean => {
  const anonymized = Anonymization.settle(state, now)
  const woken = Conversations.settle(state, now)
  return anonymized || woken
}
