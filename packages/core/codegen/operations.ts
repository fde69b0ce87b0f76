/**
 * The hand-written part of the API definition: for every operationId of the spec, the group and action
 * a person would look for, a one-line summary in our own words, and the few places where our
 * judgement overrides what the generator would infer.
 */

/** The resource groups, in the order they are documented and listed in `Api.groups`. */
export const groups = {
  organization: { module: "Organization", summary: "The account behind the API token" },
  agents: { module: "Agents", summary: "Agents and admins: accounts, presence, working channel" },
  "end-users": { module: "EndUsers", summary: "The customers who contact the organization" },
  teams: { module: "Teams", summary: "Groups of agents and their members" },
  conversations: {
    module: "Conversations",
    summary: "Conversations with their messages, notes, ratings, tags, attributes and activity"
  },
  queues: { module: "Queues", summary: "Routing queues, their members and waiting conversations" },
  tags: { module: "Tags", summary: "Labels that can be put on conversations" },
  anonymization: { module: "Anonymization", summary: "Erasing personal data and following up on it" },
  "custom-attributes": {
    module: "CustomAttributes",
    summary: "Definitions of the custom fields on users and conversations"
  },
  "contact-endpoints": { module: "ContactEndpoints", summary: "The email addresses and phone numbers customers reach" },
  search: { module: "Search", summary: "Finding conversations by text and filters" },
  analytics: { module: "Analytics", summary: "Metrics and records for reporting" },
  webhooks: { module: "Webhooks", summary: "Event subscriptions and their delivery history" },
  templates: { module: "Templates", summary: "Saved replies and email auto-replies" },
  "business-hours": { module: "BusinessHours", summary: "Opening-hours schedules and whether one is open now" },
  knowledge: { module: "Knowledge", summary: "The knowledge base: collections, categories, articles" }
} as const

export type GroupName = keyof typeof groups

export interface Operation {
  readonly group: GroupName
  /** camelCase action name, as the CLI shows it in kebab-case. */
  readonly name: string
  /** One short line in our own words. */
  readonly summary: string
  /** Override of the retry class the method implies, with the reason (emitted as a comment). */
  readonly retry?: { readonly class: "idempotent" | "unsafe"; readonly why: string }
}

const idempotentCreate = "Dixa hands back the existing tag when the name is taken, so a repeat is harmless"
const idempotentAnonymize = "asking again for the same entity yields the same pending request"
const idempotentToggle = "sets a state rather than changing it step by step; repeating it lands on the same state"

