/**
 * Builds a valid input for any endpoint from the official spec: parameter values from each parameter's
 * schema (or its example), the body from the spec's request example. The raw values go through
 * `Wire.decodeRequest`, so the result is exactly what a caller passes to the client, and a spec example
 * that our schemas reject shows up as an error here.
 */
import * as Effect from "effect/Effect"
import type * as Endpoint from "../../src/Endpoint.js"
import * as Wire from "../../src/Wire.js"
import * as Spec from "./spec.js"

/** Why no input could be built. */
export type Unavailable =
  | { readonly _tag: "NotInSpec" }
  | { readonly _tag: "NoBodyExample" }
  | { readonly _tag: "Rejected"; readonly message: string }

export const sampleUuid = "434ce9f5-14c8-4be1-a0a8-f755010deb9b"
export const sampleDateTime = "2021-12-01T12:46:36.581Z"

/** A string value for a parameter schema, as it would appear in a URL. */
const sampleValue = (doc: Spec.Doc, schemaRef: unknown): ReadonlyArray<string> => {
  const schema = Spec.deref(doc, schemaRef)
  if (schema["example"] !== undefined) return [String(schema["example"])]
  if (Array.isArray(schema["enum"]) && schema["enum"].length > 0) return [String(schema["enum"][0])]
  switch (Spec.family(doc, schema)) {
    case "integer":
    case "number":
      return [String(schema["default"] ?? schema["minimum"] ?? 12345)]
    case "boolean":
      return [String(schema["default"] ?? true)]
    case "array":
      return sampleValue(doc, schema["items"])
    default:
      switch (schema["format"]) {
        case "uuid":
          return [sampleUuid]
        case "date-time":
          return [sampleDateTime]
        case "date":
          return [sampleDateTime.slice(0, 10)]
        default:
          return ["example"]
      }
  }
}

/**
 * A body to use instead of the spec's example: JSON as it goes on the wire (decoded like the example would be),
 * or the caller's own value for a body that is not JSON (a multipart upload), passed to the client as is.
 */
export type BodyOverride =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Input"; readonly value: unknown }

/** An input for the client, and the same request as raw HTTP parts built straight from the spec. */
export interface Sample {
  readonly input: Record<string, unknown>
  readonly raw: {
    readonly path: string
    readonly query: ReadonlyArray<readonly [string, string]>
    readonly body: string | undefined
  }
}

/** The spec's example request body for an operation, if it has one. */
export const bodyExample = (doc: Spec.Doc, op: Spec.Doc): { readonly value: unknown } | undefined => {
  const media = op["requestBody"]?.["content"]?.["application/json"] as Spec.Doc | undefined
  if (media === undefined) return undefined
  if (media["example"] !== undefined) return { value: media["example"] }
  const examples = Object.values<Spec.Doc>(media["examples"] ?? {})
  if (examples.length > 0 && examples[0]!["value"] !== undefined) return { value: examples[0]!["value"] }
  const schema = Spec.deref(doc, media["schema"])
  if (schema["example"] !== undefined) return { value: schema["example"] }
  return undefined
}

/** Whether the spec gives an example request body of any media type (JSON, multipart...). */
export const hasAnyBodyExample = (doc: Spec.Doc, op: Spec.Doc): boolean =>
  Object.values<Spec.Doc>(op["requestBody"]?.["content"] ?? {}).some((media) =>
    media["example"] !== undefined || Object.keys(media["examples"] ?? {}).length > 0 ||
    Spec.deref(doc, media["schema"])["example"] !== undefined
  )

/** The spec's operation for an endpoint (same method and path template). */
export const specOperation = (doc: Spec.Doc, endpoint: Endpoint.Any): Spec.OperationRef | undefined =>
  Spec.operations(doc).find((o) => Spec.routeKey(o.method, o.path) === Spec.routeKey(endpoint.method, endpoint.path))

/**
 * A valid input for the endpoint: every path parameter, every query parameter except the opaque
 * `pageKey`, and the example body (or `body` when given). The raw request has no body for an `Input` body.
 */
export const sampleInput = (
  doc: Spec.Doc,
  endpoint: Endpoint.Any,
  body?: BodyOverride
): Effect.Effect<Sample, Unavailable> =>
  Effect.gen(function*() {
    const found = specOperation(doc, endpoint)
    if (found === undefined) return yield* Effect.fail<Unavailable>({ _tag: "NotInSpec" })
    const pathParams: Record<string, string> = {}
    const searchParams = new URLSearchParams()
    for (const ref of found.op["parameters"] ?? []) {
      const param = Spec.deref(doc, ref)
      const name = String(param["name"])
      const values = param["example"] !== undefined ? [String(param["example"])] : sampleValue(doc, param["schema"])
      if (param["in"] === "path") pathParams[name] = values[0]!
      else if (param["in"] === "query" && name !== "pageKey") { for (const v of values) searchParams.append(name, v) }
    }
    let bodyText: string | undefined
    if (endpoint.body !== undefined && body !== undefined) {
      if (body._tag === "Json") bodyText = JSON.stringify(body.value)
    } else if (endpoint.body !== undefined) {
      const example = bodyExample(doc, found.op)
      if (example === undefined && endpoint.bodyRequired) {
        return yield* Effect.fail<Unavailable>({ _tag: "NoBodyExample" })
      }
      if (example !== undefined) bodyText = JSON.stringify(example.value)
    }
    // A caller's own body is not decoded: only the parameters are.
    const given = body?._tag === "Input" ? body : undefined
    const decodeAs: Endpoint.Any = given === undefined
      ? endpoint
      : { ...endpoint, body: undefined, bodyRequired: false }
    const input = yield* Wire.decodeRequest(decodeAs, { pathParams, searchParams, bodyText }).pipe(
      Effect.mapError((e): Unavailable => ({ _tag: "Rejected", message: e.message }))
    )
    return {
      input: given === undefined ? input : { ...input, body: given.value },
      raw: { path: fillPath(found.path, pathParams), query: [...searchParams.entries()], body: bodyText }
    }
  })

const fillPath = (template: string, params: Readonly<Record<string, string>>): string =>
  template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""))
