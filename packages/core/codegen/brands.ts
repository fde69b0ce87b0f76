/**
 * Which id fields and parameters get a branded type from Model.ts, so that an id one call returns can be
 * passed to the next call as it is (`tags.get({ tagId: created.id })`). Brands live in the types only:
 * what travels on the wire, and what decoding accepts, stays the same.
 *
 * The generator decides each field of each schema, and each path or query parameter, by the first rule
 * that matches:
 *
 * 1. `fields`: a field named here (`SpecSchemaName.field`) gets the brand written next to it, or stays plain.
 * 2. `resourceIds`: the `id` field of a schema named here is the id of that resource.
 * 3. `byName`: a field or parameter with this name refers to that resource, but only where the spec's type
 *    agrees with the brand: a uuid string (or an array of them) for a uuid id, an int64 for ConversationId.
 *    Where the spec says a plain string, or an int32, the field stays plain.
 * 4. Anything else stays as the spec types it.
 *
 * Rules 1 and 2 name one resource each, so they also brand ids the spec types as a plain string: those get
 * the brand over any string (`looseId`), which checks nothing more than the spec does. Rule 3 relies on a
 * name alone, so it needs the spec's type to agree as well. A rule whose brand the spec's type cannot carry
 * (a string for ConversationId) stops the generator.
 *
 * The generator writes every id-like field and what was decided for it at the bottom of this file.
 */

/** The branded ids of Model.ts, with the wire type each one brands. */
export const brands = {
  AgentId: "uuid",
  UserId: "uuid",
  TagId: "uuid",
  TeamId: "uuid",
  MessageId: "uuid",
  AnonymizationRequestId: "uuid",
  QueueId: "uuid",
  WebhookSubscriptionId: "uuid",
  TemplateId: "uuid",
  BusinessHoursScheduleId: "uuid",
  KnowledgeCollectionId: "uuid",
  KnowledgeCategoryId: "uuid",
  KnowledgeArticleId: "uuid",
  ConversationId: "int64"
} as const

export type Brand = keyof typeof brands

/** Rule 1: single fields, as `SpecSchemaName.field`. */
export const fields: Readonly<Record<string, Brand | "plain">> = {
  // Bulk agent updates name the agent to change by its id (a plain string in the spec).
  "BulkPatchAgentInput.id": "AgentId",
  "BulkUpdateAgentInput.id": "AgentId",
  // Bulk end-user updates name the end user to change.
  "BulkPatchEndUserInput.id": "UserId",
  "BulkUpdateEndUserInput.id": "UserId",
  // The members of a team are agents (teams.addMembers takes agentIds; listMembers returns these).
  "TeamMember.id": "AgentId",
  // The agent or admin on whose behalf a conversation is closed, reopened, followed up or transferred.
  "CloseConversationInput.userId": "AgentId",
  "ReopenConversationInput.userId": "AgentId",
  "FollowupConversationInput.userId": "AgentId",
  "TransferConversationInput.userId": "AgentId",
  // A follow-up, a side conversation or a forward points at the conversation it came from.
  "EmailForward.parentId": "ConversationId",
  "FollowUp.parentId": "ConversationId",
  "SideConversation.parentId": "ConversationId",
  // conversations.link names the parent conversation; the activity log entry names both ends of a link.
  "LinkConversationInput.parentId": "ConversationId",
  "ConversationLinkedAttribute.child": "ConversationId",
  "ConversationLinkedAttribute.parent": "ConversationId",
  // Unsure: an internal note may or may not share the id space of messages (anonymizeMessage).
  "InternalNoteData.id": "plain",
  // Unsure whose id these are (an agent, an admin, an integration): no brand says "any actor".
  "Closing.closedBy": "plain",
  "WebhookSubscription.createdBy": "plain",
  "WebhookSubscription.updatedBy": "plain",
  // The id of whatever a bulk action touched: agents in one operation, end users in another.
  "BulkActionSuccess_BulkError_UUID.data": "plain"
}

