/**
 * Models shared by every resource group: identifiers, Dixa's date-times, `_type` unions,
 * the `{ data }` envelope and the cursor-pagination envelope.
 *
 * @since 0.1.0
 */
import * as DateTime from "effect/DateTime"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

const uuidPattern = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * A UUID string, as Dixa uses for agents, end users, tags, teams and most other resources. Its hex digits may
 * be of either case, as Dixa reads them (Java's `UUID.fromString`); decoding gives the canonical lowercase
 * form, so an id written in capitals names the same resource. Encoding sends it as it is.
 */
export const Uuid = /* @__PURE__ */ Schema.transform(
  Schema.String,
  Schema.String.pipe(Schema.pattern(uuidPattern, { message: () => "expected a UUID" })),
  { strict: true, decode: (s) => (uuidPattern.test(s) ? s.toLowerCase() : s), encode: (s) => s }
).annotations({ identifier: "Uuid", jsonSchema: { type: "string", format: "uuid" } })

/** The id of any Dixa user: agent, admin or end user. */
export const UserId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("UserId"))
export type UserId = typeof UserId.Type

/** The id of an agent or admin. Agents are users, so an `AgentId` is accepted wherever a `UserId` is. */
export const AgentId = /* @__PURE__ */ UserId.pipe(/* @__PURE__ */ Schema.brand("AgentId"))
export type AgentId = typeof AgentId.Type

/** The id of a conversation tag. */
export const TagId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("TagId"))
export type TagId = typeof TagId.Type

/** The id of a team. */
export const TeamId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("TeamId"))
export type TeamId = typeof TeamId.Type

/** The id of a message inside a conversation. */
export const MessageId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

/** The id of an anonymization request. */
export const AnonymizationRequestId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("AnonymizationRequestId"))
export type AnonymizationRequestId = typeof AnonymizationRequestId.Type

/** The id of a queue. */
export const QueueId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("QueueId"))
export type QueueId = typeof QueueId.Type

/** The id of a webhook subscription. */
export const WebhookSubscriptionId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("WebhookSubscriptionId"))
export type WebhookSubscriptionId = typeof WebhookSubscriptionId.Type

/** The id of a template (quick response or email auto-reply). */
export const TemplateId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("TemplateId"))
export type TemplateId = typeof TemplateId.Type

/** The id of a business-hours schedule. */
export const BusinessHoursScheduleId = /* @__PURE__ */ Uuid.pipe(
  /* @__PURE__ */ Schema.brand("BusinessHoursScheduleId")
)
export type BusinessHoursScheduleId = typeof BusinessHoursScheduleId.Type

/** The id of a knowledge base collection. */
export const KnowledgeCollectionId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("KnowledgeCollectionId"))
export type KnowledgeCollectionId = typeof KnowledgeCollectionId.Type

/** The id of a knowledge base category. */
export const KnowledgeCategoryId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("KnowledgeCategoryId"))
export type KnowledgeCategoryId = typeof KnowledgeCategoryId.Type

/** The id of a knowledge base article. */
export const KnowledgeArticleId = /* @__PURE__ */ Uuid.pipe(/* @__PURE__ */ Schema.brand("KnowledgeArticleId"))
export type KnowledgeArticleId = typeof KnowledgeArticleId.Type

/**
 * The branded type of `id` over any string, for the ids the spec types as plain strings (templates,
 * schedules, the knowledge base, ...). A value decoded with it can be passed wherever `id` is expected,
 * and decoding accepts any string, as `Schema.String` does: only the type changes, not the wire.
 */
export const looseId = <A extends string>(id: Schema.Schema<A, string, never>): Schema.Schema<A, string, never> => {
  const brand = id.ast.annotations[AST.BrandAnnotationId]
  return Schema.make<A, string, never>(
    brand === undefined ? Schema.String.ast : AST.annotations(Schema.String.ast, { [AST.BrandAnnotationId]: brand })
  )
}

/** A 64-bit integer id, as used for conversations (safe in JavaScript up to 2^53). */
export const Int64 = /* @__PURE__ */ Schema.Int.annotations({ jsonSchema: { type: "integer", format: "int64" } })

