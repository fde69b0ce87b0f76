/**
 * Signing and verifying Dixa webhook deliveries.
 *
 * Each delivery carries `X-DIXA-SIGNATURE: t=<unix ms>,v1=<hex>` where `v1` is the hex HMAC-SHA256 of
 * `<t>.<raw body>`, keyed with the subscription's `secretKey` read as hex. Verify the raw bytes as
 * received, before parsing them: re-serialised JSON does not match. Uses Web Crypto, so it runs on
 * Node 20+, Deno, Bun, browsers and workers alike.
 *
 * @since 0.1.0
 */
import type * as HttpServerError from "@effect/platform/HttpServerError"
import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as Clock from "effect/Clock"
import * as Data from "effect/Data"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"

/** The header carrying the signature (HTTP header names are case-insensitive). */
export const signatureHeader = "X-DIXA-SIGNATURE"

/** The header naming the subscription a delivery belongs to. */
export const subscriptionHeader = "X-DIXA-SUBSCRIPTION-ID"

/** How far a delivery's timestamp may be from now by default: five minutes. */
export const defaultTolerance: Duration.Duration = Duration.minutes(5)

/** Why a delivery was refused. */
export type Reason =
  /** No signature header. */
  | "MissingSignature"
  /** The header is not `t=<ms>,v1=<hex>`. */
  | "MalformedSignature"
  /** The secret key is not hex. */
  | "InvalidSecret"
  /** No `v1` matches the body: wrong secret, or the body was altered. */
  | "Mismatch"
  /** The timestamp is outside the tolerance: a replay, or a clock far off. */
  | "Expired"

/** A delivery that cannot be trusted. The message never contains the secret. */
export class WebhookSignatureError extends Data.TaggedError("WebhookSignatureError")<{
  readonly reason: Reason
  readonly message: string
}> {}

/** A parsed signature header. */
export interface Signature {
  /** Unix time in milliseconds. */
  readonly timestamp: number
  /** Every `v1` value, lower-case hex (a header may carry several while a secret is rotated). */
  readonly signatures: ReadonlyArray<string>
}

/** Reads `t=<ms>,v1=<hex>[,v1=<hex>...]`; unknown schemes are ignored. */
export const parse = (header: string): Option.Option<Signature> => {
  let timestamp: number | undefined
  const signatures: Array<string> = []
  for (const item of header.split(",")) {
    const eq = item.indexOf("=")
    if (eq < 0) continue
    const key = item.slice(0, eq).trim()
    const value = item.slice(eq + 1).trim()
    if (key === "t" && /^\d+$/.test(value)) timestamp = Number(value)
    else if (key === "v1" && /^([0-9a-fA-F]{2})+$/.test(value)) signatures.push(value.toLowerCase())
  }
  return timestamp === undefined || signatures.length === 0 ? Option.none() : Option.some({ timestamp, signatures })
}