/** Rule 2: the schemas whose `id` is the id of the resource they describe. */
export const resourceIds: Readonly<Record<string, Brand>> = {
  Agent: "AgentId",
  EndUser: "UserId",
  Tag: "TagId",
  // `Team` is the uuid form some operations return; `Team1` (a plain string id) the list and create form.
  Team: "TeamId",
  Team1: "TeamId",
  // Likewise `Queue` (uuid) and `Queue1` (plain string).
  Queue: "QueueId",
  Queue1: "QueueId",
  Message: "MessageId",
  AnonymizationRequestStatus: "AnonymizationRequestId",
  WebhookSubscription: "WebhookSubscriptionId",
  // The two kinds of template.
  QuickResponse: "TemplateId",
  EmailAutoReply: "TemplateId",
  // A schedule, its definition and its upcoming hours all carry the schedule's id.
  BusinessHoursSchedule: "BusinessHoursScheduleId",
  BusinessHoursScheduleDefinition: "BusinessHoursScheduleId",
  BusinessHoursUpcomingSchedule: "BusinessHoursScheduleId",
  Collection: "KnowledgeCollectionId",
  Category: "KnowledgeCategoryId",
  CategoryCatalogItem: "KnowledgeCategoryId",
  Article: "KnowledgeArticleId",
  ArticleCatalogItem: "KnowledgeArticleId",
  // Every kind of conversation, and the answers that carry a conversation's id.
  AnonymizedConversation: "ConversationId",
  ChatConversation: "ConversationId",
  ContactFormConversation: "ConversationId",
  EmailConversation: "ConversationId",
  FacebookMessengerConversation: "ConversationId",
  GenericConversation: "ConversationId",
  MessengerConversation: "ConversationId",
  PstnPhoneConversation: "ConversationId",
  SmsConversation: "ConversationId",
  TwitterConversation: "ConversationId",
  WhatsAppConversation: "ConversationId",
  ConversationResponse: "ConversationId",
  ImportConversationResponse: "ConversationId",
  ConversationSearchHit: "ConversationId",
  ConversationSearchWithFiltersHit: "ConversationId"
}

/** Rule 3: names that say which resource a field or parameter refers to. */
export const byName: Readonly<Record<string, Brand>> = {
  agentId: "AgentId",
  agentIds: "AgentId",
  // Who asked for an anonymization: an agent or admin.
  requestedBy: "AgentId",
  // A user of any kind (end users, mostly). Conversation actions name an agent this way: see `fields`.
  userId: "UserId",
  // The end user a conversation is for.
  requesterId: "UserId",
  // Who wrote a message or a note: an agent or an end user, so any user.
  authorId: "UserId",
  tagId: "TagId",
  tagIds: "TagId",
  teamId: "TeamId",
  queueId: "QueueId",
  messageId: "MessageId",
  // The anonymization request of anonymization.getRequest.
  requestId: "AnonymizationRequestId",
  webhookSubscriptionId: "WebhookSubscriptionId",
  templateId: "TemplateId",
  scheduleId: "BusinessHoursScheduleId",
  collectionId: "KnowledgeCollectionId",
  categoryId: "KnowledgeCategoryId",
  articleId: "KnowledgeArticleId",
  conversationId: "ConversationId",
  // Dixa's short name for a conversation id.
  csid: "ConversationId"
}

