/**
 * The people of the organization: agents and admins with their presence, teams, and end users.
 */

/** An agent or admin, as Dixa sends it. */
export interface Agent {
  id: string
  createdAt: string
  displayName: string
  email: string
  avatarUrl?: string
  phoneNumber?: string
  additionalEmails: Array<string>
  additionalPhoneNumbers: Array<string>
  firstName?: string
  lastName?: string
  middleNames: Array<string>
  roles: Array<string>
}

/** What the sandbox remembers of an agent's presence; `requestTime` is filled in when read. */
export interface Presence {
  userId: string
  lastSeen?: string
  presenceStatus?: string
  connectionStatus: string
  activeChannels: Array<string>
}

export interface Team {
  id: string
  name: string
  agentIds: Array<string>
}

export interface EndUser {
  id: string
  displayName: string
  /** Gone once the end user is anonymized. */
  email?: string
  /** Absent in state files written before it was recorded. */
  createdAt?: string
  phoneNumber?: string
  additionalEmails?: Array<string>
  additionalPhoneNumbers?: Array<string>
  firstName?: string
  lastName?: string
  middleNames?: Array<string>
  avatarUrl?: string
  externalId?: string
  /** Custom attribute values by definition id. */
  customAttributes?: Record<string, string | Array<string>>
}