const fromHex = (hex: string): Uint8Array | undefined => {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

const toHex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("")

const encoder = new TextEncoder()

/** `<t>.<body>` as bytes: the signed message. */
const signedBytes = (timestamp: number, body: Uint8Array | string): Uint8Array => {
  const prefix = encoder.encode(`${timestamp}.`)
  const rest = typeof body === "string" ? encoder.encode(body) : body
  const out = new Uint8Array(prefix.length + rest.length)
  out.set(prefix, 0)
  out.set(rest, prefix.length)
  return out
}

type Secret = string | Redacted.Redacted<string>

const importKey = (secretKey: Secret) =>
  Effect.gen(function*() {
    const raw = fromHex((Redacted.isRedacted(secretKey) ? Redacted.value(secretKey) : secretKey).trim())
    if (raw === undefined || raw.length === 0) {
      return yield* new WebhookSignatureError({ reason: "InvalidSecret", message: "the secret key is not hex" })
    }
    return yield* Effect.promise(() =>
      globalThis.crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"])
    )
  })

/** The `v1` value for a body signed at `timestamp`. */
export const digest = (
  secretKey: Secret,
  timestamp: number,
  body: Uint8Array | string
): Effect.Effect<string, WebhookSignatureError> =>
  Effect.flatMap(
    importKey(secretKey),
    (key) =>
      Effect.promise(() => globalThis.crypto.subtle.sign("HMAC", key, signedBytes(timestamp, body))).pipe(
        Effect.map(toHex)
      )
  )

/**
 * The signature header for a body: `t=<timestamp>,v1=<hex>`. `timestamp` (unix ms) defaults to the
 * current time of Effect's `Clock`. This is what Dixa (and the sandbox) send.
 */
export const sign = (
  secretKey: Secret,
  body: Uint8Array | string,
  timestamp?: number
): Effect.Effect<string, WebhookSignatureError> =>
  Effect.gen(function*() {
    const t = timestamp ?? (yield* Clock.currentTimeMillis)
    return `t=${t},v1=${yield* digest(secretKey, t, body)}`
  })

/** What {@link verify} needs. */
export interface VerifyOptions {
  /** The subscription's `secretKey`, as hex. */
  readonly secretKey: Secret
  /** The value of the `X-DIXA-SIGNATURE` header, if any. */
  readonly header: string | null | undefined
  /** The body exactly as received. */
  readonly body: Uint8Array | string
  /** How far the timestamp may be from now, either way. Default {@link defaultTolerance}; `Infinity` to skip. */
  readonly tolerance?: Duration.DurationInput | undefined
}

/**
 * Checks that a delivery was signed with the secret and is recent. Succeeds with the parsed
 * signature; fails with a {@link WebhookSignatureError} saying why not. The comparison is constant
 * time (Web Crypto's HMAC verify).
 */
export const verify = (options: VerifyOptions): Effect.Effect<Signature, WebhookSignatureError> =>
  Effect.gen(function*() {
    if (options.header === undefined || options.header === null || options.header.trim() === "") {
      return yield* new WebhookSignatureError({ reason: "MissingSignature", message: "no signature header" })
    }
    const parsed = parse(options.header)
    if (Option.isNone(parsed)) {
      return yield* new WebhookSignatureError({
        reason: "MalformedSignature",
        message: "the signature header is not of the form t=<unix ms>,v1=<hex>"
      })
    }
    const signature = parsed.value
    const tolerance = Duration.decode(options.tolerance ?? defaultTolerance)
    if (Duration.isFinite(tolerance)) {
      const now = yield* Clock.currentTimeMillis
      if (Math.abs(now - signature.timestamp) > Duration.toMillis(tolerance)) {
        return yield* new WebhookSignatureError({
          reason: "Expired",
          message: `the signature's timestamp ${signature.timestamp} is more than ${
            Duration.format(tolerance)
          } from now`
        })
      }
    }
    const key = yield* importKey(options.secretKey)
    const message = signedBytes(signature.timestamp, options.body)
    for (const hex of signature.signatures) {
      const ok = yield* Effect.promise(() => globalThis.crypto.subtle.verify("HMAC", key, fromHex(hex)!, message))
      if (ok) return signature
    }
    return yield* new WebhookSignatureError({
      reason: "Mismatch",
      message: "no signature matches the body: wrong secret, or the body was changed"
    })
  })

/** A delivery that passed {@link verifyRequest}. */
export interface Delivery {
  /** The `X-DIXA-SUBSCRIPTION-ID` header, when present. */
  readonly subscriptionId: Option.Option<string>
  readonly signature: Signature
  /** The body as received (and verified), as text: parse it yourself. */
  readonly text: string
}

const decoder = new TextDecoder()

/**
 * Reads a delivery from an `@effect/platform` server request and verifies it: the raw body against
 * the `X-DIXA-SIGNATURE` header.
 */
export const verifyRequest = (
  request: HttpServerRequest.HttpServerRequest,
  options: { readonly secretKey: Secret; readonly tolerance?: Duration.DurationInput | undefined }
): Effect.Effect<Delivery, WebhookSignatureError | HttpServerError.RequestError> =>
  Effect.gen(function*() {
    const body = new Uint8Array(yield* request.arrayBuffer)
    const signature = yield* verify({
      secretKey: options.secretKey,
      header: request.headers[signatureHeader.toLowerCase()],
      body,
      tolerance: options.tolerance
    })
    return {
      subscriptionId: Option.fromNullable(request.headers[subscriptionHeader.toLowerCase()]),
      signature,
      text: decoder.decode(body)
    }
  })