// Every id-like field (named `id`, `csid`, `...Id`, `...Ids`, `...By`, or named by a rule) and what the
// generator decided for it. Written by codegen/generate.ts between the markers: do not edit.
// generated:start
export const decided: ReadonlyArray<readonly [field: string, decision: string]> = [
  ["ActivityLogEntry.conversationId", "plain: integer int32 in the spec, ConversationId needs an int64"],
  ["ActivityLogEntry.id", "plain: no rule"],
  ["ActivityLogUser.id", "plain: no rule"],
  ["Agent.id", "AgentId"],
  ["AgentsToTeamInput.agentIds", "AgentId"],
  ["AnonymizationRequestStatus.id", "AnonymizationRequestId"],
  ["AnonymizationRequestStatus.requestedBy", "AgentId"],
  ["AnonymizationRequestStatus.targetEntityId", "plain: no rule"],
  ["AnonymizedConversation.id", "ConversationId"],
  ["AnonymizedConversation.requesterId", "UserId"],
  ["AnonymizeEntityInput.entityId", "plain: no rule"],
  ["Article.createdBy", "plain: no rule"],
  ["Article.id", "KnowledgeArticleId over any string"],
  ["Article.indexedBy", "plain: no rule"],
  ["Article.ownedBy", "plain: no rule"],
  ["Article.updatedBy", "plain: no rule"],
  ["ArticleCatalogItem.id", "KnowledgeArticleId over any string"],
  ["ArticleTranslation.createdBy", "plain: no rule"],
  ["ArticleTranslation.updatedBy", "plain: no rule"],
  ["Assignment.agentId", "AgentId"],
  ["BulkActionSuccess_BulkError_UUID.data", "plain: listed in fields"],
  ["BulkPatchAgentInput.id", "AgentId over any string"],
  ["BulkPatchEndUserInput.externalId", "plain: no rule"],
  ["BulkPatchEndUserInput.id", "UserId"],
  ["BulkQueueEndpointInput.agentIds", "AgentId"],
  ["BulkUpdateAgentInput.id", "AgentId over any string"],
  ["BulkUpdateEndUserInput.externalId", "plain: no rule"],
  ["BulkUpdateEndUserInput.id", "UserId"],
  ["BusinessHoursSchedule.id", "BusinessHoursScheduleId over any string"],
  ["BusinessHoursScheduleDefinition.id", "BusinessHoursScheduleId over any string"],
  ["BusinessHoursUpcomingSchedule.id", "BusinessHoursScheduleId over any string"],
  ["Callback.contactEndpointId", "plain: no rule"],
  ["Callback.queueId", "QueueId"],
  ["Callback.requesterId", "UserId"],
  ["Category.id", "KnowledgeCategoryId over any string"],
  ["CategoryCatalogItem.id", "KnowledgeCategoryId over any string"],
  ["Chat.requesterId", "UserId"],
  ["Chat.widgetId", "plain: no rule"],
  ["ChatConversation.id", "ConversationId"],
  ["ChatConversation.requesterId", "UserId"],
  ["ClaimConversationInput.agentId", "AgentId"],
  ["CloseConversationInput.userId", "AgentId"],
  ["Closing.closedBy", "plain: listed in fields"],
  ["Collection.id", "KnowledgeCollectionId over any string"],
  ["ContactForm.emailIntegrationId", "plain: no rule"],
  ["ContactForm.requesterId", "UserId"],
  ["ContactFormConversation.id", "ConversationId"],
  ["ContactFormConversation.requesterId", "UserId"],
  ["ConversationAssignedAttribute.agentId", "plain: string (no format) in the spec, AgentId needs a uuid"],
  ["ConversationCustomAttributesUpdatedAttribute.updatedAttributeIds", "plain: no rule"],
  ["ConversationFlow.contactEndpointId", "plain: no rule"],
  ["ConversationFlow.id", "plain: no rule"],
  ["ConversationLinkedAttribute.child", "ConversationId"],
  ["ConversationLinkedAttribute.parent", "ConversationId"],
  ["ConversationRating.agentId", "plain: string (no format) in the spec, AgentId needs a uuid"],
  ["ConversationRating.id", "plain: no rule"],
  ["ConversationRating.userId", "plain: string (no format) in the spec, UserId needs a uuid"],
  ["ConversationReservedAttribute.queueId", "plain: string (no format) in the spec, QueueId needs a uuid"],
  ["ConversationResponse.id", "ConversationId"],
  ["ConversationSearchHit.id", "ConversationId"],
  ["ConversationSearchInnerHit.id", "plain: no rule"],
  ["ConversationSearchWithFiltersHit.id", "ConversationId"],
  ["ConversationTransferredAttribute.destinationId", "plain: no rule"],
  ["CreateEndUserInput.externalId", "plain: no rule"],
  ["CreateInternalNoteInput.agentId", "AgentId"],
  ["CreateKnowledgeArticleInput.parentId", "plain: no rule"],
  ["CreateMessageOutputData.authorId", "UserId"],
  ["CreateMessageOutputData.externalId", "plain: no rule"],
  ["CreateMessageOutputData.messageId", "MessageId"],
  ["CreateRatingOfferInput.agentId", "plain: string (no format) in the spec, AgentId needs a uuid"],
  ["CreateRatingOfferInput.userId", "plain: string (no format) in the spec, UserId needs a uuid"],
  ["CreateRatingResultInput.userId", "plain: string (no format) in the spec, UserId needs a uuid"],
  ["CustomAttribute.id", "plain: no rule"],
  ["CustomAttribute1.attributeId", "plain: no rule"],
  ["CustomAttributeDefinition.id", "plain: no rule"],
  ["DeleteAgentsFromTeamInput.agentIds", "AgentId"],
  ["Email.emailIntegrationId", "plain: no rule"],
  ["Email.requesterId", "UserId"],
  ["EmailAutoReply.createdBy", "plain: no rule"],
  ["EmailAutoReply.id", "TemplateId over any string"],
  ["EmailAutoReply.lastEditedBy", "plain: no rule"],
  ["EmailConversation.id", "ConversationId"],
  ["EmailConversation.requesterId", "UserId"],
  ["EmailForward.parentId", "ConversationId"],
  ["EmptyPatchSet.id", "plain: no rule"],
  ["EndUser.externalId", "plain: no rule"],
  ["EndUser.id", "UserId"],
  ["FacebookMessengerConversation.id", "ConversationId"],
  ["FacebookMessengerConversation.requesterId", "UserId"],
  ["FollowUp.parentId", "ConversationId"],
  ["FollowupConversationInput.userId", "AgentId"],
  ["GenericConversation.fromContactPointId", "plain: no rule"],
  ["GenericConversation.id", "ConversationId"],
  ["GenericConversation.requesterId", "UserId"],
  ["GenericConversation.toContactPointId", "plain: no rule"],
  ["GenericConversationImport.externalId", "plain: no rule"],
  ["GenericConversationImport.requesterId", "UserId"],
  ["GetMetricDataInputCsidFilter.id", "plain: no rule"],
  ["GetMetricDataInputPeriodFilter.id", "plain: no rule"],
  ["GetMetricRecordsDataInputCsidFilter.id", "plain: no rule"],
  ["GetMetricRecordsDataInputPeriodFilter.id", "plain: no rule"],
  ["HelpCenterLink.id", "plain: no rule"],
  ["ImportConversationResponse.id", "ConversationId"],
  ["Inbound.externalId", "plain: no rule"],
  ["InboundImport.externalId", "plain: no rule"],
  ["Infrastructure.id", "plain: no rule"],
  ["Integrity.id", "plain: no rule"],
  ["InternalNoteData.authorId", "UserId"],
  ["InternalNoteData.csid", "ConversationId"],
  ["InternalNoteData.id", "plain: listed in fields"],
  ["LinkConversationInput.parentId", "ConversationId"],
  ["Message.authorId", "UserId"],
  ["Message.externalId", "plain: no rule"],
  ["Message.id", "MessageId"],
  ["MessageAddedAttribute.messageId", "plain: string (no format) in the spec, MessageId needs a uuid"],
  ["MessageRedactedAttribute.messageId", "plain: string (no format) in the spec, MessageId needs a uuid"],
  ["MessengerConversation.id", "ConversationId"],
  ["MessengerConversation.requesterId", "UserId"],
  ["MetricData.id", "plain: no rule"],
  ["MetricMetadata.id", "plain: no rule"],
  ["MetricMetadata.relatedRecordIds", "plain: no rule"],
  ["MetricRecordMetadata.id", "plain: no rule"],
  ["MetricRecordMetadata.relatedMetricIds", "plain: no rule"],
  ["NotFound1.id", "plain: no rule"],
  ["OrganizationDetails.id", "plain: no rule"],
  ["Outbound.agentId", "AgentId"],
  ["Outbound.externalId", "plain: no rule"],
  ["OutboundImport.agentId", "AgentId"],
  ["OutboundImport.externalId", "plain: no rule"],
  ["PatchEndUserInput.externalId", "plain: no rule"],
  ["PstnPhoneConversation.id", "ConversationId"],
  ["PstnPhoneConversation.requesterId", "UserId"],
  ["Queue.id", "QueueId"],
  ["Queue1.id", "QueueId over any string"],
  ["Queue1.organizationId", "plain: no rule"],
  ["QueueMember.agentId", "plain: string (no format) in the spec, AgentId needs a uuid"],
  ["QueueUsages.queueId", "plain: string (no format) in the spec, QueueId needs a uuid"],
  ["QuickResponse.createdBy", "plain: no rule"],
  ["QuickResponse.id", "TemplateId over any string"],
  ["QuickResponse.lastEditedBy", "plain: no rule"],
  ["RatingOffer.agentId", "plain: string (no format) in the spec, AgentId needs a uuid"],
  ["RatingOffer.id", "plain: no rule"],
  ["RatingOffer.userId", "plain: string (no format) in the spec, UserId needs a uuid"],
  ["RatingResult.ratingId", "plain: no rule"],
  ["RatingResult.userId", "plain: string (no format) in the spec, UserId needs a uuid"],
  ["ReopenConversationInput.userId", "AgentId"],
  ["SelectOption.id", "plain: no rule"],
  ["SideConversation.parentId", "ConversationId"],
  ["Sms.contactEndpointId", "plain: no rule"],
  ["Sms.requesterId", "UserId"],
  ["SmsConversation.id", "ConversationId"],
  ["SmsConversation.requesterId", "UserId"],
  ["Tag.id", "TagId"],
  ["Team.id", "TeamId"],
  ["Team1.id", "TeamId over any string"],
  ["TeamMember.id", "AgentId over any string"],
  ["TransferConversationInput.queueId", "QueueId"],
  ["TransferConversationInput.userId", "AgentId"],
  ["TranslationError.languageId", "plain: no rule"],
  ["TranslationInput.languageId", "plain: no rule"],
  ["TranslationInput1.languageId", "plain: no rule"],
  ["TranslationTitle.languageId", "plain: no rule"],
  ["TwitterConversation.contactPointTwitterId", "plain: no rule"],
  ["TwitterConversation.endUserTwitterId", "plain: no rule"],
  ["TwitterConversation.id", "ConversationId"],
  ["TwitterConversation.requesterId", "UserId"],
  ["UpdateEndUserInput.externalId", "plain: no rule"],
  ["UpdateKnowledgeArticleInput.ownedBy", "plain: no rule"],
  ["UserPresence.userId", "plain: string (no format) in the spec, UserId needs a uuid"],
  ["Validation.id", "plain: no rule"],
  ["WebhookSubscription.createdBy", "plain: listed in fields"],
  ["WebhookSubscription.id", "WebhookSubscriptionId"],
  ["WebhookSubscription.updatedBy", "plain: listed in fields"],
  ["WhatsAppConversation.id", "ConversationId"],
  ["WhatsAppConversation.requesterId", "UserId"],
  ["parameter agentId", "AgentId"],
  ["parameter articleId", "KnowledgeArticleId"],
  ["parameter categoryId", "KnowledgeCategoryId"],
  ["parameter collectionId", "KnowledgeCollectionId"],
  ["parameter contactEndpointId", "plain: no rule"],
  ["parameter conversationId", "ConversationId"],
  ["parameter csid", "ConversationId"],
  ["parameter customAttributeId", "plain: no rule"],
  ["parameter externalId", "plain: no rule"],
  ["parameter languageId", "plain: no rule"],
  ["parameter messageId", "MessageId"],
  ["parameter metricId", "plain: no rule"],
  ["parameter parentId", "plain: no rule"],
  ["parameter queueId", "QueueId"],
  ["parameter ratingId", "plain: no rule"],
  ["parameter recordId", "plain: no rule"],
  ["parameter requestId", "AnonymizationRequestId"],
  ["parameter scheduleId", "BusinessHoursScheduleId"],
  [
    "parameter scheduleId in business-hours.getStatus",
    "plain: string (no format) in the spec, BusinessHoursScheduleId needs a uuid"
  ],
  ["parameter tagId", "TagId"],
  ["parameter teamId", "TeamId"],
  ["parameter templateId", "TemplateId"],
  ["parameter userId", "UserId"],
  ["parameter webhookSubscriptionId", "WebhookSubscriptionId"]
]
// generated:end
