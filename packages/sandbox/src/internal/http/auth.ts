/**
 * Authentication: every API request carries an `Authorization` header; when the sandbox was started with a key,
 * it must be that key.
 */
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Effect from "effect/Effect"
import { message } from "./answer.js"

/** Answers 401 before the rest of the app when the token is missing or not the configured one. */
export const middleware = (apiKey: string | undefined) =>
  HttpMiddleware.make((app) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const token = request.headers["authorization"]
      if (token === undefined || token.trim() === "") {
        return Effect.succeed(message(401, "the Authorization header is missing"))
      }
      if (apiKey !== undefined && token !== apiKey) return Effect.succeed(message(401, "the API token is not valid"))
      return app
    })
  )
