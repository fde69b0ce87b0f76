/**
 * Requests made from an operation's own schemas, for the generated-request test: samples of its path, query and
 * body (`effect/Arbitrary`, seeded), ids taken from the sandbox's state so that handlers get past their 404s,
 * near misses (a field dropped, a wrong type, an unknown name, an empty string), and the reads that should
 * succeed after a write was accepted.
 */
import { Api, Endpoint, Wire } from "@org/dixa-core"
import * as Arbitrary from "effect/Arbitrary"
import * as Either from "effect/Either"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"

type AnySchema = Schema.Schema<any, any, never>

/** A seeded source of numbers in [0, 1), for the choices the test makes. */
export type Random = () => number

export const random = (seed: number): Random => {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pickFrom = <A>(rnd: Random, items: ReadonlyArray<A>): A | undefined =>
  items.length === 0 ? undefined : items[Math.floor(rnd() * items.length)]

/** An operation's input in its wire form: path parameters, query parameters, body. */
export interface Parts {
  readonly params: Record<string, string>
  readonly query: Record<string, string | ReadonlyArray<string>>
  readonly body: unknown
}

/** A request ready to send. */
export interface Request {
  readonly endpoint: Endpoint.Any
  readonly method: string
  readonly url: string
  readonly params: Record<string, string>
  readonly body?: unknown
  /** Send the body as `multipart/form-data`. */
  readonly form?: boolean
}

const encode = (schema: unknown, value: unknown) => Schema.encodeSync(schema as AnySchema)(value)

/** `n` samples of an operation's input, encoded for the wire, the same ones for the same seed. */
export const samplesOf = (endpoint: Endpoint.Any, n: number, seed: number): Array<Parts> => {
  const arbitrary = FastCheck.record({
    path: Arbitrary.make(endpoint.pathParams as unknown as AnySchema),
    query: Arbitrary.make(endpoint.query as unknown as AnySchema),
    body: endpoint.body === undefined ? FastCheck.constant(undefined) : Arbitrary.make(endpoint.body as AnySchema)
  })
  return FastCheck.sample(arbitrary, { seed, numRuns: n }).map((sample) => ({
    params: encode(endpoint.pathParams, sample.path),
    query: encode(endpoint.query, sample.query),
    body: sample.body === undefined ? undefined : encode(endpoint.body, sample.body)
  }))
}

// ---------------------------------------------------------------------------------------------------
// Ids from the sandbox's state

/** What the sandbox holds, as `GET /_sandbox/state` shows it, and the catalogues read from list endpoints. */
export interface Pools {
  readonly state: any
  readonly catalog: Readonly<Record<string, ReadonlyArray<string>>>
}

const ids = (items: ReadonlyArray<any> | undefined, read: (item: any) => unknown = (i) => i.id): Array<string> =>
  (items ?? []).map((i) => String(read(i)))

const conversationOf = (pools: Pools, chosen: Record<string, string>) =>
  (pools.state.conversations as Array<any>).find((c) => String(c.data.id) === chosen["conversationId"])

const articleOf = (pools: Pools, chosen: Record<string, string>) =>
  (pools.state.knowledge?.articles as Array<any> | undefined)?.find((a) => a.id === chosen["articleId"])

const subscriptionOf = (pools: Pools, chosen: Record<string, string>) =>
  (pools.state.webhooks?.subscriptions as Array<any> | undefined)?.find((s) => s.id === chosen["webhookSubscriptionId"])

/** The ids the state has for a parameter name; `chosen` holds the parameters picked before it. */
const candidates = (pools: Pools, name: string, chosen: Record<string, string>): ReadonlyArray<string> => {
  const s = pools.state
  switch (name) {
    case "agentId":
      return ids(s.agents)
    case "userId":
      return ids(s.endUsers)
    case "teamId":
      return ids(s.teams)
    case "conversationId":
    case "csid":
      return ids(s.conversations, (c) => c.data.id)
    case "messageId":
      return ids(conversationOf(pools, chosen)?.messages)
    case "ratingId":
      return ids(conversationOf(pools, chosen)?.extras?.ratings)
    case "tagId":
      return ids(s.tags)
    case "queueId":
      return ids(s.queues)
    case "requestId":
      return ids(s.anonymizationRequests)
    case "customAttributeId":
      return ids(s.customAttributes)
    case "contactEndpointId":
      return ids(s.contactEndpoints, (e) => e.address ?? e.number)
    case "webhookSubscriptionId":
      return ids(s.webhooks?.subscriptions)
    case "event":
      return subscriptionOf(pools, chosen)?.events ?? pools.catalog["event"] ?? []
    case "templateId":
      return ids(s.templates)
    case "scheduleId":
      return ids(s.schedules)
    case "collectionId":
      return ids(s.knowledge?.collections)
    case "categoryId":
    case "parentId":
      return ids(s.knowledge?.categories)
    case "articleId":
      return ids(s.knowledge?.articles)
    case "languageId":
      return ids(articleOf(pools, chosen)?.drafts, (d) => d.language)
    default:
      return pools.catalog[name] ?? []
  }
}

/** Path parameters taken from the state, most of the time; the generated value otherwise. */
const poolParams = (endpoint: Endpoint.Any, parts: Parts, pools: Pools, rnd: Random): Record<string, string> => {
  const chosen: Record<string, string> = {}
  for (const name of Endpoint.pathParamNames(endpoint)) {
    const known = rnd() < 0.85 ? pickFrom(rnd, candidates(pools, name, chosen)) : undefined
    chosen[name] = known ?? parts.params[name]!
  }
  return chosen
}

/** The names some body fields take their values from: a parameter name, or a list of known values. */
const bodyFields: Readonly<Record<string, string>> = {
  requesterId: "userId",
  agentId: "agentId",
  ownedBy: "agentId",
  closedBy: "agentId",
  userId: "agentOrUser",
  queueId: "queueId",
  tagId: "tagId",
  conversationId: "conversationId",
  csid: "conversationId",
  contactEndpointId: "contactEndpointId",
  languageId: "language",
  ratingType: "ratingType",
  linkType: "linkType",
  channel: "channel",
  strategy: "strategy",
  agentIds: "agentId",
  csidFilter: "conversationId",
  events: "event",
  url: "url",
  timezone: "timezone",
  entityId: "entity"
}

const valuesFor = (pools: Pools, field: string, value: unknown, endpoint: Endpoint.Any): ReadonlyArray<string> => {
  if (field === "id") return idsOfGroup(pools, endpoint)
  if (field === "_type" && endpoint.group === "anonymization") return ["Conversation", "Message", "User"]
  if (field === "value" && endpoint.name === "submitRating") return pools.catalog["score"] ?? []
  if (field === "parentId") return candidates(pools, typeof value === "number" ? "conversationId" : "parentId", {})
  const name = bodyFields[field]
  if (name === undefined) return []
  if (name === "agentOrUser") return [...candidates(pools, "agentId", {}), ...candidates(pools, "userId", {})]
  if (name === "entity") return [...candidates(pools, "conversationId", {}), ...candidates(pools, "userId", {})]
  return candidates(pools, name, {}).length > 0 ? candidates(pools, name, {}) : pools.catalog[name] ?? []
}

/** What `id` in a body names: an agent, an end user, a metric or a record, by operation. */
const idsOfGroup = (pools: Pools, endpoint: Endpoint.Any): ReadonlyArray<string> => {
  if (endpoint.group === "agents") return candidates(pools, "agentId", {})
  if (endpoint.group === "end-users") return candidates(pools, "userId", {})
  if (endpoint.id === "analytics.queryMetric") return pools.catalog["metricId"] ?? []
  if (endpoint.id === "analytics.queryRecords") return pools.catalog["recordId"] ?? []
  return []
}

/** A known value in place of a generated one, of the same JSON type. */
const known = (value: unknown, options: ReadonlyArray<string>, rnd: Random): unknown => {
  const option = pickFrom(rnd, options)
  if (option === undefined) return value
  if (typeof value === "number") return Number.isSafeInteger(Number(option)) ? Number(option) : value
  return typeof value === "string" ? option : value
}

/** Replaces fields of a body that name something with what the state has, most of the time. */
const poolBody = (value: unknown, endpoint: Endpoint.Any, pools: Pools, rnd: Random, field = ""): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) =>
      typeof item === "object" && item !== null
        ? poolBody(item, endpoint, pools, rnd)
        : rnd() < 0.7
        ? known(item, valuesFor(pools, field, item, endpoint), rnd)
        : item
    )
  }
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    const entries = Object.entries(value).map(([k, v]) => [k, poolBody(v, endpoint, pools, rnd, k)] as const)
    return Object.fromEntries(endpoint.name === "patchCustomAttributes" ? poolKeys(entries, pools, rnd) : entries)
  }
  return rnd() < 0.7 ? known(value, valuesFor(pools, field, value, endpoint), rnd) : value
}

