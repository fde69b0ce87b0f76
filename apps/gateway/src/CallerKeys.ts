/**
 * Who may call the gateway: keys issued by us (not Dixa's token), each with a caller name and scopes.
 * `read` allows GET only; `write` allows every method.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import { createHash, timingSafeEqual } from "node:crypto"

export const Scope = Schema.Literal("read", "write")
export type Scope = typeof Scope.Type

/** One entry of `GATEWAY_KEYS_FILE`. */
export const CallerKey = Schema.Struct({
  name: Schema.String.pipe(Schema.minLength(1)),
  key: Schema.String.pipe(Schema.minLength(16, { message: () => "a caller key needs at least 16 characters" })),
  scopes: Schema.Array(Scope)
})

export const CallerKeysFile = Schema.Array(CallerKey).pipe(
  Schema.filter((entries) => {
    const keys = new Set(entries.map((e) => e.key))
    return keys.size === entries.length || "two callers share a key"
  })
)

/** An authenticated caller. */
export interface Caller {
  readonly name: string
  readonly scopes: ReadonlySet<Scope>
}

export class CallerKeysError extends Data.TaggedError("CallerKeysError")<{ readonly message: string }> {}

/** The scope a method needs. */
export const scopeFor = (method: string): Scope => (method === "GET" || method === "HEAD" ? "read" : "write")

const digest = (key: string): Buffer => createHash("sha256").update(key).digest()

/** Keys are looked up by their SHA-256, then compared in constant time, so no key is kept in clear in the index. */
export const make = (entries: typeof CallerKeysFile.Type) => {
  const byDigest = new Map<string, { readonly digest: Buffer; readonly caller: Caller }>()
  for (const entry of entries) {
    const d = digest(entry.key)
    byDigest.set(d.toString("hex"), { digest: d, caller: { name: entry.name, scopes: new Set(entry.scopes) } })
  }
  return {
    size: byDigest.size,
    /** The caller behind an `Authorization` header value, if it is one of ours. */
    authenticate: (header: string | undefined): Option.Option<Caller> => {
      if (header === undefined || header === "") return Option.none()
      const key = header.replace(/^Bearer\s+/i, "").trim()
      const d = digest(key)
      const found = byDigest.get(d.toString("hex"))
      return found !== undefined && timingSafeEqual(found.digest, d) ? Option.some(found.caller) : Option.none()
    }
  }
}

export type CallerKeys = ReturnType<typeof make>

/**
 * Where a JSON text stops parsing, as a line and column, without quoting it: the file holds keys, and the parser's
 * own message quotes the text around the mistake.
 */
const whereInvalid = (error: Error, text: string): string => {
  const at = /position (\d+)/.exec(error.message)
  if (at === null) return text.trim() === "" ? "the file is empty" : "a syntax error; the parser's words would quote it"
  const before = text.slice(0, Number(at[1])).split("\n")
  return `line ${before.length}, column ${before[before.length - 1]!.length + 1}`
}

/** A schema message without the value it was given (`Expected string, actual "..."` quotes what could be a key). */
const withoutValue = (message: string): string => message.replace(/,?\s*actual\s[\s\S]*$/, "").trim()

/** Reads and validates the keys file; any problem is one line naming the file; no key is ever quoted. */
export const load = (path: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const text = yield* fs.readFileString(path).pipe(
      Effect.mapError((e) => new CallerKeysError({ message: `cannot read GATEWAY_KEYS_FILE ${path}: ${e.message}` }))
    )
    const json = yield* Effect.try({
      try: () => JSON.parse(text) as unknown,
      catch: (e) =>
        new CallerKeysError({ message: `GATEWAY_KEYS_FILE ${path} is not JSON (${whereInvalid(e as Error, text)})` })
    })
    const entries = yield* Schema.decodeUnknown(CallerKeysFile, { errors: "all" })(json).pipe(
      Effect.mapError((e) =>
        new CallerKeysError({
          message: `GATEWAY_KEYS_FILE ${path}: ${
            ParseResult.ArrayFormatter.formatErrorSync(e).map((i) =>
              `${i.path.join(".") || "(root)"} ${withoutValue(i.message)}`
            ).join("; ")
          }`
        })
      )
    )
    if (entries.length === 0) return yield* new CallerKeysError({ message: `GATEWAY_KEYS_FILE ${path} has no keys` })
    return make(entries)
  })
