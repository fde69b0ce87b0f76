/**
 * Where our definition deliberately departs from the letter of the spec, because the spec's own
 * examples (and the live API) say otherwise. The contract tests read this list; the generator reads
 * `schemaOverrides`.
 */

export interface Deviation {
  /** The operationId or component schema concerned (`Schema.property` for one field). */
  readonly where: string
  /** What the spec declares. */
  readonly spec: string
  /** What we generate instead. */
  readonly ours: string
  /** Why. */
  readonly why: string
}

export const deviations: ReadonlyArray<Deviation> = [
  {
    where: "AnonymizationRequestStatus.entityType (and every oneOf whose members are all empty objects)",
    spec: "a oneOf of empty object schemas (ConversationAnonymizationType, UserAnonymizationType, ...)",
    ours: "a string, typed as the member names (OpenLiteral), accepting names we do not know yet",
    why: "the examples send the member name as a plain string, e.g. \"UserAnonymizationType\" or \"Open\""
  },
  {
    where: "members of every oneOf of object schemas (Conversation, ConversationLink, ActivityLogAttribute, ...)",
    spec: "no _type property and no discriminator",
    ours: "each member has a required `_type` literal (its schema name without a numeric suffix); unknown _type values decode as UnknownVariant",
    why: "every example carries `_type`; without it the variants cannot be told apart"
  }
]

/** Per-component field overrides applied by the generator: a schema expression and/or requiredness. */
export const schemaOverrides: Readonly<
  Record<string, Readonly<Record<string, { readonly type?: string; readonly required?: boolean }>>>
> = {}
