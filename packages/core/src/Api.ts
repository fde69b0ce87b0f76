/**
 * The whole Dixa API as this SDK knows it: every group, every endpoint by id, and every group's service.
 *
 * Written by codegen/generate.ts.
 *
 * @since 0.1.0
 */
import * as Layer from "effect/Layer"
import * as Agents from "./api/Agents.js"
import * as Analytics from "./api/Analytics.js"
import * as Anonymization from "./api/Anonymization.js"
import * as BusinessHours from "./api/BusinessHours.js"
import * as ContactEndpoints from "./api/ContactEndpoints.js"
import * as Conversations from "./api/Conversations.js"
import * as CustomAttributes from "./api/CustomAttributes.js"
import * as EndUsers from "./api/EndUsers.js"
import * as Knowledge from "./api/Knowledge.js"
import * as Organization from "./api/Organization.js"
import * as Queues from "./api/Queues.js"
import * as Search from "./api/Search.js"
import * as Tags from "./api/Tags.js"
import * as Teams from "./api/Teams.js"
import * as Templates from "./api/Templates.js"
import * as Webhooks from "./api/Webhooks.js"
import type * as DixaClient from "./DixaClient.js"
import type * as Endpoint from "./Endpoint.js"
import * as Group from "./Group.js"

/** Every group, in the order they are documented. */
export const groups = [
  Organization.OrganizationApi,
  Agents.AgentsApi,
  EndUsers.EndUsersApi,
  Teams.TeamsApi,
  Conversations.ConversationsApi,
  Queues.QueuesApi,
  Tags.TagsApi,
  Anonymization.AnonymizationApi,
  CustomAttributes.CustomAttributesApi,
  ContactEndpoints.ContactEndpointsApi,
  Search.SearchApi,
  Analytics.AnalyticsApi,
  Webhooks.WebhooksApi,
  Templates.TemplatesApi,
  BusinessHours.BusinessHoursApi,
  Knowledge.KnowledgeApi
] as const satisfies ReadonlyArray<Group.Any>

/** Every endpoint. */
export const endpoints: ReadonlyArray<Endpoint.Any> = groups.flatMap((group) => Group.endpoints(group))

/** Endpoints by id (`agents.get`). */
export const byId: ReadonlyMap<string, Endpoint.Any> = new Map(endpoints.map((e) => [e.id, e]))

/** Every group's service. */
export type Services =
  | Organization.Organization
  | Agents.Agents
  | EndUsers.EndUsers
  | Teams.Teams
  | Conversations.Conversations
  | Queues.Queues
  | Tags.Tags
  | Anonymization.Anonymization
  | CustomAttributes.CustomAttributes
  | ContactEndpoints.ContactEndpoints
  | Search.Search
  | Analytics.Analytics
  | Webhooks.Webhooks
  | Templates.Templates
  | BusinessHours.BusinessHours
  | Knowledge.Knowledge

/** Every group's service, through the `DixaClient` in context. */
export const layer: Layer.Layer<Services, never, DixaClient.DixaClient> = Layer.mergeAll(
  Organization.layer,
  Agents.layer,
  EndUsers.layer,
  Teams.layer,
  Conversations.layer,
  Queues.layer,
  Tags.layer,
  Anonymization.layer,
  CustomAttributes.layer,
  ContactEndpoints.layer,
  Search.layer,
  Analytics.layer,
  Webhooks.layer,
  Templates.layer,
  BusinessHours.layer,
  Knowledge.layer
)
