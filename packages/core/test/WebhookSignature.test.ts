import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as TestClock from "effect/TestClock"
import { createHmac } from "node:crypto"
import * as WebhookSignature from "../src/WebhookSignature.js"

const secret = "4a6f3c2e1d0b9a8877665544332211ffeeddccbbaa99887766554433221100aa"
const body = "{\"event_fqn\":\"ConversationCreated\",\"data\":{\"conversation\":{\"csid\":1001}}}"

/** The signature computed independently, with node:crypto, from the documented recipe. */
const reference = (key: string, t: number, payload: string) =>
  createHmac("sha256", Buffer.from(key, "hex")).update(`${t}.${payload}`).digest("hex")

describe("WebhookSignature", () => {
  it.effect("sign follows the documented recipe: t=<ms>,v1=hex HMAC-SHA256 of '<t>.<body>' with the hex key", () =>
    Effect.gen(function*() {
      const header = yield* WebhookSignature.sign(secret, body, 1_700_000_000_123)
      expect(header).toBe(`t=1700000000123,v1=${reference(secret, 1_700_000_000_123, body)}`)
      // Bytes and text sign the same.
      const fromBytes = yield* WebhookSignature.sign(secret, new TextEncoder().encode(body), 1_700_000_000_123)
      expect(fromBytes).toBe(header)
    }))

  it.effect("sign uses the Clock's time when no timestamp is given", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_234_567)
      const header = yield* WebhookSignature.sign(Redacted.make(secret), body)
      expect(header.startsWith("t=1234567,v1=")).toBe(true)
    }))

  it.effect("verify accepts a delivery signed with the secret within the tolerance", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_060_000)
      const t = 1_700_000_000_000
      const header = `t=${t},v1=${reference(secret, t, body)}`
      const parsed = yield* WebhookSignature.verify({ secretKey: Redacted.make(secret), header, body })
      expect(parsed.timestamp).toBe(t)
      // Upper-case hex and extra spaces are fine; a rotated secret's second v1 is tried too.
      const rotated = `t=${t}, v1=${reference("00ff", t, body)}, v1=${reference(secret, t, body).toUpperCase()}`
      yield* WebhookSignature.verify({ secretKey: secret, header: rotated, body })
    }))

  it.effect("verify refuses a changed body, a wrong secret, an old timestamp and broken headers, saying why", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const t = 1_700_000_000_000
      const header = `t=${t},v1=${reference(secret, t, body)}`
      const reason = (options: WebhookSignature.VerifyOptions) =>
        Effect.map(Effect.flip(WebhookSignature.verify(options)), (e) => e.reason)
      expect(yield* reason({ secretKey: secret, header, body: body.replace("1001", "1002") })).toBe("Mismatch")
      expect(yield* reason({ secretKey: secret.replace("4a", "4b"), header, body })).toBe("Mismatch")
      expect(yield* reason({ secretKey: secret, header: undefined, body })).toBe("MissingSignature")
      expect(yield* reason({ secretKey: secret, header: "sha256=abc", body })).toBe("MalformedSignature")
      expect(yield* reason({ secretKey: secret, header: `t=${t}`, body })).toBe("MalformedSignature")
      expect(yield* reason({ secretKey: "not hex", header, body })).toBe("InvalidSecret")

      yield* TestClock.adjust("6 minutes")
      expect(yield* reason({ secretKey: secret, header, body })).toBe("Expired")
      yield* WebhookSignature.verify({ secretKey: secret, header, body, tolerance: "10 minutes" })
      yield* WebhookSignature.verify({ secretKey: secret, header, body, tolerance: Infinity })
    }))

  it.effect("errors never show the secret", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(
        WebhookSignature.verify({ secretKey: secret, header: "t=1,v1=00", body, tolerance: Infinity })
      )
      expect(error.message).not.toContain(secret)
      expect(JSON.stringify(error)).not.toContain(secret)
    }))

  it.effect("verifyRequest checks a server request's raw body and reads the subscription id", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(1_700_000_000_000)
      const header = yield* WebhookSignature.sign(secret, body)
      const request = (payload: string) =>
        HttpServerRequest.fromWeb(
          new Request("http://receiver.example/hook", {
            method: "POST",
            headers: { "X-Dixa-Signature": header, "X-Dixa-Subscription-Id": "sub-1" },
            body: payload
          })
        )
      const delivery = yield* WebhookSignature.verifyRequest(request(body), { secretKey: secret })
      expect(delivery.text).toBe(body)
      expect(delivery.subscriptionId).toEqual(Option.some("sub-1"))
      // Whitespace added by a re-serialisation is enough to break it.
      const changed = yield* Effect.flip(
        WebhookSignature.verifyRequest(request(body.replace(":", ": ")), { secretKey: secret })
      )
      expect(changed._tag === "WebhookSignatureError" && changed.reason).toBe("Mismatch")
    }))

  it("parse reads t and every v1, ignoring unknown schemes", () => {
    expect(WebhookSignature.parse("t=5,v0=zz,v1=ab,v1=CD"))
      .toEqual(Option.some({ timestamp: 5, signatures: ["ab", "cd"] }))
    expect(WebhookSignature.parse("v1=ab")).toEqual(Option.none())
  })
})
