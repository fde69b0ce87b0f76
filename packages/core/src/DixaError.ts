/**
 * The typed failures of a Dixa call. Every error names the operation, method, path and status, and
 * carries Dixa's own message. None of them ever holds the API key.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

const context = {
  /** The operation id, e.g. `agents.get`. */
  operation: Schema.String,
  method: Schema.String,
  /** The request path without the host, e.g. `/beta/agents/...`. */
  path: Schema.String
}

const response = {
  ...context,
  status: Schema.Number,
  /** Dixa's message, or a short excerpt of a body that was not Dixa's JSON. */
  message: Schema.String
}

/** 400 (and any other 4xx without a class of its own): the request was rejected as invalid. */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", response) {}

/** 401 or 403: the key is missing, wrong, or not allowed to do this. */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", response) {}

/** 404: the resource does not exist. */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", response) {}

/** 409: the request conflicts with the resource's state (a duplicate, or the wrong state). */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", response) {}

/** 429: over the rate limit. `retryAfterMillis` is the server's `Retry-After`, when it sent one. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...response,
  retryAfterMillis: Schema.optional(Schema.Number)
}) {}

/** 5xx: Dixa failed. */
export class ServerError extends Schema.TaggedError<ServerError>()("ServerError", response) {}

/** The request did not complete: connection refused or reset, timeout, DNS failure. */
export class TransportError extends Schema.TaggedError<TransportError>()("TransportError", {
  ...context,
  /** `ConnectionRefused` means nothing reached the server, so even an unsafe operation may be retried. */
  reason: Schema.Literal("ConnectionRefused", "Timeout", "Other"),
  message: Schema.String
}) {}

/** The server answered with a success status, but the body is not what the operation returns. */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...context,
  status: Schema.Number,
  message: Schema.String
}) {}

/** The input did not match the operation's parameters or body; nothing was sent. */
export class InvalidInput extends Schema.TaggedError<InvalidInput>()("InvalidInput", {
  operation: Schema.String,
  message: Schema.String
}) {}

/** Any failure of a Dixa call. */
export type DixaError =
  | BadRequest
  | Unauthorized
  | NotFound
  | Conflict
  | RateLimited
  | ServerError
  | TransportError
  | DecodeError
  | InvalidInput

/** The schema of {@link DixaError}, for serialising errors (e.g. the CLI's JSON output). */
export const DixaError = Schema.Union(
  BadRequest,
  Unauthorized,
  NotFound,
  Conflict,
  RateLimited,
  ServerError,
  TransportError,
  DecodeError,
  InvalidInput
)

/** Builds the error for a non-success HTTP status. */
export const fromStatus = (
  ctx: { readonly operation: string; readonly method: string; readonly path: string },
  status: number,
  message: string,
  retryAfterMillis: number | undefined
): DixaError => {
  const fields = { ...ctx, status, message }
  if (status === 429) {
    return new RateLimited(retryAfterMillis === undefined ? fields : { ...fields, retryAfterMillis })
  }
  if (status === 401 || status === 403) return new Unauthorized(fields)
  if (status === 404) return new NotFound(fields)
  if (status === 409) return new Conflict(fields)
  if (status >= 500) return new ServerError(fields)
  return new BadRequest(fields)
}

/** One readable line describing the error, for people. */
export const describe = (error: DixaError): string => {
  switch (error._tag) {
    case "InvalidInput":
      return `invalid input for ${error.operation}: ${error.message}`
    case "TransportError":
      return `${error.method} ${error.path} failed (${error.reason}): ${error.message}`
    case "DecodeError":
      return `${error.method} ${error.path} answered ${error.status} with an unexpected body: ${error.message}`
    default:
      return `${error.method} ${error.path} answered ${error.status} ${error._tag}: ${error.message}`
  }
}
