/**
 * Routing queues and their members.
 */

/** A queue member and its priority inside the queue (1 is served first). */
export interface QueueMember {
  agentId: string
  priority?: number
}

/** A queue as Dixa sends it, plus its members. */
export interface Queue {
  id: string
  name: string
  isDefault: boolean
  organizationId: string
  queueThresholds: Record<string, number>
  slaCalculationMethod: string
  offerTimeout?: number
  offeringAlgorithm?: string
  memberListType?: string
  wrapupTimeout?: number
  priority?: number
  offerAbandonedConversations?: boolean
  doNotOfferTimeouts: Record<string, number>
  isDoNotOfferEnabled: boolean
  isPreferredAgentEnabled?: boolean
  preferredAgentTimeouts?: Record<string, number>
  preferredAgentOfflineTimeout?: number
  personalAgentOfflineTimeout?: number
  isRestricted?: boolean
  /** Whether the queue takes phone calls (asked for at creation, not sent back by Dixa). */
  callFunctionality?: boolean
  members: Array<QueueMember>
}

/** The queues of a state; state files written before queues existed have none. */
export const queuesOf = (state: { queues?: Array<Queue> }): Array<Queue> => state.queues ?? (state.queues = [])
