/**
 * Saved replies and email auto-replies.
 */

export interface TemplateTranslation {
  locale: string
  content: string
  isDeactivated: boolean
  subject?: string
}

/** What both kinds of template have. */
interface TemplateFields {
  id: string
  name: string
  content: string
  createdBy: string
  createdAt: string
  lastEditedBy?: string
  lastEditedAt?: string
  translations?: Array<TemplateTranslation>
  subject?: string
}

/** A saved reply or an email auto-reply, as Dixa sends it. */
export type Template =
  | TemplateFields & { _type: "QuickResponse" }
  | TemplateFields & { _type: "EmailAutoReply" }
