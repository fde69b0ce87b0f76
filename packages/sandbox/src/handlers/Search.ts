/**
 * Search: conversations by text (subject and messages) and by structured filters, newest first.
 *
 * Text matching: with `exactMatch` the phrase must appear as typed (ignoring case); without, every word
 * of the query must appear somewhere in the conversation. Matches come back highlighted the way Dixa
 * does it, `<em class="highlight">…</em>`. Durations in filters are in seconds.
 */
import { Search } from "@org/dixa-core"
import * as DateTime from "effect/DateTime"
import * as Effect from "effect/Effect"
import { badRequest, type GroupHandlers } from "../internal/handler.js"
import type { Conversation, State } from "../internal/state.js"
import { activityLogOf } from "../internal/state/activity.js"
import { assignmentOf, queueOf, subjectOf } from "../internal/state/conversations.js"

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** The terms a query looks for: the whole phrase, or each word. */
const termsOf = (value: string, exact: boolean): Array<string> => {
  const trimmed = value.trim()
  if (trimmed === "") return []
  return exact ? [trimmed] : trimmed.split(/\s+/)
}

const highlight = (text: string, terms: ReadonlyArray<string>) =>
  text.replace(new RegExp(terms.map(escapeRegExp).join("|"), "gi"), (m) => `<em class="highlight">${m}</em>`)

const contains = (text: string, term: string) => text.toLowerCase().includes(term.toLowerCase())

interface TextHit {
  readonly highlights: Record<string, Array<string>>
  readonly innerHits: Array<{ id: string; highlight: Record<string, string> }>
}

/** Where the terms appear in a conversation, or `undefined` when some term appears nowhere. */
const matchText = (conversation: Conversation, terms: ReadonlyArray<string>): TextHit | undefined => {
  const subject = subjectOf(conversation.data) ?? ""
  const texts = [subject, ...conversation.messages.map((m) => m.text)]
  if (!terms.every((term) => texts.some((text) => contains(text, term)))) return undefined
  const highlights: Record<string, Array<string>> = {}
  if (terms.some((term) => contains(subject, term))) highlights["subject"] = [highlight(subject, terms)]
  const innerHits = conversation.messages
    .filter((m) => terms.some((term) => contains(m.text, term)))
    .map((m) => ({ id: m.id, highlight: { text: highlight(m.text, terms) } }))
  if (innerHits.length > 0) highlights["text"] = innerHits.map((h) => h.highlight["text"]!)
  return { highlights, innerHits }
}

// ---------------------------------------------------------------------------------------------------
// Filters

type Operator = { readonly _type: string; readonly [key: string]: unknown }

const millisOf = (value: unknown): number =>
  DateTime.isDateTime(value) ? DateTime.toEpochMillis(value) : Date.parse(String(value))

/** A timestamp operator (`Between`, `Since`, `Until`) against a time; no time never matches. */
const timeMatches = (operator: Operator, at: string | undefined): boolean | "unknown" => {
  const t = at === undefined ? NaN : Date.parse(at)
  switch (operator._type) {
    case "Between":
      return t >= millisOf(operator["timestampFrom"]) && t <= millisOf(operator["timestampTo"])
    case "Since":
      return t >= millisOf(operator["timestamp"])
    case "Until":
      return t <= millisOf(operator["timestamp"])
    default:
      return "unknown"
  }
}

/** A single-valued field (`IsOneOf`, `IsNotOneOf`, `IsEmpty`, `IsNotEmpty`). */
const valueMatches = (operator: Operator, value: string | undefined): boolean | "unknown" => {
  const values = (operator["values"] ?? []) as ReadonlyArray<string>
  switch (operator._type) {
    case "IsOneOf":
      return value !== undefined && values.includes(value)
    case "IsNotOneOf":
      return value === undefined || !values.includes(value)
    case "IsEmpty":
      return value === undefined
    case "IsNotEmpty":
      return value !== undefined
    default:
      return "unknown"
  }
}

/** A multi-valued field (the tags). */
const setMatches = (operator: Operator, present: ReadonlyArray<string>): boolean | "unknown" => {
  const values = (operator["values"] ?? []) as ReadonlyArray<string>
  switch (operator._type) {
    case "IncludesOne":
      return values.some((v) => present.includes(v))
    case "IncludesAll":
      return values.every((v) => present.includes(v))
    case "ExcludesAll":
      return !values.some((v) => present.includes(v))
    case "ExcludesOne":
      return values.some((v) => !present.includes(v))
    case "IsEmpty":
      return present.length === 0
    case "IsNotEmpty":
      return present.length > 0
    default:
      return "unknown"
  }
}

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** A custom attribute: a value is a list (the select path, or one text). */
const attributeMatches = (operator: Operator, value: ReadonlyArray<string> | undefined): boolean | "unknown" => {
  const values = (operator["values"] ?? []) as ReadonlyArray<ReadonlyArray<string>>
  switch (operator._type) {
    case "IsOneOf":
      return value !== undefined && values.some((v) => sameList(v, value))
    case "IsNotOneOf":
      return value === undefined || !values.some((v) => sameList(v, value))
    case "IsEmpty":
      return value === undefined
    case "IsNotEmpty":
      return value !== undefined
    default:
      return "unknown"
  }
}

