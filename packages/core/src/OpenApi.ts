/**
 * An OpenAPI 3.0.3 document derived from the API definition. It says what this SDK believes the Dixa API
 * to be, and is compared with Dixa's own document by the contract test.
 *
 * @since 0.1.0
 */
import * as JSONSchema from "effect/JSONSchema"
import type * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import * as Api from "./Api.js"
import { defaultBaseUrl } from "./DixaClient.js"
import * as Endpoint from "./Endpoint.js"
import * as Group from "./Group.js"
import { ErrorBody } from "./Model.js"

/** A JSON Schema object in the OpenAPI 3.0 dialect. */
export type JsonSchema = { readonly [key: string]: unknown }

/** A path or query parameter. */
export interface Parameter {
  readonly name: string
  readonly in: "path" | "query"
  readonly required: boolean
  readonly schema: JsonSchema
}

/** A response: a description and, when there is a body, its JSON schema. */
export interface ResponseObject {
  readonly description: string
  readonly content?: { readonly "application/json": { readonly schema: JsonSchema } }
}

/** One operation of the document. */
export interface Operation {
  readonly operationId: string
  readonly summary: string
  readonly tags: ReadonlyArray<string>
  readonly deprecated?: true
  readonly parameters: ReadonlyArray<Parameter>
  readonly requestBody?: {
    readonly required: boolean
    readonly content: { readonly [mediaType: string]: { readonly schema: JsonSchema } }
  }
  readonly responses: { readonly [status: string]: ResponseObject }
  readonly security: ReadonlyArray<{ readonly [scheme: string]: ReadonlyArray<string> }>
}

/** The lower-case HTTP methods used as keys of a path item. */
export type PathMethod = "get" | "post" | "put" | "patch" | "delete"

/** An OpenAPI 3.0.3 document. */
export interface OpenAPISpec {
  readonly openapi: "3.0.3"
  readonly info: { readonly title: string; readonly version: string; readonly description: string }
  readonly servers: ReadonlyArray<{ readonly url: string }>
  readonly tags: ReadonlyArray<{ readonly name: string; readonly description: string }>
  readonly paths: { readonly [path: string]: { readonly [M in PathMethod]?: Operation } }
  readonly components: {
    readonly schemas: { readonly [name: string]: JsonSchema }
    readonly securitySchemes: {
      readonly apiKey: { readonly type: "apiKey"; readonly in: "header"; readonly name: "Authorization" }
    }
  }
}

/** The name of the security scheme every operation requires. */
export const securitySchemeName = "apiKey"

const componentsPath = "#/components/schemas/"

const statusDescriptions: Readonly<Record<number, string>> = {
  200: "Success",
  201: "Created",
  202: "Accepted",
  204: "Success, without a body",
  400: "The request is invalid",
  401: "The API token is missing or wrong",
  404: "Something the request names does not exist",
  409: "The request conflicts with the current state",
  429: "Too many requests",
  500: "Dixa failed to process the request"
}

const describeStatus = (status: number): string => statusDescriptions[status] ?? `HTTP ${status}`

// JSON Schema draft 7 keywords that OpenAPI 3.0 has no use for.
const dropped = new Set(["$id", "$schema", "$comment", "propertyNames", "patternProperties", "contentMediaType"])

const isNullSchema = (schema: unknown): boolean =>
  typeof schema === "object" && schema !== null && (schema as JsonSchema)["type"] === "null" &&
  Object.keys(schema).every((k) => k === "type" || k === "title" || k === "description")

const hasType = (schema: Record<string, unknown>): boolean =>
  "type" in schema || "$ref" in schema || "anyOf" in schema || "oneOf" in schema || "enum" in schema

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * Rewrites a draft-7 JSON Schema (what `effect/JSONSchema` produces) into the OpenAPI 3.0 dialect:
 * `const` becomes a one-value `enum`, a `null` member of a union becomes `nullable`, numeric
 * `exclusiveMinimum`/`exclusiveMaximum` become the boolean form, `examples` becomes `example`, and
 * tuples become arrays of the union of their members.
 */