/** Every operationId of the spec, exactly once. */
export const operations: Readonly<Record<string, Operation>> = {
  // organization
  getOrganization: { group: "organization", name: "get", summary: "Details of the organization the token belongs to" },

  // agents
  getAgents: { group: "agents", name: "list", summary: "Page through agents and admins, optionally by email or phone" },
  getAgentsAgentid: { group: "agents", name: "get", summary: "One agent or admin by id" },
  postAgents: { group: "agents", name: "create", summary: "Add an agent to the organization" },
  postAgentsBulk: {
    group: "agents",
    name: "createMany",
    summary: "Add several agents in one call, each with its own outcome"
  },
  putAgents: { group: "agents", name: "updateMany", summary: "Replace the details of several agents at once" },
  patchAgents: { group: "agents", name: "patchMany", summary: "Change some fields of several agents at once" },
  putAgentsAgentid: { group: "agents", name: "update", summary: "Replace an agent's details" },
  patchAgentsAgentid: { group: "agents", name: "patch", summary: "Change some of an agent's fields" },
  deleteAgentsAgentid: { group: "agents", name: "delete", summary: "Remove an agent from the organization" },
  getAgentsPresence: { group: "agents", name: "listPresence", summary: "Presence and connection state of every agent" },
  getAgentsAgentidPresence: {
    group: "agents",
    name: "getPresence",
    summary: "Presence and connection state of one agent"
  },
  getAgentsAgentidTeams: { group: "agents", name: "listTeams", summary: "Teams that include a given agent" },
  "putAgentsAgentidPresenceWorking-channel": {
    group: "agents",
    name: "setWorkingChannel",
    summary: "Choose the channel an agent is working on"
  },

  // end users
  getEndusers: {
    group: "end-users",
    name: "list",
    summary: "Page through end users, optionally by email, phone or external id"
  },
  getEndusersUserid: { group: "end-users", name: "get", summary: "Look up an end user" },
  postEndusers: { group: "end-users", name: "create", summary: "Register a new end user" },
  postEndusersBulk: {
    group: "end-users",
    name: "createMany",
    summary: "Add several end users, each with its own outcome"
  },
  putEndusers: { group: "end-users", name: "updateMany", summary: "Replace the details of several end users" },
  patchEndusers: { group: "end-users", name: "patchMany", summary: "Change some fields of several end users" },
  putEndusersUserid: { group: "end-users", name: "update", summary: "Overwrite an end user's record" },
  patchEndusersUserid: { group: "end-users", name: "patch", summary: "Change some of an end user's fields" },
  patchEndusersUseridAnonymize: {
    group: "end-users",
    name: "anonymize",
    summary: "Ask for an end user's personal data to be erased",
    retry: { class: "idempotent", why: idempotentAnonymize }
  },
  "patchEndusersUseridCustom-attributes": {
    group: "end-users",
    name: "patchCustomAttributes",
    summary: "Set custom attribute values on an end user"
  },
  getEndusersUseridConversations: {
    group: "end-users",
    name: "listConversations",
    summary: "Page through the conversations an end user took part in"
  },

  // teams
  getTeams: { group: "teams", name: "list", summary: "Every team of the organization" },
  postTeams: { group: "teams", name: "create", summary: "Start a new team" },
  getTeamsTeamid: { group: "teams", name: "get", summary: "One team by id" },
  deleteTeamsTeamid: { group: "teams", name: "delete", summary: "Remove a team" },
  getTeamsTeamidAgents: { group: "teams", name: "listMembers", summary: "The agents in a team" },
  patchTeamsTeamidAgents: {
    group: "teams",
    name: "addMembers",
    summary: "Put agents into a team",
    retry: { class: "idempotent", why: "adding someone who is already a member changes nothing" }
  },
  deleteTeamsTeamidAgents: { group: "teams", name: "removeMembers", summary: "Take agents out of a team" },
  getTeamsTeamidPresence: { group: "teams", name: "listPresence", summary: "Who in a team is online and working" },

  // conversations
  getConversationsConversationid: { group: "conversations", name: "get", summary: "One conversation by id" },
  postConversations: {
    group: "conversations",
    name: "create",
    summary: "Open a conversation on behalf of an end user"
  },
  postConversationsImport: {
    group: "conversations",
    name: "import",
    summary: "Bring in a finished conversation from another system"
  },
  putConversationsConversationidClose: {
    group: "conversations",
    name: "close",
    summary: "Mark a conversation as done"
  },
  putConversationsConversationidReopen: {
    group: "conversations",
    name: "reopen",
    summary: "Open a closed conversation again"
  },
  putConversationsConversationidClaim: {
    group: "conversations",
    name: "claim",
    summary: "Take a conversation for an agent"
  },
  putConversationsConversationidFollowup: {
    group: "conversations",
    name: "followUp",
    summary: "Snooze a conversation until a given time"
  },
  putConversationsConversationidTransferQueue: {
    group: "conversations",
    name: "transferToQueue",
    summary: "Move a conversation to another queue"
  },
  putConversationsConversationidLink: {
    group: "conversations",
    name: "link",
    summary: "Attach a conversation under a parent conversation"
  },
  getConversationsConversationidLinked: {
    group: "conversations",
    name: "listLinked",
    summary: "Conversations attached to this one"
  },
  patchConversationsConversationidAnonymize: {
    group: "conversations",
    name: "anonymize",
    summary: "Ask for a conversation's personal data to be erased",
    retry: { class: "idempotent", why: idempotentAnonymize }
  },
  patchConversationsConversationidMessagesMessageidAnonymize: {
    group: "conversations",
    name: "anonymizeMessage",
    summary: "Ask for a single message's content to be erased",
    retry: { class: "idempotent", why: idempotentAnonymize }
  },
  getConversationsConversationidMessages: {
    group: "conversations",
    name: "listMessages",
    summary: "The messages exchanged in a conversation"
  },
  postConversationsConversationidMessages: {
    group: "conversations",
    name: "addMessage",
    summary: "Post an inbound or outbound message to a conversation"
  },
  getConversationsConversationidNotes: {
    group: "conversations",
    name: "listNotes",
    summary: "Internal notes agents left on a conversation"
  },
  postConversationsConversationidNotes: {
    group: "conversations",
    name: "addNote",
    summary: "Leave an internal note on a conversation"
  },
  postConversationsConversationidNotesBulk: {
    group: "conversations",
    name: "addNotes",
    summary: "Leave several internal notes on a conversation in one call"
  },
  getConversationsConversationidRatings: {
    group: "conversations",
    name: "listRatings",
    summary: "Ratings the end user gave a conversation"
  },
  getConversationsConversationidRating: {
    group: "conversations",
    name: "listRatingsLegacy",
    summary: "Older path for a conversation's ratings; use listRatings"
  },
  postConversationsConversationidRatingsOffer: {
    group: "conversations",
    name: "offerRating",
    summary: "Invite the end user to rate a conversation"
  },
  postConversationsConversationidRatingsRatingidSubmit: {
    group: "conversations",
    name: "submitRating",
    summary: "Record the end user's answer to a rating invitation"
  },
  getConversationsConversationidTags: {
    group: "conversations",
    name: "listTags",
    summary: "Tags put on a conversation"
  },
  putConversationsConversationidTagsTagid: {
    group: "conversations",
    name: "addTag",
    summary: "Put one tag on a conversation"
  },
  deleteConversationsConversationidTagsTagid: {
    group: "conversations",
    name: "removeTag",
    summary: "Take one tag off a conversation"
  },
  postConversationsConversationidTagsBulk: {
    group: "conversations",
    name: "addTags",
    summary: "Put several tags, by name, on a conversation",
    retry: { class: "idempotent", why: "a tag already on the conversation stays there once" }
  },
  "patchConversationsConversationidCustom-attributes": {
    group: "conversations",
    name: "patchCustomAttributes",
    summary: "Set custom attribute values on a conversation"
  },
  getConversationsConversationidActivitylog: {
    group: "conversations",
    name: "getActivityLog",
    summary: "What happened in one conversation, step by step"
  },
  getConversationsActivitylog: {
    group: "conversations",
    name: "listActivityLog",
    summary: "Activity across all conversations"
  },
  getConversationsFlows: {
    group: "conversations",
    name: "listFlows",
    summary: "Conversation flows set up in the organization"
  },

  // queues
  getQueues: { group: "queues", name: "list", summary: "Every queue of the organization" },
  postQueues: { group: "queues", name: "create", summary: "Set up a new queue" },
  getQueuesQueueid: { group: "queues", name: "get", summary: "One queue by id" },
  getQueuesQueueidMembers: { group: "queues", name: "listMembers", summary: "The agents who take work from a queue" },
  patchQueuesQueueidMembers: {
    group: "queues",
    name: "addMembers",
    summary: "Let agents take work from a queue",
    retry: { class: "idempotent", why: "adding someone who is already a member changes nothing" }
  },
  deleteQueuesQueueidMembers: {
    group: "queues",
    name: "removeMembers",
    summary: "Stop agents taking work from a queue"
  },
  getQueuesQueueidAvailability: {
    group: "queues",
    name: "getAvailability",
    summary: "Whether a queue can take new conversations on a channel"
  },
  "getQueuesConversation-positionCsid": {
    group: "queues",
    name: "getConversationPosition",
    summary: "Where a waiting conversation stands in its queue"
  },

  // tags
  getTags: { group: "tags", name: "list", summary: "Every tag; deactivated ones only when asked for" },
  postTags: {
    group: "tags",
    name: "create",
    summary: "Make a tag, or get the one that already has this name",
    retry: { class: "idempotent", why: idempotentCreate }
  },
  getTagsTagid: { group: "tags", name: "get", summary: "One tag by id" },
  deleteTagsTagid: { group: "tags", name: "delete", summary: "Remove a tag for good" },
  patchTagsTagidActivate: {
    group: "tags",
    name: "activate",
    summary: "Make a tag usable again",
    retry: { class: "idempotent", why: idempotentToggle }
  },
  patchTagsTagidDeactivate: {
    group: "tags",
    name: "deactivate",
    summary: "Hide a tag from agents without removing it",
    retry: { class: "idempotent", why: idempotentToggle }
  },

  // anonymization
  getAnonymizationRequestRequestid: {
    group: "anonymization",
    name: "getRequest",
    summary: "Follow up on an erasure request"
  },
  postAnonymization: {
    group: "anonymization",
    name: "request",
    summary: "Older generic erasure request; use the per-entity anonymize actions"
  },

  // custom attributes
  "getCustom-attributes": { group: "custom-attributes", name: "list", summary: "Every custom attribute definition" },
  "getCustom-attributesCustomattributeid": {
    group: "custom-attributes",
    name: "get",
    summary: "Look up a custom attribute definition"
  },

  // contact endpoints
  "getContact-endpoints": {
    group: "contact-endpoints",
    name: "list",
    summary: "Every email address and phone number set up"
  },
  "getContact-endpointsContactendpointid": {
    group: "contact-endpoints",
    name: "get",
    summary: "One contact endpoint by id"
  },

  // search
  postSearchConversations: {
    group: "search",
    name: "conversations",
    summary: "Find conversations by text and structured filters",
    retry: { class: "idempotent", why: "a search reads and changes nothing" }
  },
  getSearchConversations: {
    group: "search",
    name: "conversationsByText",
    summary: "Older free-text conversation search; use conversations"
  },

  // analytics
  getAnalyticsMetrics: { group: "analytics", name: "listMetrics", summary: "The metrics that can be queried" },
  getAnalyticsMetricsMetricid: {
    group: "analytics",
    name: "getMetric",
    summary: "How a metric is defined and filtered"
  },
  postAnalyticsMetrics: {
    group: "analytics",
    name: "queryMetric",
    summary: "Compute a metric over a period or a set of conversations",
    retry: { class: "idempotent", why: "a query reads and changes nothing" }
  },
  getAnalyticsRecords: { group: "analytics", name: "listRecords", summary: "The record types that can be queried" },
  getAnalyticsRecordsRecordid: {
    group: "analytics",
    name: "getRecord",
    summary: "How a record type is defined and filtered"
  },
  postAnalyticsRecords: {
    group: "analytics",
    name: "queryRecords",
    summary: "Fetch the raw records behind a metric",
    retry: { class: "idempotent", why: "a query reads and changes nothing" }
  },
  getAnalyticsFilterFilterattribute: {
    group: "analytics",
    name: "listFilterValues",
    summary: "The values a filter attribute can take"
  },

  // webhooks
  getWebhooks: { group: "webhooks", name: "list", summary: "All webhook subscriptions of the organization" },
  postWebhooks: { group: "webhooks", name: "create", summary: "Subscribe a URL to events" },
  getWebhooksWebhooksubscriptionid: { group: "webhooks", name: "get", summary: "Look up a webhook subscription" },
  patchWebhooksWebhooksubscriptionid: {
    group: "webhooks",
    name: "patch",
    summary: "Change some settings of a webhook subscription"
  },
  deleteWebhooksWebhooksubscriptionid: {
    group: "webhooks",
    name: "delete",
    summary: "Stop and remove a webhook subscription"
  },
  "getWebhooksWebhooksubscriptionidDelivery-status": {
    group: "webhooks",
    name: "getDeliveryStatus",
    summary: "How the last delivery of each event went for a subscription"
  },
  "getWebhooksWebhooksubscriptionidDelivery-statusLogsEvent": {
    group: "webhooks",
    name: "listDeliveryLogs",
    summary: "Recent delivery attempts of one event of a subscription"
  },

  // templates
  getTemplates: { group: "templates", name: "list", summary: "Saved replies and auto-replies, optionally of one kind" },
  deleteTemplatesTemplateid: { group: "templates", name: "delete", summary: "Remove a template" },

  // business hours
  "getBusiness-hoursSchedules": {
    group: "business-hours",
    name: "listSchedules",
    summary: "Every opening-hours schedule"
  },
  "getBusiness-hoursSchedulesScheduleidDefinition": {
    group: "business-hours",
    name: "getSchedule",
    summary: "The weekly hours and exceptions of a schedule"
  },
  "getBusiness-hoursSchedulesScheduleidUpcoming": {
    group: "business-hours",
    name: "getUpcoming",
    summary: "A schedule's hours for the coming days"
  },
  "getBusiness-hoursSchedulesScheduleidStatus": {
    group: "business-hours",
    name: "getStatus",
    summary: "Whether a schedule is open at a given moment"
  },

  // knowledge
  getKnowledgeCollections: { group: "knowledge", name: "listCollections", summary: "Every knowledge base collection" },
  getKnowledgeCollectionsCollectionid: { group: "knowledge", name: "getCollection", summary: "One collection by id" },
  getKnowledgeCollectionsCollectionidCatalog: {
    group: "knowledge",
    name: "getCatalog",
    summary: "The tree of categories and articles in a collection"
  },
  getKnowledgeCategoriesCategoryid: { group: "knowledge", name: "getCategory", summary: "One category by id" },
  getKnowledgeCategoriesCategoryidTranslations: {
    group: "knowledge",
    name: "listCategoryTranslations",
    summary: "A category's title in every language"
  },
  getKnowledgeArticlesArticleid: { group: "knowledge", name: "getArticle", summary: "One article by id" },
  postKnowledgeArticles: { group: "knowledge", name: "createArticle", summary: "Write a new article" },
  patchKnowledgeArticlesArticleid: {
    group: "knowledge",
    name: "patchArticle",
    summary: "Change some settings of an article"
  },
  deleteKnowledgeArticlesArticleid: { group: "knowledge", name: "deleteArticle", summary: "Remove an article" },
  getKnowledgeArticlesArticleidTranslations: {
    group: "knowledge",
    name: "listArticleTranslations",
    summary: "An article's text in every language"
  },
  patchKnowledgeArticlesArticleidTranslations: {
    group: "knowledge",
    name: "patchArticleTranslations",
    summary: "Change the text of an article in some languages"
  },
  deleteKnowledgeArticlesArticleidTranslationsLanguageid: {
    group: "knowledge",
    name: "deleteArticleTranslation",
    summary: "Drop one language version of an article"
  },
  postKnowledgeArticlesArticleidPublish: {
    group: "knowledge",
    name: "publishArticle",
    summary: "Make an article visible to readers",
    retry: { class: "idempotent", why: idempotentToggle }
  },
  postKnowledgeArticlesArticleidUnpublish: {
    group: "knowledge",
    name: "unpublishArticle",
    summary: "Hide an article from readers",
    retry: { class: "idempotent", why: idempotentToggle }
  },
  postKnowledgeArticlesArticleidTranslationsLanguageidPublish: {
    group: "knowledge",
    name: "publishTranslation",
    summary: "Make one language version of an article visible",
    retry: { class: "idempotent", why: idempotentToggle }
  },
  postKnowledgeArticlesArticleidTranslationsLanguageidUnpublish: {
    group: "knowledge",
    name: "unpublishTranslation",
    summary: "Hide one language version of an article",
    retry: { class: "idempotent", why: idempotentToggle }
  },
  patchKnowledgeArticlesArticleidParentParentid: {
    group: "knowledge",
    name: "setArticleParent",
    summary: "Move an article under a category",
    retry: { class: "idempotent", why: idempotentToggle }
  },
  deleteKnowledgeArticlesArticleidParent: {
    group: "knowledge",
    name: "removeArticleParent",
    summary: "Move an article to the top of its collection"
  },
  postKnowledgeArticlesAttachments: {
    group: "knowledge",
    name: "uploadAttachments",
    summary: "Upload files to embed in articles"
  }
}
