/**
 * The email addresses and phone numbers customers reach the organization on.
 */

/** An email address or phone number customers reach, as Dixa sends it. */
export type ContactEndpoint =
  | { _type: "EmailEndpoint"; address: string; senderOverride?: string; name?: string }
  | { _type: "TelephonyEndpoint"; number: string; functionality: Array<string>; name?: string }