/** A custom-attribute patch keyed by the ids of real definitions, most of the time. */
const poolKeys = (entries: ReadonlyArray<readonly [string, unknown]>, pools: Pools, rnd: Random) =>
  entries.map(([k, v]) => [rnd() < 0.7 ? pickFrom(rnd, candidates(pools, "customAttributeId", {})) ?? k : k, v])

/** Date-times far from today (the generator roams ±270,000 years) moved to within a year of now. */
const nearNow = (value: unknown, rnd: Random): unknown => {
  if (Array.isArray(value)) return value.map((v) => nearNow(v, rnd))
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, nearNow(v, rnd)]))
  }
  if (typeof value !== "string" || !/^[+-]?\d{4,6}-\d\d-\d\dT/.test(value)) return value
  const year = Number(value.slice(0, value.indexOf("-", 1)))
  if (year >= 2000 && year <= 2040) return value
  return new Date(Date.now() + (rnd() - 0.5) * 365 * 24 * 3600 * 1000).toISOString()
}

/** A generated input with ids from the state and date-times near today. */
export const realistic = (endpoint: Endpoint.Any, parts: Parts, pools: Pools, rnd: Random): Parts => ({
  params: poolParams(endpoint, parts, pools, rnd),
  query: nearNow(parts.query, rnd) as Parts["query"],
  body: parts.body === undefined ? undefined : nearNow(poolBody(parts.body, endpoint, pools, rnd), rnd)
})

