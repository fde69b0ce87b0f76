/**
 * What the command says on stderr while it waits: one status line rewritten in place (pages and items so far, an
 * answer being waited for), and whole lines (a retry, a long wait for a rate-limit slot) written above it. Only on
 * a terminal; off one, stderr is left to errors and `--debug`.
 *
 * @since 0.2.0
 */
import type * as ClientEvent from "@org/dixa-core/ClientEvent"
import * as Duration from "effect/Duration"
import * as Debug from "./Debug.js"

const wipe = "\r\u001b[K"

/** The status line as last drawn; empty when none is shown. */
let shown = ""

const write = (text: string) => void process.stderr.write(text)

/** Draws `text` as the status line, over the previous one. */
export const status = (text: string): void => {
  write(`${wipe}${text}`)
  shown = text
}

/** Wipes the status line, if one is shown. */
export const clear = (): void => {
  if (shown !== "") write(wipe)
  shown = ""
}

/** Writes a whole line on stderr, above the status line (which is drawn again under it). */
export const line = (text: string): void => {
  const again = shown
  if (again !== "") write(wipe)
  write(`${text}\n`)
  if (again !== "") write(again)
}

/** Seconds with one decimal: `2.0s`. */
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)}s`

const maxAttempts = Debug.maxAttempts

/** `retrying agents.list in 2.0s (429 RateLimited, attempt 2 of 5)`. */
export const retryLine = (event: ClientEvent.Retrying): string =>
  `retrying ${event.operation} in ${
    seconds(Duration.toMillis(event.wait))
  } (${event.reason}, attempt ${event.attempt} ` +
  `of ${maxAttempts})`

/** How the command reports what its client does. */
export interface Settings {
  /** `--debug`: every event, as lines on stderr. */
  readonly debug: boolean
  /** stderr is a terminal: retries and long slot waits are said there. */
  readonly terminal: boolean
  /** A status line may be drawn (a terminal, and stdout does not print to it line by line). */
  readonly statusLine: boolean
}

/** A slot wait shorter than this is not worth a line. */
const noticeableWait = 1000
/** An answer awaited longer than this gets a ticking status line. */
const noticeableAnswer = 2000

/** A status line `waiting for agents.list (attempt 1): 5s` while an answer takes long, over a base text. */
const waitTicker = () => {
  let base = ""
  let timer: ReturnType<typeof setInterval> | undefined
  const stop = () => {
    if (timer === undefined) return
    clearInterval(timer)
    timer = undefined
    // Back to the base text, if a wait was drawn over it.
    if (shown === base) return
    if (base === "") clear()
    else status(base)
  }
  return {
    base: (text: string) => {
      base = text
      if (timer === undefined) status(text)
    },
    start: (event: ClientEvent.Sent) => {
      stop()
      const started = Date.now()
      timer = setInterval(() => {
        const waited = Date.now() - started
        if (waited < noticeableAnswer) return
        const what = `waiting for ${event.operation} (attempt ${event.attempt}): ${Math.floor(waited / 1000)}s`
        const text = base === "" ? what : `${base}, ${what}`
        if (text !== shown) status(text)
      }, 250)
      timer.unref()
    },
    stop
  }
}

let ticker: ReturnType<typeof waitTicker> | undefined

/** Sets the text the status line shows between waits (e.g. `pages 2, items 40`); drawn at once when allowed. */
export const base = (text: string): void => {
  if (ticker !== undefined) ticker.base(text)
  else status(text)
}

/** Ends the status line for good: stops the ticker and wipes the line. */
export const done = (): void => {
  ticker?.stop()
  ticker = undefined
  clear()
}

/** The observer to give the client: debug lines, retry lines and the wait ticker, as the settings allow. */
export const observer = (settings: Settings): ClientEvent.Observer | undefined => {
  if (!settings.debug && !settings.terminal) return undefined
  if (settings.statusLine) ticker = waitTicker()
  let slotSaid = false
  return (event) => {
    try {
      if (event._tag === "Sent") ticker?.start(event)
      else if (event._tag === "Answered" || event._tag === "NoAnswer") ticker?.stop()
      if (settings.debug) {
        for (const text of Debug.lines(event)) line(text)
        return
      }
      if (event._tag === "Retrying") line(retryLine(event))
      else if (event._tag === "Throttled" && event.millis >= noticeableWait && !slotSaid) {
        slotSaid = true
        line(`waited ${seconds(event.millis)} for a rate-limit slot (${event.operation}); Dixa allows 10 requests/s`)
      }
    } catch {
      // An observer must not throw; a failed write to stderr is not worth failing the command for.
    }
  }
}
