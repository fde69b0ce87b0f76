/**
 * Requests to anonymize a conversation, a message or an end user, with the sandbox's due time.
 */

export interface AnonymizationRequest {
  id: string
  _type: "Conversation" | "Message" | "User"
  entityType: string
  initiatedAt: string
  targetEntityId: string
  requestedBy: string
  processedAt?: string
  /** When (epoch ms) the request completes; applied lazily when anything reads the state. */
  completesAt: number
}