const durationMatches = (operator: Operator, seconds: number | undefined): boolean | "unknown" => {
  if (!["Between", "LongerThanOrEqualTo", "ShorterThanOrEqualTo"].includes(operator._type)) return "unknown"
  if (seconds === undefined) return false
  switch (operator._type) {
    case "Between":
      return seconds >= Number(operator["min"]) && seconds <= Number(operator["max"])
    case "LongerThanOrEqualTo":
      return seconds >= Number(operator["duration"])
    case "ShorterThanOrEqualTo":
      return seconds <= Number(operator["duration"])
    default:
      return "unknown"
  }
}

/** Whether a conversation meets one condition; `"unknown"` for a field or operator the sandbox does not know. */
const fieldMatches = (state: State, c: Conversation, field: Operator): boolean | "unknown" => {
  const d = c.data
  const operator = field["operator"] as Operator
  const assignment = assignmentOf(d)
  const closed = d.state === "Closed"
  switch (field._type) {
    case "AgentId":
      return valueMatches(operator, assignment?.agentId)
    case "AssignedDate":
      return timeMatches(operator, assignment?.assignedAt)
    case "Channel":
      return valueMatches(operator, d.channel)
    case "ClosedDate":
      return timeMatches(operator, closed ? d.stateUpdatedAt : undefined)
    case "ContactId":
      return valueMatches(operator, d.requesterId)
    case "ConversationId":
      return valueMatches(operator, String(d.id))
    case "CreationDate":
      return timeMatches(operator, d.createdAt)
    case "CustomAttribute": {
      const found = (d.customAttributes ?? []).find((a) => a.id === field["attributeId"])
      const value = found === undefined ? undefined : typeof found.value === "string" ? [found.value] : found.value
      return attributeMatches(operator, value)
    }
    case "Direction":
      return valueMatches(operator, d.direction)
    case "Duration": {
      const from = Date.parse(String(d.createdAt))
      const to = Date.parse(String(d.stateUpdatedAt))
      return durationMatches(operator, closed ? Math.round((to - from) / 1000) : undefined)
    }
    case "LastActivity": {
      const last = activityLogOf(state).filter((e) => e.conversationId === d.id).map((e) => e.activityTimestamp)
      return timeMatches(operator, last.sort().at(-1))
    }
    case "LastMessage":
      return timeMatches(operator, c.messages.map((m) => m.createdAt).sort().at(-1))
    case "QueueId":
      return valueMatches(operator, queueOf(d)?.id)
    case "Status":
      return valueMatches(operator, d.state)
    case "TagId":
      return setMatches(operator, c.tagIds ?? [])
    default:
      return "unknown"
  }
}

interface Hit {
  readonly id: number
  readonly highlights: Record<string, Array<string>>
  readonly innerHits?: TextHit["innerHits"]
}

/** Every conversation meeting the query and filters, newest first. */
const search = (state: State, input: Search.SearchParametersInput, withInnerHits: boolean) =>
  Effect.gen(function*() {
    // A query of blanks looks for nothing in particular: every conversation matches it.
    const terms = input.query === undefined ? [] : termsOf(input.query.value, input.query.exactMatch === true)
    const filters = input.filters
    if (filters !== undefined && filters.strategy !== "All" && filters.strategy !== "Any") {
      return yield* badRequest("body.filters.strategy: expected All or Any")
    }
    const conditions = filters?.conditions ?? []
    const hits: Array<Hit> = []
    for (const c of state.conversations) {
      const outcomes = conditions.map((condition) => fieldMatches(state, c, condition.field as Operator))
      const unknown = outcomes.findIndex((o) => o === "unknown")
      if (unknown >= 0) {
        const field = conditions[unknown]!.field as Operator
        const operator = field["operator"] as Operator | undefined
        return yield* badRequest(
          `body.filters.conditions[${unknown}]: the sandbox does not know field ${field._type} ` +
            `with operator ${operator?._type}`
        )
      }
      if (outcomes.length > 0) {
        const pass = filters?.strategy === "Any" ? outcomes.some((o) => o === true) : outcomes.every((o) => o === true)
        if (!pass) continue
      }
      const text = terms.length === 0 ? { highlights: {}, innerHits: [] } : matchText(c, terms)
      if (text === undefined) continue
      const id = c.data.id
      hits.push(withInnerHits ? { id, ...text } : { id, highlights: text.highlights })
    }
    const createdAt = (id: number) => String(state.conversations.find((c) => c.data.id === id)?.data.createdAt)
    return hits.sort((a, b) => createdAt(b.id).localeCompare(createdAt(a.id)) || b.id - a.id)
  })

export const handlers: GroupHandlers<typeof Search.SearchApi> = {
  conversations: (input, ctx) => search(ctx.state, input.body ?? {}, false),

  conversationsByText: (input, ctx) =>
    search(
      ctx.state,
      { query: { value: input.query, ...(input.exactMatch === undefined ? {} : { exactMatch: input.exactMatch }) } },
      true
    )
}
