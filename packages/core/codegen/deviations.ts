/**
 * Where our definition deliberately departs from the letter of the spec, because the spec's own
 * examples (and so, we expect, the live API) say otherwise. The contract test reads `deviations`;
 * the generator reads `schemaOverrides`.
 *
 * Most departures follow from a few rules applied throughout (see `rules`); the generator keeps the
 * list of schemas each rule touched at the bottom of this file. One-off departures are written by
 * hand in `oneOffs`.
 */

export interface Deviation {
  /** The spec's operationId, when the deviation is about an operation. */
  readonly operation?: string
  /** The spec's component schema name, when the deviation is about a schema. */
  readonly schema?: string
  /** What the spec declares. */
  readonly spec: string
  /** What we do instead. */
  readonly ours: string
  /** Why. */
  readonly why: string
}

type Rule = Omit<Deviation, "operation" | "schema">

/** The general choices, each applied to every schema it concerns. */
export const rules = {
  // Conversation members, ConversationLink members, bulk outcomes, search fields, operators, ...
  variant: {
    spec: "an object without a `_type` property, used as a member of a oneOf that declares no discriminator",
    ours: "the same object with a `_type` literal (its schema name without a numeric suffix); required, or " +
      "optional where the object is also used outside the union",
    why: "the spec's examples always carry `_type` on these objects, and it is the only way to tell the " +
      "variants apart"
  },
  // Conversation, ConversationLink, Template, WebhookAuthorization, ...
  typedUnion: {
    spec: "a oneOf of objects with no discriminator",
    ours: "a union told apart by `_type`, with a catch-all member so that a variant added later still decodes",
    why: "the examples use `_type` as the discriminator; a beta API adds variants over time"
  },
  // DeprecatedAnonymizationType, DeprecatedActivityLogType, BusinessHourStatus, ...
  namesAsStrings: {
    spec: "a oneOf of empty objects (e.g. UserAnonymizationType, Open)",
    ours: "a string, typed as the member names, accepting names we do not know yet",
    why: "the examples send the member name as a plain string, e.g. \"UserAnonymizationType\" or \"Open\""
  },
  // ActivityLogAttribute
  openUnion: {
    spec: "a oneOf of objects that nothing tells apart",
    ours: "a plain union of the objects, plus any object, because it is only ever read from responses",
    why: "no `_type` appears in the examples for these; an unknown shape must not fail a whole response"
  }
} as const satisfies Record<string, Rule>

/** Departures that no rule explains. */
const oneOffs: ReadonlyArray<Deviation> = []

/** Per-component field overrides applied by the generator: a schema expression and/or requiredness. */
export const schemaOverrides: Readonly<
  Record<string, Readonly<Record<string, { readonly type?: string; readonly required?: boolean }>>>
> = {}