export const toOpenApi30 = (schema: unknown): unknown => {
  if (!isRecord(schema)) return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (dropped.has(key)) continue
    switch (key) {
      // Keywords whose value is a schema, a list of schemas or a map of schemas.
      case "additionalProperties":
      case "not":
        out[key] = toOpenApi30(value)
        break
      case "anyOf":
      case "oneOf":
      case "allOf":
        out[key] = Array.isArray(value) ? value.map(toOpenApi30) : value
        break
      case "properties":
        out[key] = isRecord(value)
          ? Object.fromEntries(Object.entries(value).map(([name, property]) => [name, toOpenApi30(property)]))
          : value
        break
      case "items":
        if (Array.isArray(value)) {
          const rest = schema["additionalItems"]
          const members = [...value, ...(isRecord(rest) ? [rest] : [])].map(toOpenApi30)
          out["items"] = members.length === 1 ? members[0] : members.length === 0 ? {} : { anyOf: members }
        } else out[key] = toOpenApi30(value)
        break
      case "additionalItems":
        break
      // Keywords that differ between draft 7 and OpenAPI 3.0.
      case "const":
        out["enum"] = [value]
        break
      case "examples":
        if (Array.isArray(value) && value.length > 0) out["example"] = value[0]
        break
      case "exclusiveMinimum":
        if (typeof value === "number") {
          out["minimum"] = value
          out["exclusiveMinimum"] = true
        } else out[key] = value
        break
      case "exclusiveMaximum":
        if (typeof value === "number") {
          out["maximum"] = value
          out["exclusiveMaximum"] = true
        } else out[key] = value
        break
      case "type":
        if (Array.isArray(value)) {
          const types = value.filter((t) => t !== "null")
          if (types.length < value.length) out["nullable"] = true
          if (types.length === 1) out["type"] = types[0]
          else out["anyOf"] = types.map((type) => ({ type }))
        } else out[key] = value
        break
      // Everything else (enum, default, required, formats, bounds...) is data: copied as is.
      default:
        out[key] = value
    }
  }
  if (Array.isArray(out["required"]) && out["required"].length === 0) delete out["required"]
  for (const union of ["anyOf", "oneOf"] as const) {
    const members = out[union]
    if (!Array.isArray(members) || !members.some(isNullSchema)) continue
    const rest = members.filter((m) => !isNullSchema(m))
    delete out[union]
    if (rest.length === 1) {
      const only = rest[0] as Record<string, unknown>
      if ("$ref" in only) out["allOf"] = [only]
      else Object.assign(out, only)
    } else if (rest.length > 1) out[union] = rest
    out["nullable"] = true
  }
  // OpenAPI 3.0 ignores the siblings of a `$ref`: keep them by wrapping the reference.
  if ("$ref" in out && Object.keys(out).some((k) => k !== "$ref")) {
    const { $ref, ...rest } = out
    return { allOf: [{ $ref }], ...rest }
  }
  return out
}

/** Collects named schemas while building a document; every `$ref` points into `components.schemas`. */
class Components {
  readonly definitions: Record<string, JSONSchema.JsonSchema7> = {}

  schema(ast: AST.AST, topLevelReference: "keep" | "skip" = "keep"): JsonSchema {
    const json = JSONSchema.fromAST(ast, {
      definitions: this.definitions,
      definitionPath: componentsPath,
      target: "jsonSchema7",
      topLevelReferenceStrategy: topLevelReference,
      additionalPropertiesStrategy: "allow"
    })
    return toOpenApi30(json) as JsonSchema
  }

  /**
   * A parameter as a caller sees it. Parameters travel as strings, so a transformation's encoded side
   * says nothing useful: take its `jsonSchema` annotation when that is a complete schema, else its
   * decoded side.
   */
  parameter(ast: AST.AST): JsonSchema {
    const annotation = AST.getJSONSchemaAnnotation(ast)
    if (annotation._tag === "Some" && isRecord(annotation.value) && hasType(annotation.value)) {
      return toOpenApi30(annotation.value) as JsonSchema
    }
    if (AST.isTransformation(ast)) {
      const decoded = this.schema(ast.to, "skip")
      return annotation._tag === "Some" && isRecord(annotation.value)
        ? toOpenApi30({ ...decoded, ...annotation.value }) as JsonSchema
        : decoded
    }
    return this.schema(ast, "skip")
  }

  done(): Record<string, JsonSchema> {
    const out: Record<string, JsonSchema> = {}
    for (const name of Object.keys(this.definitions).sort()) {
      out[name] = toOpenApi30(this.definitions[name]) as JsonSchema
    }
    return out
  }
}