/** The id of a conversation: an int64 on the wire. */
export const ConversationId = /* @__PURE__ */ Int64.pipe(/* @__PURE__ */ Schema.brand("ConversationId"))
export type ConversationId = typeof ConversationId.Type

// Parameters are read exactly as Dixa's server reads them (Scala on the JVM): an integer as Java's
// `Long.parseLong` does (an optional `+` or `-`, then decimal digits; no spaces, decimal point, exponent
// or `0x`), a boolean as Scala's `toBoolean` does (`true` or `false` in any case, nothing else).
const decimalInteger = /^[+-]?[0-9]+$/

const IntegerFromString = /* @__PURE__ */ Schema.transformOrFail(Schema.String, Schema.Number, {
  strict: true,
  decode: (input, _, ast) =>
    decimalInteger.test(input)
      ? ParseResult.succeed(Number(input))
      : ParseResult.fail(new ParseResult.Type(ast, input, `expected an integer, got ${JSON.stringify(input)}`)),
  encode: (n) => ParseResult.succeed(String(n))
})

const BooleanFromString = /* @__PURE__ */ Schema.transformOrFail(Schema.String, Schema.Boolean, {
  strict: true,
  decode: (input, _, ast) => {
    const lower = input.toLowerCase()
    return lower === "true" || lower === "false"
      ? ParseResult.succeed(lower === "true")
      : ParseResult.fail(new ParseResult.Type(ast, input, `expected true or false, got ${JSON.stringify(input)}`))
  },
  encode: (b) => ParseResult.succeed(b ? "true" : "false")
})

/**
 * Parameters travel in URLs as strings. These helpers turn a JSON-typed schema into one that is
 * encoded as a string in a path or query, keeping the JSON Schema of the decoded side for docs.
 */
export const Param = {
  /** An integer carried as a decimal string: an optional sign, then digits (`42`, `+42`, `-7`, `007`). */
  int: <A extends number>(schema: Schema.Schema<A, number, never>): Schema.Schema<A, string, never> =>
    Schema.compose(IntegerFromString, schema).annotations({ jsonSchema: integerJsonSchema(schema) }),
  /** `true` or `false`, read in any case (`True`, `FALSE`), always sent in lowercase. */
  boolean: BooleanFromString.pipe(Schema.annotations({ jsonSchema: { type: "boolean" } }))
} as const

const integerJsonSchema = (schema: Schema.Schema.Any): object => {
  const annotation = schema.ast.annotations[Symbol.for("effect/annotation/JSONSchema")]
  return typeof annotation === "object" && annotation !== null ? annotation : { type: "integer" }
}

/** The path parameter form of {@link ConversationId}. */
export const ConversationIdParam = /* @__PURE__ */ Param.int(ConversationId)

// ---------------------------------------------------------------------------------------------
// Date-times
// ---------------------------------------------------------------------------------------------

const zoneSuffix = /\[[^\]]+\]$/

/**
 * Parses a date-time string as Dixa sends it: RFC 3339 (`2021-12-01T12:46:36.581Z`) or the Java
 * `ZonedDateTime` form with a bracketed zone (`2021-12-01T12:46:36.581Z[GMT]`). The offset in the
 * string is authoritative; the bracketed zone name is dropped. As in Java's ISO parsers, which Dixa reads
 * date-times with, the `T` and `Z` may be lowercase.
 */
export const parseDixaDateTime = (input: string): Option.Option<DateTime.Utc> => {
  const stripped = input.replace(zoneSuffix, "").replace(/^(\d{4}-\d{2}-\d{2})t/, "$1T").replace(/z$/, "Z")
  if (!/^\d{4}-\d{2}-\d{2}(T|\s|$)/.test(stripped)) return Option.none()
  return DateTime.make(stripped).pipe(Option.map(DateTime.toUtc))
}

/** A point in time, decoded from either of Dixa's date-time forms and encoded as RFC 3339. */
export const DixaDateTime = /* @__PURE__ */ Schema.transformOrFail(Schema.String, Schema.DateTimeUtcFromSelf, {
  strict: true,
  decode: (input, _, ast) =>
    Option.match(parseDixaDateTime(input), {
      onNone: () =>
        ParseResult.fail(new ParseResult.Type(ast, input, `expected a date-time, got ${JSON.stringify(input)}`)),
      onSome: ParseResult.succeed
    }),
  encode: (dt) => ParseResult.succeed(DateTime.formatIso(dt))
}).annotations({ identifier: "DixaDateTime", jsonSchema: { type: "string", format: "date-time" } })

