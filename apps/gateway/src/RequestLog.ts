/**
 * One log line and one `requests` count for every API request, with what its handlers noted on the way (operation,
 * caller, cache outcome, upstream error). A caller that leaves is logged as such; a defect becomes a JSON 500 and an
 * error log, never a stack trace on the wire.
 */
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"
import * as LogLevel from "effect/LogLevel"
import { message } from "./Accept.js"
import type * as Metrics from "./Metrics.js"

/** The request's log fields, filled in by the handlers, and when it arrived (epoch milliseconds). */
export interface Entry {
  readonly fields: Record<string, unknown>
  readonly arrived: number
}

export class RequestLog extends Context.Tag("@org/dixa-gateway/RequestLog")<RequestLog, Entry>() {}

const pathOf = (url: string): string => {
  const query = url.indexOf("?")
  return query === -1 ? url : url.slice(0, query)
}

/** Logs and counts each request the app answers, and turns a defect into a JSON 500. No generator: it runs for every request. */
export const middleware = (metrics: Metrics.GatewayMetrics) =>
  HttpMiddleware.make((app) =>
    Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) =>
        Effect.clockWith((clock) =>
          Effect.flatMap(FiberRef.get(FiberRef.currentMinimumLogLevel), (minimum) => {
            const entry: Entry = {
              fields: { method: request.method, path: pathOf(request.url) },
              arrived: clock.unsafeCurrentTimeMillis()
            }
            // The log lines are built only when they would be written.
            const logging = LogLevel.greaterThanEqual(LogLevel.Info, minimum)
            return app.pipe(
              Effect.provideService(RequestLog, entry),
              Effect.catchAllCause((cause) =>
                Cause.isInterruptedOnly(cause)
                  ? Effect.succeed(message(499, "the caller closed the connection"))
                  : Effect.logError("request failed", cause).pipe(
                    Effect.as(message(500, "the gateway failed to handle the request"))
                  )
              ),
              // The platform interrupts a request whose caller has closed the connection: nothing more is sent for it.
              Effect.onInterrupt(() => logging ? logged(entry, "caller left") : Effect.void),
              Effect.tap((response) => {
                metrics.requests.inc({
                  operation: String(entry.fields["operation"] ?? "unknown"),
                  status: String(response.status),
                  caller: String(entry.fields["caller"] ?? "unauthenticated")
                })
                return logging ? logged(entry, "request", { status: response.status }) : Effect.void
              })
            )
          })
        )
    )
  )

const logged = (entry: Entry, text: string, extra: Record<string, unknown> = {}) =>
  Effect.flatMap(
    Clock.currentTimeMillis,
    (now) => Effect.logInfo(text).pipe(Effect.annotateLogs({ ...entry.fields, ...extra, ms: now - entry.arrived }))
  )