/** The property signatures of a struct's type literal (a struct may carry a transformation on top). */
const propertySignatures = (struct: Schema.Struct<Schema.Struct.Fields>): ReadonlyArray<AST.PropertySignature> => {
  let ast: AST.AST = struct.ast
  while (AST.isTransformation(ast)) ast = ast.from
  return AST.isTypeLiteral(ast) ? ast.propertySignatures : []
}

/** A parameter's type without the `undefined` that `Schema.optional` adds. */
const withoutUndefined = (ast: AST.AST): AST.AST => {
  if (!AST.isUnion(ast)) return ast
  const members = ast.types.filter((t) => !AST.isUndefinedKeyword(t))
  return members.length === ast.types.length ? ast : AST.Union.make(members)
}

const parameters = (components: Components, endpoint: Endpoint.Any): Array<Parameter> => {
  const out: Array<Parameter> = []
  const pathFields = new Map(propertySignatures(endpoint.pathParams).map((p) => [String(p.name), p]))
  for (const name of Endpoint.pathParamNames(endpoint)) {
    const field = pathFields.get(name)
    out.push({
      name,
      in: "path",
      required: true,
      schema: field === undefined ? { type: "string" } : components.parameter(withoutUndefined(field.type))
    })
  }
  for (const field of propertySignatures(endpoint.query)) {
    out.push({
      name: String(field.name),
      in: "query",
      required: !field.isOptional,
      schema: components.parameter(withoutUndefined(field.type))
    })
  }
  return out
}

const bodyMediaType = (endpoint: Endpoint.Any): string =>
  endpoint.bodyEncoding === "multipart" ? "multipart/form-data" : "application/json"

const jsonContent = (schema: JsonSchema) => ({ "application/json": { schema } }) as const

const operation = (components: Components, endpoint: Endpoint.Any): Operation => {
  const responses: Record<string, ResponseObject> = {}
  const bodySchema = Endpoint.responseBodySchema(endpoint)
  responses[String(endpoint.status)] = bodySchema === undefined
    ? { description: describeStatus(endpoint.status) }
    : { description: describeStatus(endpoint.status), content: jsonContent(components.schema(bodySchema.ast)) }
  for (const status of endpoint.errors) {
    responses[String(status)] = {
      description: describeStatus(status),
      content: jsonContent(components.schema(ErrorBody.ast))
    }
  }
  const body = endpoint.body as Schema.Schema.Any | undefined
  return {
    operationId: endpoint.id,
    summary: endpoint.summary,
    tags: [endpoint.group],
    ...(endpoint.deprecated ? { deprecated: true as const } : {}),
    parameters: parameters(components, endpoint),
    ...(body === undefined ? {} : {
      requestBody: {
        required: endpoint.bodyRequired === true,
        content: { [bodyMediaType(endpoint)]: { schema: components.schema(body.ast) } }
      }
    }),
    responses,
    security: [{ [securitySchemeName]: [] }]
  }
}

/** The lower-case method key of an endpoint. */
export const pathMethod = (endpoint: Endpoint.Any): PathMethod => endpoint.method.toLowerCase() as PathMethod

/**
 * Derives the OpenAPI document of the given groups (default: every group of {@link Api.groups}).
 * Parameters are documented as a caller sees them (an integer, a boolean, a UUID), request and
 * response bodies as they travel, and every schema with an identifier lands in `components.schemas`.
 */
export const make = (groups: ReadonlyArray<Group.Any> = Api.groups): OpenAPISpec => {
  const components = new Components()
  const paths: Record<string, Partial<Record<PathMethod, Operation>>> = {}
  for (const group of groups) {
    for (const endpoint of Group.endpoints(group)) {
      const item = paths[endpoint.path] ??= {}
      item[pathMethod(endpoint)] = operation(components, endpoint)
    }
  }
  return {
    openapi: "3.0.3",
    info: {
      title: "Dixa API (beta), as described by @org/dixa-core",
      version: "beta",
      description: "Derived from the SDK's endpoint definitions; the SDK's own view of the Dixa API."
    },
    servers: [{ url: defaultBaseUrl }],
    tags: groups.map((group) => ({ name: group.name, description: group.summary })),
    paths,
    components: {
      schemas: components.done(),
      securitySchemes: { [securitySchemeName]: { type: "apiKey", in: "header", name: "Authorization" } } as {
        readonly apiKey: { readonly type: "apiKey"; readonly in: "header"; readonly name: "Authorization" }
      }
    }
  }
}
