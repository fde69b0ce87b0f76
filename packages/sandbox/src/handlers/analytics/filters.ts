/**
 * Filters: the attributes a query can filter conversations by, the values each can take, and whether
 * a conversation passes a query's filters.
 */
import type { State } from "../../internal/state.js"
import { type Facts, factsOf, labelOf } from "./facts.js"

/** A filter of a query: an attribute and the values to keep (any, when none are given). */
export interface Filter {
  readonly attribute: string
  readonly values?: ReadonlyArray<string> | undefined
}

/** The filter attributes, with how a conversation's values for each are read. */
export const attributeValues: Readonly<Record<string, (facts: Facts) => ReadonlyArray<string>>> = {
  channel: (f) => [f.channel],
  initial_direction: (f) => [f.direction],
  queue_id: (f) => f.queueId === undefined ? [] : [f.queueId],
  agent_id: (f) => f.agentId === undefined ? [] : [f.agentId],
  tag_id: (f) => f.tagIds,
  contact_point: (f) => f.contactPoint === undefined ? [] : [f.contactPoint]
}

const channels = ["EMAIL", "WIDGET_CHAT", "PSTN_PHONE", "SMS", "FACEBOOK_MESSENGER", "CONTACT_FORM", "CALLBACK"]

/** Every value an attribute can take, with labels; `undefined` for an attribute there is none of. */
export const filterValues = (
  state: State,
  attribute: string
): ReadonlyArray<{ value: string; label?: string }> | undefined => {
  const facts = state.conversations.flatMap((c) => factsOf(c) ?? [])
  const seen = (read: (f: Facts) => ReadonlyArray<string>) => [...new Set(facts.flatMap(read))].sort()
  const labelled = (values: ReadonlyArray<string>) => values.map((value) => ({ value, label: labelOf(value) }))
  switch (attribute) {
    case "channel":
      return labelled([...new Set([...channels, ...seen((f) => [f.channel])])])
    case "initial_direction":
      return labelled(["INBOUND", "OUTBOUND", "INTERNAL"])
    case "queue_id": {
      const queues = state.queues ?? []
      const ids = [...new Set([...queues.map((q) => q.id), ...seen(attributeValues["queue_id"]!)])]
      return ids.map((value) => {
        const name = queues.find((q) => q.id === value)?.name
        return name === undefined ? { value } : { value, label: name }
      })
    }
    case "agent_id":
      return state.agents.map((a) => ({ value: a.id, label: a.displayName }))
    case "tag_id":
      return state.tags.map((t) => ({ value: t.id, label: t.name }))
    case "contact_point":
      return seen(attributeValues["contact_point"]!).map((value) => ({ value, label: value }))
    default:
      return undefined
  }
}

/** Whether a conversation passes every filter; attributes a metric or record type does not support are ignored. */
export const matches = (facts: Facts, filters: ReadonlyArray<Filter>, supported: ReadonlyArray<string>) =>
  filters.every((filter) => {
    // Attributes a metric does not know are ignored, as Dixa does.
    const read = attributeValues[filter.attribute]
    if (read === undefined || !supported.includes(filter.attribute) || filter.values === undefined) return true
    const wanted = new Set(filter.values.map((v) => v.toUpperCase()))
    return read(facts).some((v) => wanted.has(v.toUpperCase()))
  })