// ---------------------------------------------------------------------------------------------
// `_type` unions
// ---------------------------------------------------------------------------------------------

/**
 * A member of a `_type` union that this version of the SDK does not know. The beta API adds variants
 * over time; decoding keeps them (with all their fields) instead of failing.
 */
export const UnknownVariant = /* @__PURE__ */ Schema.Struct(
  { _type: Schema.String },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
).annotations({ identifier: "UnknownVariant" })
export type UnknownVariant = typeof UnknownVariant.Type

/**
 * A union of structs told apart by their literal `_type` field, with a catch-all last member so that
 * a variant added to the API later still decodes as {@link UnknownVariant}.
 */
export const TypedUnion = <Members extends ReadonlyArray<Schema.Schema.AnyNoContext>>(...members: Members) =>
  Schema.Union(...members, UnknownVariant)

/**
 * A string that Dixa documents as one of a few names (e.g. `"Open"` or `"Closed"`). The known names are
 * offered by the type, but any string decodes, so a name added to the API later does not break decoding.
 */
export const OpenLiteral = <const Names extends ReadonlyArray<string>>(
  ...names: Names
): Schema.Schema<Names[number] | (string & {}), string, never> =>
  Schema.String.annotations({ jsonSchema: { type: "string", enum: names } }) as Schema.Schema<
    Names[number] | (string & {}),
    string,
    never
  >

// ---------------------------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------------------------

/** Dixa wraps most payloads in `{ "data": ... }`. */
export const DataEnvelope = <S extends Schema.Schema.AnyNoContext>(data: S) => Schema.Struct({ data })

/** The links to neighbouring pages of a paginated list. Both are absolute URLs, to be followed as given. */
export const PageMeta = Schema.Struct({
  next: Schema.optional(Schema.String),
  previous: Schema.optional(Schema.String)
}).pipe(Schema.annotations({ identifier: "PaginationLinks" }))
export type PageMeta = typeof PageMeta.Type

/** One page of a cursor-paginated list: the items and the links to the next and previous pages. */
export const PageEnvelope = <S extends Schema.Schema.AnyNoContext>(item: S) =>
  Schema.Struct({
    data: Schema.Array(item),
    meta: Schema.optional(PageMeta)
  })

/** The query parameters every paginated operation accepts. */
export const PageParams = {
  /** How many items per page. */
  pageLimit: Schema.optional(Param.int(Schema.Int.pipe(Schema.positive()))),
  /** The opaque cursor of the page to fetch, taken from a previous page's links. */
  pageKey: Schema.optional(Schema.String)
}

/**
 * Reads the `pageKey` out of a page link. The key is opaque: it is only ever copied, never built.
 */
export const pageKeyOf = (link: string | undefined): Option.Option<string> => {
  if (link === undefined || link === "") return Option.none()
  try {
    const url = new URL(link, "http://relative.invalid")
    return Option.fromNullable(url.searchParams.get("pageKey"))
  } catch {
    return Option.none()
  }
}

/** A page as the client returns it: the decoded items, the raw links and the key of the next page. */
export interface Page<A> {
  readonly data: ReadonlyArray<A>
  readonly meta: PageMeta
  readonly nextPageKey: Option.Option<string>
}

/** Dixa's error body. */
export const ErrorBody = /* @__PURE__ */ Schema.Struct({ message: Schema.String }).annotations({
  identifier: "ErrorMessage"
})

/**
 * A file sent in a multipart request (knowledge attachments): its name, its bytes and, optionally, its media type.
 * On the wire it is one part of a `multipart/form-data` body; in JSON Schema it is a binary string.
 */
export const FilePart = /* @__PURE__ */ Schema.Struct({
  name: Schema.String,
  content: Schema.Uint8ArrayFromSelf,
  contentType: Schema.optional(Schema.String)
}).annotations({ identifier: "FilePart", jsonSchema: { type: "string", format: "binary" } })
export type FilePart = typeof FilePart.Type