// ---------------------------------------------------------------------------------------------------
// Near misses

type Path = ReadonlyArray<string | number>

/** Every place in a JSON value, with the value there. */
const placesOf = (value: unknown, path: Path = []): Array<{ readonly path: Path; readonly value: unknown }> => {
  const here = path.length === 0 ? [] : [{ path, value }]
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => placesOf(v, [...path, i]))]
  if (typeof value === "object" && value !== null && !(value instanceof Uint8Array)) {
    return [...here, ...Object.entries(value).flatMap(([k, v]) => placesOf(v, [...path, k]))]
  }
  return here
}

/** A copy of `value` with the place at `path` replaced, or removed when `next` is `remove`. */
const remove = Symbol("remove")
const setAt = (value: unknown, path: Path, next: unknown): unknown => {
  if (path.length === 0) return next
  const [head, ...rest] = path
  if (Array.isArray(value)) {
    const copy = [...value]
    if (rest.length === 0 && next === remove) copy.splice(head as number, 1)
    else copy[head as number] = setAt(copy[head as number], rest, next)
    return copy
  }
  const copy = { ...(value as Record<string, unknown>) }
  if (rest.length === 0 && next === remove) delete copy[head as string]
  else copy[head as string] = setAt(copy[head as string], rest, next)
  return copy
}

const wrongType = (value: unknown): unknown =>
  typeof value === "string" ? 42 : typeof value === "number" ? "forty-two" : typeof value === "boolean" ? "yes" : true

/** One way of getting an input slightly wrong, or `undefined` when it does not apply. */
type Miss = (parts: Parts, rnd: Random) => Parts | undefined

/** Whether a place is a field beside a `_type`: dropping it leaves a variant that names itself but is incomplete. */
const besideType = (body: unknown, path: Path) => {
  const parent = placesOf(body).find((p) => p.path.length === path.length - 1 && p.path.every((k, i) => k === path[i]))
  const value = path.length === 1 ? body : parent?.value
  return path.at(-1) !== "_type" && typeof value === "object" && value !== null && "_type" in value
}

const dropField: Miss = (parts, rnd) => {
  const fields = placesOf(parts.body).filter((p) => typeof p.path.at(-1) === "string")
  const inVariants = fields.filter((p) => besideType(parts.body, p.path))
  const place = pickFrom(rnd, inVariants.length > 0 && rnd() < 0.5 ? inVariants : fields)
  return place === undefined ? undefined : { ...parts, body: setAt(parts.body, place.path, remove) }
}

const mistype: Miss = (parts, rnd) => {
  const place = pickFrom(rnd, placesOf(parts.body))
  return place === undefined ? undefined : { ...parts, body: setAt(parts.body, place.path, wrongType(place.value)) }
}

const strings = (parts: Parts) => placesOf(parts.body).filter((p) => typeof p.value === "string")

const unknownName: Miss = (parts, rnd) => {
  const named = strings(parts).filter((p) => p.path.at(-1) === "_type")
  const place = pickFrom(rnd, named.length > 0 ? named : strings(parts))
  return place === undefined ? undefined : { ...parts, body: setAt(parts.body, place.path, "NoSuchValue") }
}

const emptyString: Miss = (parts, rnd) => {
  const place = pickFrom(rnd, strings(parts))
  return place === undefined ? undefined : { ...parts, body: setAt(parts.body, place.path, "") }
}

