/**
 * Custom attribute definitions: what may be recorded on conversations and end users.
 */

/** A choice of a select attribute; choices may nest. */
export interface SelectOption {
  id: string
  label: string
  value: string
  nestedOptions: Array<SelectOption>
  isDeactivated: boolean
  orderIndex: number
}

/** What users of an attribute type in: free text, or one of the options. */
export type InputDefinition =
  | { _type: "Text"; placeholder?: string }
  | { _type: "Select"; options: Array<SelectOption> }

/** A custom attribute definition as Dixa sends it. `Contact` attributes belong to end users. */
export interface CustomAttributeDefinition {
  id: string
  entityType: "Conversation" | "Contact"
  identifier: string
  label: string
  inputDefinition: InputDefinition
  description?: string
  createdAt: string
  updatedAt?: string
  isRequired: boolean
  isArchived: boolean
  isDeactivated: boolean
}
