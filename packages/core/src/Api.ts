/**
 * The whole Dixa API as this SDK knows it: every group, and every endpoint by id.
 *
 * The group list is written by codegen/generate.ts.
 *
 * @since 0.1.0
 */
import { AgentsApi } from "./api/Agents.js"
import { AnalyticsApi } from "./api/Analytics.js"
import { AnonymizationApi } from "./api/Anonymization.js"
import { BusinessHoursApi } from "./api/BusinessHours.js"
import { ContactEndpointsApi } from "./api/ContactEndpoints.js"
import { ConversationsApi } from "./api/Conversations.js"
import { CustomAttributesApi } from "./api/CustomAttributes.js"
import { EndUsersApi } from "./api/EndUsers.js"
import { KnowledgeApi } from "./api/Knowledge.js"
import { OrganizationApi } from "./api/Organization.js"
import { QueuesApi } from "./api/Queues.js"
import { SearchApi } from "./api/Search.js"
import { TagsApi } from "./api/Tags.js"
import { TeamsApi } from "./api/Teams.js"
import { TemplatesApi } from "./api/Templates.js"
import { WebhooksApi } from "./api/Webhooks.js"
import type * as Endpoint from "./Endpoint.js"
import * as Group from "./Group.js"

/** Every group, in the order they are documented. */
export const groups = [
  OrganizationApi,
  AgentsApi,
  EndUsersApi,
  TeamsApi,
  ConversationsApi,
  QueuesApi,
  TagsApi,
  AnonymizationApi,
  CustomAttributesApi,
  ContactEndpointsApi,
  SearchApi,
  AnalyticsApi,
  WebhooksApi,
  TemplatesApi,
  BusinessHoursApi,
  KnowledgeApi
] as const satisfies ReadonlyArray<Group.Any>

/** Every endpoint. */
export const endpoints: ReadonlyArray<Endpoint.Any> = groups.flatMap((group) => Group.endpoints(group))

/** Endpoints by id (`agents.get`). */
export const byId: ReadonlyMap<string, Endpoint.Any> = new Map(endpoints.map((e) => [e.id, e]))
