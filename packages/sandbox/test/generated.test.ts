/**
 * Requests generated from every operation's own schemas, sent over HTTP to a sandbox: valid ones (with ids the
 * sandbox holds, so that handlers get past their 404s) and near misses. No answer may be a 5xx, every 4xx must
 * be one the operation declares, and after every accepted write the group's reads of what it wrote must succeed.
 * The seed is fixed, so the same requests are made run after run (only their date-times follow today's date).
 */
import { expect, it } from "@effect/vitest"
import { Api, Endpoint } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { events } from "../src/handlers/Webhooks.js"
import * as Sandbox from "../src/index.js"
import {
  bodyOf,
  nearMiss,
  type Pools,
  random,
  readsAfter,
  realistic,
  type Request,
  samplesOf,
  toRequest
} from "./generatedRequests.js"
import { apiKey } from "./support.js"

const seed = 20_240_917
/** Each round sends every operation one valid request and one near miss. */
const rounds = 16

interface Answer {
  readonly status: number
  readonly text: string
}

/** Sends a request; an answer that never came (a connection closed on it) is status 0. */
const send = (base: string, request: Pick<Request, "method" | "url" | "body" | "form">): Effect.Effect<Answer> =>
  Effect.promise(async () => {
    const body = bodyOf(request)
    const json = body !== undefined && request.form !== true
    try {
      const response = await fetch(base + request.url, {
        method: request.method,
        headers: { authorization: apiKey, ...(json ? { "content-type": "application/json" } : {}) },
        ...(body === undefined ? {} : { body })
      })
      return { status: response.status, text: await response.text() }
    } catch (error) {
      return { status: 0, text: String((error as Error).cause ?? error) }
    }
  })

const parse = (text: string): any => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** Statuses any operation may answer: no operation at a path (an empty parameter), auth and rate limit. */
const routing = (answer: Answer) =>
  answer.status === 401 || answer.status === 429 || answer.status === 405 ||
  (answer.status === 404 && answer.text.includes("no operation at"))

/** What is wrong with an answer, if anything: a 5xx or none, or a 4xx the operation does not declare. */
const problemOf = (endpoint: Endpoint.Any, answer: Answer): string | undefined =>
  answer.status >= 500 || answer.status === 0
    ? "answered with a server error, or not at all"
    : answer.status >= 400 && !Endpoint.errorStatuses(endpoint).includes(answer.status) && !routing(answer)
    ? `answered ${answer.status}, a status ${endpoint.id} does not declare`
    : undefined

const describe = (request: Request, answer: Answer, problem: string) =>
  [
    `${request.endpoint.id} ${problem}`,
    `  request: ${request.method} ${request.url}`,
    ...(request.body === undefined ? [] : [`  body: ${JSON.stringify(request.body).slice(0, 1500)}`]),
    `  answer: ${answer.status} ${answer.text.slice(0, 1500)}`
  ].join("\n")

const get = (base: string, url: string) => Effect.map(send(base, { method: "GET", url }), (a) => parse(a.text))

/** Names the state does not hold: from list endpoints (metrics, records) and the spec's lists of values. */
const catalogOf = (base: string) =>
  Effect.gen(function*() {
    const ids = (page: any): Array<string> => (page?.data ?? []).map((item: any) => String(item.id))
    return {
      metricId: ids(yield* get(base, "/beta/analytics/metrics?pageLimit=100")),
      recordId: ids(yield* get(base, "/beta/analytics/records?pageLimit=100")),
      filterAttribute: ["channel", "initial_direction", "queue_id", "agent_id", "tag_id", "contact_point"],
      event: events,
      language: ["en", "da", "de", "fr"],
      ratingType: ["Csat", "Nps", "ThumbsUpOrDown"],
      linkType: ["Related", "SideConversation"],
      channel: ["Email", "InteractiveChat", "Messaging", "Speak", "WidgetChat", "PstnPhone"],
      strategy: ["All", "Any"],
      score: ["0", "1", "3", "5"],
      // Nobody listens there: deliveries fail at once.
      url: ["http://127.0.0.1:9/hook"],
      timezone: ["UTC", "Europe/Copenhagen", "America/New_York"]
    }
  })

/** One run against one sandbox: what it sent, what failed, and the ids it draws from. */
const makeRun = (base: string, catalog: Pools["catalog"]) => {
  const failures: Array<string> = []
  let pools: Pools = { state: undefined, catalog }
  let sent = 0

  const refresh = Effect.map(send(base, { method: "GET", url: "/_sandbox/state" }), (answer) => {
    if (answer.status !== 200) failures.push(`GET /_sandbox/state answered ${answer.status} ${answer.text}`)
    pools = { state: parse(answer.text), catalog }
    return answer.status === 200
  })

  const counted = (request: Request) => Effect.tap(send(base, request), () => sent++)

  const check = (request: Request) =>
    Effect.map(counted(request), (answer) => {
      const problem = problemOf(request.endpoint, answer)
      if (problem !== undefined) failures.push(describe(request, answer, problem))
      return answer
    })

  const readBack = (request: Request, answer: Answer) =>
    Effect.forEach(readsAfter(request, parse(answer.text)), (read) =>
      Effect.map(counted(read), (back) => {
        if (back.status >= 200 && back.status < 300) return
        failures.push(describe(read, back, `did not read back after ${request.endpoint.id} was accepted`))
      }), { discard: true })

  /** Sends a request and checks its answer; then reads back what an accepted write wrote. */
  const exchange = (request: Request) =>
    Effect.gen(function*() {
      const answer = yield* check(request)
      if (answer.status < 200 || answer.status >= 300) return
      // With an empty path parameter the request reached another operation (`PATCH /endusers/` is `patchMany`).
      if (Object.values(request.params).includes("")) return
      if (request.method === "DELETE") yield* refresh
      else if (request.method !== "GET") yield* readBack(request, answer)
    })

  return { failures, exchange, refresh, pools: () => pools, sent: () => sent }
}

it.live(
  "no generated request gets a 5xx or an undeclared status, and accepted writes read back",
  () =>
    Effect.scoped(Effect.gen(function*() {
      // Made first: it takes seconds, longer than the server keeps an idle connection open.
      const samples = Api.endpoints.map((e, i) => samplesOf(e, rounds * 2, seed + i))
      const sandbox = yield* Sandbox.start({ rateLimit: false, agents: 10, anonymizationDelay: 0 })
      const run = makeRun(sandbox.url, yield* catalogOf(sandbox.url))
      const rnd = random(seed)
      for (let round = 0; round < rounds && (yield* run.refresh); round++) {
        for (const [i, endpoint] of Api.endpoints.entries()) {
          const [valid, other] = [samples[i]![round * 2]!, samples[i]![round * 2 + 1]!]
          yield* run.exchange(toRequest(endpoint, realistic(endpoint, valid, run.pools(), rnd)))
          yield* run.exchange(toRequest(endpoint, nearMiss(realistic(endpoint, other, run.pools(), rnd), rnd)))
        }
      }
      if (run.failures.length > 0) {
        console.log(`${run.failures.length} of ${run.sent()} requests failed:\n\n${run.failures.join("\n\n")}`)
      }
      expect(run.failures).toEqual([])
    })),
  240_000
)
