/**
 * The sandbox's answers: Dixa's `{message}` error bodies and JSON text already serialised.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"

/** An error answer with Dixa's `{message}` body. */
export const message = (status: number, text: string, headers?: Record<string, string>) =>
  json(status, { message: text }, headers)

/** A JSON value as the body. */
export const json = (status: number, body: unknown, headers?: Record<string, string>) =>
  jsonText(status, JSON.stringify(body), headers)

/** JSON that is already text. */
export const jsonText = (status: number, text: string, headers?: Record<string, string>) =>
  HttpServerResponse.text(text, {
    status,
    contentType: "application/json",
    ...(headers === undefined ? {} : { headers })
  })
