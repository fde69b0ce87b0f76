/**
 * `--debug` (or `DIXA_DEBUG=1`): each client event as compact lines for stderr. `>` a request as sent, `<` its
 * answer with the time it took, `!` an attempt without answer, `…` a wait for a rate-limit slot, `↻` a retry.
 * Credentials are never shown: the client masks its key, and any header that may carry one is masked here again.
 *
 * @since 0.2.0
 */
import type * as ClientEvent from "@org/dixa-core/ClientEvent"
import * as Retry from "@org/dixa-core/Retry"
import * as Duration from "effect/Duration"

/** How many times a request may be sent in all, by the client's (default) retry policy. */
export const maxAttempts = Retry.defaultPolicy.maxRetries + 1

/** How much of a body is shown. */
export const bodyLimit = 2048

/** Headers whose values are secrets, whatever the client already did with them. */
const secretHeaders = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key)$/i

/** Answer headers worth a line: the type, size, rate-limit state, retry hints and ids. */
const shownAnswerHeaders = /^(content-type|content-length|retry-after|location)$|ratelimit|request-id/i

const truncated = (text: string, total: number): string =>
  total > bodyLimit ? `${text.slice(0, bodyLimit)}… (${total} bytes in all)` : text

const headerLines = (prefix: string, headers: Readonly<Record<string, string>>, shown: (name: string) => boolean) =>
  Object.entries(headers)
    .filter(([name]) => shown(name))
    .map(([name, value]) => `${prefix}  ${name}: ${secretHeaders.test(name) ? "<redacted>" : value}`)

const decoder = new TextDecoder("utf-8", { fatal: false })

const answerBody = (body: Uint8Array): string => {
  if (body.byteLength === 0) return ""
  const head = body.subarray(0, bodyLimit + 1)
  return truncated(decoder.decode(head).replace(/\s*\n\s*/g, " "), body.byteLength)
}

const where = (event: { readonly operation: string; readonly attempt: number }) =>
  `(${event.operation}, attempt ${event.attempt})`

/** The lines for one event. */
export const lines = (event: ClientEvent.ClientEvent): Array<string> => {
  switch (event._tag) {
    case "Sent": {
      const out = [`> ${event.method} ${event.url} ${where(event)}`, ...headerLines(">", event.headers, () => true)]
      if (event.body !== undefined && event.body !== "") out.push(`>  ${truncated(event.body, event.body.length)}`)
      return out
    }
    case "Answered": {
      const out = [`< ${event.status} in ${Math.round(event.millis)} ms ${where(event)}`]
      out.push(...headerLines("<", event.headers, (name) => shownAnswerHeaders.test(name)))
      const body = answerBody(event.body)
      if (body !== "") out.push(`<  ${body}`)
      return out
    }
    case "NoAnswer":
      return [`! no answer after ${Math.round(event.millis)} ms ${where(event)}: ${event.reason}: ${event.message}`]
    case "Throttled":
      return [`… waited ${Math.round(event.millis)} ms for a rate-limit slot ${where(event)}`]
    case "Retrying": {
      const wait = (Duration.toMillis(event.wait) / 1000).toFixed(1)
      return [`↻ retry ${event.operation} in ${wait}s (${event.reason}, attempt ${event.attempt} of ${maxAttempts})`]
    }
  }
}
