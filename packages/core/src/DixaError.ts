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

const attempts = {
  /** How many times the request was sent; 0 when it never left (a deadline passed while it waited for a slot). */
  attempts: Schema.Number
}

const response = {
  ...context,
  ...attempts,
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
  ...attempts,
  /**
   * `ConnectionRefused`: nothing reached the server, so even an unsafe operation may be retried. `Timeout`: the
   * request was sent and no answer came in time. `Deadline`: the call's deadline passed before the request could be
   * sent (again); `attempts` says how often it was.
   */
  reason: Schema.Literal("ConnectionRefused", "Timeout", "Deadline", "Other"),
  message: Schema.String
}) {}

/** The server answered with a success status, but the body is not what the operation returns. */
export class DecodeError extends Schema.TaggedError<DecodeError>()("DecodeError", {
  ...context,
  ...attempts,
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
export const DixaError = /* @__PURE__ */ Schema.Union(
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

/** What any call can fail with, whatever its operation declares. */
export type Always = Unauthorized | RateLimited | ServerError | TransportError | DecodeError | InvalidInput

/** The error a declared error status turns into: 400 `BadRequest`, 404 `NotFound`, 409 `Conflict`. */
export type ForStatus<Status extends number> = Status extends 404 ? NotFound
  : Status extends 409 ? Conflict
  : Status extends BadRequestStatus ? BadRequest
  : never

/** The 4xx statuses reported as `BadRequest`. */
const badRequestStatuses = [400, 405, 406, 410, 412, 413, 415, 422] as const
type BadRequestStatus = typeof badRequestStatuses[number]

/** The failures of an operation that declares the given error statuses. */
export type Of<Status extends number> = ForStatus<Status> | Always

type Context = { readonly operation: string; readonly method: string; readonly path: string; readonly attempts: number }

/**
 * Builds the error for a non-success HTTP status. `declared` is the operation's declared error statuses: a 4xx
 * status whose class the operation does not declare is reported as `BadRequest` when the operation declares 400 (or
 * another status reported as `BadRequest`),
 * otherwise as a `DecodeError` (an answer the operation does not describe), so a call never fails with an error
 * outside its type.
 */
export const fromStatus = (
  ctx: Context,
  status: number,
  message: string,
  retryAfterMillis: number | undefined,
  declared: ReadonlyArray<number> = [400, 404, 409]
): DixaError => {
  const fields = { ...ctx, status, message }
  if (status === 429) {
    return new RateLimited(retryAfterMillis === undefined ? fields : { ...fields, retryAfterMillis })
  }
  if (status === 401 || status === 403) return new Unauthorized(fields)
  if (status >= 500) return new ServerError(fields)
  if (status === 404 && declared.includes(404)) return new NotFound(fields)
  if (status === 409 && declared.includes(409)) return new Conflict(fields)
  if (declared.some((s) => (badRequestStatuses as ReadonlyArray<number>).includes(s))) return new BadRequest(fields)
  return new DecodeError({ ...ctx, status, message: `an error status the operation does not declare: ${message}` })
}

/** One readable line describing the error, for people. */
export const describe = (error: DixaError): string => {
  switch (error._tag) {
    case "InvalidInput":
      return `invalid input for ${error.operation}: ${error.message}`
    case "TransportError":
      return `${error.method} ${error.path} failed (${error.reason}, ${
        plural(error.attempts, "attempt")
      }): ${error.message}`
    case "DecodeError":
      return `${error.method} ${error.path} answered ${error.status} with an unexpected body: ${error.message}`
    default:
      return `${error.method} ${error.path} answered ${error.status} ${error._tag}: ${error.message}` +
        (error.attempts > 1 ? ` (after ${error.attempts} attempts)` : "")
  }
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`
