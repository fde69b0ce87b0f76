/**
 * `multipart/form-data` bodies, read by the platform's parser within limits, as the `FormData` the core's
 * `Wire.decodeRequest` takes for operations whose `bodyEncoding` is `multipart`.
 */
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Multipart from "@effect/platform/Multipart"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** Limits on an upload: parts, a text field's size, a file's size, the whole body. */
export const limits = {
  maxParts: Option.some(100),
  maxFieldSize: 1024 * 1024,
  maxFileSize: Option.some(25 * 1024 * 1024),
  maxTotalSize: Option.some(50 * 1024 * 1024)
} satisfies Multipart.withLimits.Options

/** Why a body could not be read, as an HTTP status and a message for the `{message}` body. */
export interface Refused {
  readonly status: number
  readonly message: string
}

const refusal = (error: Multipart.MultipartError): Refused => {
  switch (error.reason) {
    case "Parse":
    case "InternalError":
      return { status: 400, message: "body: is not well-formed multipart/form-data" }
    case "TooManyParts":
      return { status: 413, message: `body: more than ${Option.getOrThrow(limits.maxParts)} parts` }
    default:
      return { status: 413, message: `body: a part or the whole body is too large (${error.reason})` }
  }
}

/** Adds one part to the form: text as text, a file with its name and content type. */
const add = (form: FormData, part: Multipart.Part): Effect.Effect<void, Multipart.MultipartError> => {
  if (Multipart.isField(part)) return Effect.sync(() => form.append(part.key, part.value))
  if (!Multipart.isFile(part)) return Effect.void
  return Effect.map(part.contentEffect, (content) => {
    const blob = new Blob([content], { type: part.contentType === "" ? "application/octet-stream" : part.contentType })
    form.append(part.key, blob, part.name)
  })
}

const isMultipart = (contentType: string | undefined) =>
  contentType !== undefined && /^multipart\/form-data\s*;.*boundary=/i.test(contentType)

/** Reads the request's parts into a `FormData`, or says why it cannot. */
export const read = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<FormData, Refused> => {
  if (!isMultipart(request.headers["content-type"])) {
    return Effect.fail({ status: 400, message: "body: expected multipart/form-data with a boundary" })
  }
  const form = new FormData()
  return request.multipartStream.pipe(
    Stream.runForEach((part) => add(form, part)),
    Multipart.withLimits(limits),
    Effect.as(form),
    Effect.mapError(refusal)
  )
}
