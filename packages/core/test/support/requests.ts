/**
 * Requests written by hand for the operations whose spec example request cannot be used: the example breaks the
 * spec's own schema (strict Prism refuses it), or there is no example at all. Each entry says what is wrong with
 * the spec's example and gives a body that the spec's schema accepts and our client accepts too. The Prism sweep
 * sends these instead, and checks every run that the spec's own example is still refused (or still missing), so
 * an entry whose reason has gone away makes the sweep fail.
 *
 * A recurring cause: the spec writes variants as `oneOf` members that have the same shape and no discriminator
 * (no `_type` property), so a value matches several members and `oneOf` (exactly one) fails. Values are chosen
 * here so that they match exactly one member, or leave the ambiguous part out where the schema allows it.
 */
import type * as Model from "../../src/Model.js"
import type * as Inputs from "./inputs.js"
import { sampleDateTime, sampleUuid } from "./inputs.js"

/** One hand-written request. */
export interface HandWritten {
  /** What is wrong with the spec's own example request (or that there is none). */
  readonly specExample: string
  /** The body sent instead of the spec's example. */
  readonly body: Inputs.BodyOverride
  /**
   * Violations Prism reports for every possible body of this operation, as fragments of Prism's messages: the
   * schema (or Prism) leaves no way to send a valid one. Prism then answers its 400 example whatever we send, so
   * the sweep checks that these are the only violations and that the 400 answer decodes as a `BadRequest`.
   */
  readonly unavoidable?: {
    readonly violations: ReadonlyArray<string>
    /** Why no body can avoid them. */
    readonly why: string
    /** A smaller request Prism does accept, to check the success answer decodes; when there is one. */
    readonly accepted?: Inputs.BodyOverride
  }
}

const json = (value: unknown): Inputs.BodyOverride => ({ _tag: "Json", value })

/** A complete 1×1 PNG (grey and alpha), 68 bytes: signature, IHDR, IDAT, IEND with correct CRCs. */
export const pixelPng: Model.FilePart = {
  name: "pixel.png",
  contentType: "image/png",
  content: Uint8Array.from(
    Buffer.from(
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
      "base64"
    )
  )
}

/** Headers for the webhook entries (any string map is valid). */
const headers = { "X-Test-Header": "sweep" }

/** Keyed by our operation id. */
export const handWritten: Readonly<Record<string, HandWritten>> = {
  "conversations.create": {
    specExample: "an Email body, but Email and ContactForm are the same schema, so it matches two members of " +
      "the oneOf; its message content also matches all three content members (Html, Markdown, Text have the " +
      "same shape)",
    // Callback is the one member with no message (so no content) and fields no other member requires.
    body: json({
      _type: "Callback",
      requesterId: sampleUuid,
      direction: "Outbound",
      contactEndpointId: "+4512345678",
      queueId: sampleUuid
    })
  },
  "conversations.import": {
    specExample: "every imported message has content, and content matches all three content members (Html, " +
      "Markdown, Text have the same shape); both message kinds require content",
    // `messages` is optional: a conversation imported with its assignment and closing but no messages.
    body: json({
      genericChannelName: "email",
      requesterId: sampleUuid,
      requesterConnectionStatus: "Connected",
      direction: "Inbound",
      createdAt: sampleDateTime,
      assignment: { agentId: sampleUuid, assignedAt: sampleDateTime },
      closing: { closedAt: sampleDateTime, closedBy: sampleUuid },
      externalId: "sweep-import-1"
    })
  },
  "conversations.addMessage": {
    specExample: "an inbound message with content, and content matches all three content members (Html, " +
      "Markdown, Text have the same shape)",
    // Outbound is the member where content is optional: an agent's message carrying only an attachment.
    body: json({
      _type: "Outbound",
      agentId: sampleUuid,
      attachments: [{ url: "https://files.example.com/receipt.pdf", prettyName: "receipt.pdf" }]
    })
  },
  "conversations.submitRating": {
    specExample: "ratingResult matches all three rating members (Csat, Nps, ThumbsUpOrDown have the same shape)",
    body: json({
      ratingResult: { _type: "Csat", value: 4 },
      comment: "Quick and helpful",
      submittedAt: sampleDateTime
    }),
    unavoidable: {
      violations: ["ratingResult must match exactly one schema in oneOf"],
      why: "ratingResult is required and its three members are identical objects, so no value matches exactly one"
    }
  },
  "search.conversations": {
    specExample: "a filter condition, but every condition is ambiguous: the field members share shapes (e.g. every " +
      "date field takes the same operator), and each operator union has look-alike members (IsEmpty accepts any " +
      "object, Since and Until are the same)",
    // A text query and a filter with no conditions (the list may be empty).
    body: json({ query: { value: "order 12345", exactMatch: true }, filters: { strategy: "All", conditions: [] } })
  },
  "webhooks.create": {
    specExample: "BasicAuth authorization, but NoAuth accepts any object, so it matches two members; and each " +
      "filter condition matches both IsOneOf and IsNotOneOf (same shape) while a filter needs one condition at least",
    // NoAuth is the only authorization that matches one member alone; no filters, since none can be valid.
    body: json({
      name: "Sweep subscription",
      events: ["ConversationCreated", "ConversationClosed"],
      url: "https://hooks.example.com/dixa",
      authorization: { _type: "NoAuth" },
      customHeaders: headers,
      enabled: true
    })
  },
  "webhooks.patch": {
    specExample: "TokenAuth authorization, but NoAuth accepts any object, so it matches two members; and each " +
      "filter condition matches both IsOneOf and IsNotOneOf (same shape) while a filter needs one condition at least",
    body: json({
      name: "Renamed subscription",
      events: ["ConversationNoteAdded"],
      authorization: { _type: "NoAuth" },
      customHeaders: headers
    })
  },
  "knowledge.uploadAttachments": {
    specExample: "no example request (the body is multipart/form-data)",
    body: { _tag: "Input", value: { files: [pixelPng] } },
    unavoidable: {
      // Prism does parse the multipart body (it finds the `files` part, hence this violation), but it keeps each
      // part as one string (the last part of a name wins) and only builds arrays for properties the spec gives an
      // `encoding` style, which this spec does not: an array of files can never validate in Prism.
      violations: ["files must be array"],
      why: "Prism reads every multipart part as a single string, so the `files` array never validates",
      // `files` is optional: an upload with no file part passes, and its 200 answer is checked to decode.
      accepted: { _tag: "Input", value: { files: [] } }
    }
  }
}