const badParam: Miss = (parts, rnd) => {
  const name = pickFrom(rnd, Object.keys(parts.params))
  const value = pickFrom(rnd, ["", "not-an-id", "42", "00000000-0000-0000-0000-000000000000"])
  return name === undefined ? undefined : { ...parts, params: { ...parts.params, [name]: value! } }
}

const badQuery: Miss = (parts, rnd) => {
  const name = pickFrom(rnd, Object.keys(parts.query))
  const value = pickFrom(rnd, ["", "not-a-number", "-1", "true"])
  return name === undefined ? undefined : { ...parts, query: { ...parts.query, [name]: value! } }
}

const noBody: Miss = (parts) => parts.body === undefined ? undefined : { ...parts, body: undefined }

const misses: ReadonlyArray<Miss> = [dropField, mistype, unknownName, emptyString, badParam, badQuery, noBody]

/** The input slightly wrong in one way, chosen at random among the ways that apply to it. */
export const nearMiss = (parts: Parts, rnd: Random): Parts => {
  const missed = misses.flatMap((miss) => miss(parts, rnd) ?? [])
  return pickFrom(rnd, missed) ?? { ...parts, query: { ...parts.query, unexpected: "1" } }
}

// ---------------------------------------------------------------------------------------------------
// Requests and reads

const queryString = (query: Parts["query"]) => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue
    for (const v of typeof value === "string" ? [value] : value) search.append(key, v)
  }
  const text = search.toString()
  return text === "" ? "" : `?${text}`
}

export const toRequest = (endpoint: Endpoint.Any, parts: Parts): Request => ({
  endpoint,
  method: endpoint.method,
  url: Endpoint.fillPath(endpoint.path, parts.params) + queryString(parts.query),
  params: parts.params,
  ...(parts.body === undefined ? {} : { body: parts.body }),
  ...(endpoint.bodyEncoding === "multipart" ? { form: true } : {})
})

/** The body as sent: JSON, or the parts of a form. */
export const bodyOf = (request: Pick<Request, "body" | "form">): string | FormData | undefined =>
  request.body === undefined
    ? undefined
    : request.form === true && typeof request.body === "object"
    ? Wire.toFormData(request.body)
    : JSON.stringify(request.body)

/** The parameter that names what each group's writes create, and the groups' reads by that id. */
const createdParam: Readonly<Record<string, string>> = {
  agents: "agentId",
  "end-users": "userId",
  teams: "teamId",
  conversations: "conversationId",
  queues: "queueId",
  tags: "tagId",
  anonymization: "requestId",
  webhooks: "webhookSubscriptionId",
  knowledge: "articleId"
}

/** The ids an answer names: `data.id`, or the ids of a bulk answer's successes. */
const idsIn = (answer: any): Array<string> => {
  const data = answer?.data
  if (Array.isArray(data)) {
    return data.flatMap((item: any) =>
      item?._type === "BulkActionSuccess" && item.data?.id ? [String(item.data.id)] : []
    )
  }
  return data?.id === undefined ? [] : [String(data.id)]
}

/** A GET of an operation whose parameters are all known, without query parameters it cannot do without. */
const readable = (endpoint: Endpoint.Any, params: Record<string, string>) =>
  endpoint.method === "GET" &&
  Endpoint.pathParamNames(endpoint).every((name) => params[name] !== undefined) &&
  Either.isRight(Schema.decodeUnknownEither(endpoint.query as unknown as AnySchema)({}))

const readsWith = (group: string, params: Record<string, string>): Array<Request> =>
  Api.endpoints
    .filter((e) => e.group === group && readable(e, params))
    .map((e) => toRequest(e, { params, query: {}, body: undefined }))

/** The reads that must succeed once a write was accepted: its group's reads of what it named or made. */
export const readsAfter = (request: Request, answer: unknown): Array<Request> => {
  const endpoint = request.endpoint
  const reads = readsWith(endpoint.group, request.params)
  const param = createdParam[endpoint.group]
  const made = Endpoint.pathParamNames(endpoint).length === 0 && param !== undefined ? idsIn(answer).slice(0, 3) : []
  for (const id of made) reads.push(...readsWith(endpoint.group, { [param!]: id }).filter((r) => r.url.includes(id)))
  const data = (answer as any)?.data
  if (typeof data?.targetEntityId === "string" && endpoint.group !== "anonymization") {
    reads.push(...readsWith("anonymization", { requestId: String(data.id) }))
  }
  return reads
}