// The schemas each rule touched. Written by codegen/generate.ts between the markers: do not edit.
// generated:start
const touched: ReadonlyArray<readonly [schema: string, rule: keyof typeof rules]> = [
  ["ActivityLogAttribute", "openUnion"],
  ["AgentId", "variant"],
  ["AgentPresenceDurationValue", "variant"],
  ["AggregateValue", "typedUnion"],
  ["AnonymizedConversation", "variant"],
  ["AssignedDate", "variant"],
  ["Attachments", "variant"],
  ["Attributes", "typedUnion"],
  ["BasicAuth", "variant"],
  ["Between", "variant"],
  ["Between1", "variant"],
  ["BooleanField", "variant"],
  ["BulkActionFailure_BulkError_Agent", "variant"],
  ["BulkActionFailure_BulkError_EndUser", "variant"],
  ["BulkActionFailure_BulkError_UUID", "variant"],
  ["BulkActionFailure_ErrorResponse_InternalNoteData", "variant"],
  ["BulkActionOutcome_BulkError_Agent", "typedUnion"],
  ["BulkActionOutcome_BulkError_EndUser", "typedUnion"],
  ["BulkActionOutcome_BulkError_UUID", "typedUnion"],
  ["BulkActionOutcome_ErrorResponse_InternalNoteData", "typedUnion"],
  ["BulkActionSuccess_BulkError_Agent", "variant"],
  ["BulkActionSuccess_BulkError_EndUser", "variant"],
  ["BulkActionSuccess_BulkError_UUID", "variant"],
  ["BulkActionSuccess_ErrorResponse_InternalNoteData", "variant"],
  ["BulkError", "typedUnion"],
  ["BusinessHourExceptionType", "namesAsStrings"],
  ["BusinessHourRegularType", "namesAsStrings"],
  ["BusinessHourStatus", "namesAsStrings"],
  ["BusinessHourStatus1", "namesAsStrings"],
  ["BusinessHourType", "namesAsStrings"],
  ["CallRecordingAttributes", "variant"],
  ["Callback", "variant"],
  ["Channel", "variant"],
  ["ChannelAvailability", "typedUnion"],
  ["ChannelAvailabilityError", "typedUnion"],
  ["ChannelAvailabilityOutcome", "typedUnion"],
  ["ChannelOperator", "typedUnion"],
  ["Chat", "variant"],
  ["ChatAttributes", "variant"],
  ["ChatConversation", "variant"],
  ["ClosedDate", "variant"],
  ["CombinedFilters", "variant"],
  ["Condition1", "typedUnion"],
  ["ContactEndpoint", "typedUnion"],
  ["ContactForm", "variant"],
  ["ContactFormAttributes", "variant"],
  ["ContactFormConversation", "variant"],
  ["ContactId", "variant"],
  ["Content", "typedUnion"],
  ["Conversation", "typedUnion"],
  ["ConversationId", "variant"],
  ["ConversationLink", "typedUnion"],
  ["CreateConversationInput", "typedUnion"],
  ["CreateMessageInput", "typedUnion"],
  ["CreationDate", "variant"],
  ["Csat", "variant"],
  ["CustomAttribute1", "variant"],
  ["CustomAttributeInputDefinition", "typedUnion"],
  ["CustomAttributeOperator", "typedUnion"],
  ["DeliveryDetail", "variant"],
  ["DeliveryStatus", "typedUnion"],
  ["DeprecatedActivityLogType", "namesAsStrings"],
  ["DeprecatedAnonymizationType", "namesAsStrings"],
  ["Direction", "variant"],
  ["DirectionOperator", "typedUnion"],
  ["DoubleAggregateValue", "variant"],
  ["DoubleField", "variant"],
  ["Duration", "variant"],
  ["DurationOperator", "typedUnion"],
  ["Email", "variant"],
  ["EmailAttributes", "variant"],
  ["EmailAutoReply", "variant"],
  ["EmailContent", "typedUnion"],
  ["EmailConversation", "variant"],
  ["EmailEndpoint", "variant"],
  ["EmailForward", "variant"],
  ["EmptyPatchSet", "variant"],
  ["ErrorResponse", "variant"],
  ["ExcludesAll", "variant"],
  ["ExcludesOne", "variant"],
  ["FacebookMessengerAttributes", "variant"],
  ["FacebookMessengerConversation", "variant"],
  ["Failure", "variant"],
  ["FieldCanHaveMultipleValuesOrBeEmptyOperator", "typedUnion"],
  ["FieldCanHaveSingleValueOrBeEmptyOperator", "typedUnion"],
  ["FieldHasSingleValueOperator", "typedUnion"],
  ["FieldType", "typedUnion"],
  ["Filters1", "typedUnion"],
  ["FollowUp", "variant"],
  ["FormAttributeValue", "typedUnion"],
  ["GenericAttributes", "variant"],
  ["GenericChannel", "variant"],
  ["GenericConversation", "variant"],
  ["Html", "variant"],
  ["ImportMessageInput", "typedUnion"],
  ["Inbound", "variant"],
  ["InboundImport", "variant"],
  ["IncludesAll", "variant"],
  ["IncludesOne", "variant"],
  ["Infrastructure", "variant"],
  ["InstantField", "variant"],
  ["IntField", "variant"],
  ["Integrity", "variant"],
  ["Interval", "variant"],
  ["InvalidArgument", "variant"],
  ["IsEmpty", "variant"],
  ["IsNotEmpty", "variant"],
  ["IsNotOneOf", "variant"],
  ["IsNotOneOf1", "variant"],
  ["IsNotOneOf2", "variant"],
  ["IsNotOneOf3", "variant"],
  ["IsNotOneOf4", "variant"],
  ["IsNotOneOf5", "variant"],
  ["IsOneOf", "variant"],
  ["IsOneOf1", "variant"],
  ["IsOneOf2", "variant"],
  ["IsOneOf3", "variant"],
  ["IsOneOf4", "variant"],
  ["IsOneOf5", "variant"],
  ["LastActivity", "variant"],
  ["LastMessage", "variant"],
  ["ListField", "variant"],
  ["LongAggregateValue", "variant"],
  ["LongField", "variant"],
  ["LongerThanOrEqualTo", "variant"],
  ["Markdown", "variant"],
  ["MessengerConversation", "variant"],
  ["MessengerFormAttributes", "variant"],
  ["MimeType", "openUnion"],
  ["NoAuth", "variant"],
  ["NoRecentDelivery", "variant"],
  ["NotFound1", "variant"],
  ["Nps", "variant"],
  ["Outbound", "variant"],
  ["OutboundImport", "variant"],
  ["PeriodFilter", "typedUnion"],
  ["PhoneAttributes", "variant"],
  ["Preset", "variant"],
  ["PrimitiveField", "typedUnion"],
  ["PstnPhoneConversation", "variant"],
  ["QueueId", "variant"],
  ["QuickResponse", "variant"],
  ["Regular", "variant"],
  ["SearchField", "typedUnion"],
  ["Select", "variant"],
  ["Select1", "variant"],
  ["ShorterThanOrEqualTo", "variant"],
  ["SideConversation", "variant"],
  ["Since", "variant"],
  ["Sms", "variant"],
  ["SmsAttributes", "variant"],
  ["SmsConversation", "variant"],
  ["Status1", "variant"],
  ["StatusOperator", "typedUnion"],
  ["StringField", "variant"],
  ["SubmittedRatingResult", "typedUnion"],
  ["Success", "variant"],
  ["TagId", "variant"],
  ["TelephonyEndpoint", "variant"],
  ["Template", "typedUnion"],
  ["Text", "variant"],
  ["Text1", "variant"],
  ["Text2", "variant"],
  ["ThumbsUpOrDown", "variant"],
  ["TimestampField", "variant"],
  ["TimestampOperator", "typedUnion"],
  ["TokenAuth", "variant"],
  ["TooLarge", "variant"],
  ["TranscriptAttributes", "variant"],
  ["TwitterAttributes", "variant"],
  ["TwitterConversation", "variant"],
  ["UUIDField", "variant"],
  ["UnexpectedError", "variant"],
  ["Until", "variant"],
  ["Validation", "variant"],
  ["WebhookAuthorization", "typedUnion"],
  ["WhatsAppAttributes", "variant"],
  ["WhatsAppConversation", "variant"]
]
// generated:end

export const deviations: ReadonlyArray<Deviation> = [
  ...oneOffs,
  ...touched.map(([schema, rule]): Deviation => ({ schema, ...rules[rule] }))
]
