/**
 * The demo organization's setup: custom attribute definitions, contact endpoints, templates,
 * business-hours schedules, and the contact details of the demo end users.
 */
import * as Prng from "../prng.js"
import type {
  Agent,
  ContactEndpoint,
  CustomAttributeDefinition,
  EndUser,
  InputDefinition,
  RegularHours,
  Schedule,
  SelectOption,
  State,
  Template
} from "../state.js"
import * as Time from "./time.js"

/** The setup was made five days before the story starts. */
const setupStart = Date.parse("2024-01-10T09:00:00Z")
const at = (minutes: number) => Time.at(minutes, setupStart)

const option = (rng: Prng.Rng, label: string, orderIndex: number, nested: Array<SelectOption> = []): SelectOption => ({
  id: rng.uuid(),
  label,
  value: label.toLowerCase().replace(/[^a-z0-9]+/g, "_"),
  nestedOptions: nested,
  isDeactivated: false,
  orderIndex
})

const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

/** The weekly hours: `hours[i]` for day i + 1; an empty list is a closed day. In force from Monday 2024-01-01. */
const week = (hours: ReadonlyArray<ReadonlyArray<readonly [string, string]>>): Array<RegularHours> =>
  weekdays.map((name, i) => ({
    name,
    dayOfWeek: i + 1,
    businessHourType: "Regular",
    status: hours[i]!.length > 0 ? "Open" : "Closed",
    intervals: hours[i]!.map(([startTime, endTime]) => ({ startTime, endTime })),
    startDate: `2024-01-0${i + 1}`
  }))

/** Six definitions: three for conversations (one of them deactivated), three for end users (`Contact`). */
const seedDefinitions = (rng: Prng.Rng): Array<CustomAttributeDefinition> => {
  const definition = (
    entityType: CustomAttributeDefinition["entityType"],
    identifier: string,
    label: string,
    inputDefinition: InputDefinition,
    extra: Partial<CustomAttributeDefinition>,
    minutes: number
  ): CustomAttributeDefinition => ({
    id: rng.uuid(),
    entityType,
    identifier,
    label,
    inputDefinition,
    createdAt: at(minutes),
    isRequired: false,
    isArchived: false,
    isDeactivated: false,
    ...extra
  })
  const customAttributes = [
    definition(
      "Conversation",
      "contact_reason",
      "Contact reason",
      {
        _type: "Select",
        options: [
          option(rng, "Payment", 1, [option(rng, "Card", 2), option(rng, "Bank transfer", 3)]),
          option(rng, "Access", 4),
          option(rng, "Delivery", 5, [option(rng, "Late", 6), option(rng, "Damaged", 7)])
        ]
      },
      { description: "Why the customer got in touch", isRequired: true },
      0
    ),
    definition("Conversation", "parcel_id", "Parcel ID", { _type: "Text", placeholder: "PX-0000" }, {
      description: "The parcel the conversation is about",
      updatedAt: at(600)
    }, 5),
    definition("Conversation", "old_priority", "Old priority", { _type: "Text" }, { isDeactivated: true }, 10),
    definition(
      "Contact",
      "customer_tier",
      "Customer tier",
      {
        _type: "Select",
        options: [option(rng, "Bronze", 1), option(rng, "Silver", 2), option(rng, "Gold", 3)]
      },
      {},
      15
    ),
    definition("Contact", "crm_id", "CRM ID", { _type: "Text", placeholder: "CRM-000" }, {}, 20),
    definition(
      "Contact",
      "location",
      "Location",
      {
        _type: "Select",
        options: [
          option(rng, "Denmark", 1, [option(rng, "Copenhagen", 2), option(rng, "Aarhus", 3)]),
          option(rng, "Sweden", 4, [option(rng, "Stockholm", 5)])
        ]
      },
      { description: "Where the customer lives" },
      25
    )
  ]
  return customAttributes
}

/** Contact details and attribute values for the first two end users, given in place. */
const giveDetails = (endUsers: ReadonlyArray<EndUser>, customAttributes: ReadonlyArray<CustomAttributeDefinition>) => {
  const [tier, crm, location] = customAttributes.slice(3).map((d) => d.id)
  const [maria, ole] = endUsers
  if (maria !== undefined) {
    Object.assign(maria, {
      phoneNumber: "+4520112233",
      firstName: "Maria",
      lastName: "Jensen",
      externalId: "C-1001",
      customAttributes: { [tier!]: "gold", [crm!]: "CRM-1001", [location!]: ["denmark", "copenhagen"] }
    })
  }
  if (ole !== undefined) {
    Object.assign(ole, {
      phoneNumber: "+4520445566",
      additionalEmails: ["ole.hansen@work.example"],
      firstName: "Ole",
      lastName: "Hansen",
      customAttributes: { [tier!]: "silver" }
    })
  }
}

/** Two email addresses and two phone numbers. */
const seedContactEndpoints = (): Array<ContactEndpoint> => [
  { _type: "EmailEndpoint", address: "support@sandbox.example", name: "Support inbox" },
  {
    _type: "EmailEndpoint",
    address: "billing@sandbox.example",
    senderOverride: "accounts@sandbox.example",
    name: "Billing"
  },
  {
    _type: "TelephonyEndpoint",
    number: "+4570100100",
    functionality: ["VoiceInbound", "VoiceOutbound"],
    name: "Main line"
  },
  { _type: "TelephonyEndpoint", number: "+4570100200", functionality: ["SmsInbound", "SmsOutbound"], name: "SMS" }
]

/** Three quick responses and two email auto-replies, some with translations. */
const seedTemplates = (rng: Prng.Rng, admin: string, editor: string): Array<Template> => [
  {
    _type: "QuickResponse",
    id: rng.uuid(),
    name: "Refund policy",
    content: "Hi {{requester_firstname}}, you can return anything within 30 days. {{agent_firstname}}",
    createdBy: admin,
    createdAt: at(30),
    lastEditedBy: editor,
    lastEditedAt: at(900),
    translations: [
      {
        locale: "da",
        content: "Hej {{requester_firstname}}, du kan returnere alt inden for 30 dage. {{agent_firstname}}",
        isDeactivated: false
      },
      {
        locale: "de",
        content: "Hallo {{requester_firstname}}, Rückgabe innerhalb von 30 Tagen. {{agent_firstname}}",
        isDeactivated: true
      }
    ]
  },
  {
    _type: "QuickResponse",
    id: rng.uuid(),
    name: "Password reset",
    content: "Use 'Forgot password' on the login page; the link is valid for one hour.",
    createdBy: admin,
    createdAt: at(35)
  },
  {
    _type: "QuickResponse",
    id: rng.uuid(),
    name: "Greeting",
    content: "Hi {{requester_firstname}}, thanks for reaching out!",
    createdBy: editor,
    createdAt: at(40)
  },
  {
    _type: "EmailAutoReply",
    id: rng.uuid(),
    name: "Received",
    subject: "We got your email [{{csid}}]",
    content: "Thanks for writing. We answer within one working day.",
    createdBy: admin,
    createdAt: at(45),
    translations: [
      {
        locale: "da",
        subject: "Vi har modtaget din mail [{{csid}}]",
        content: "Tak for din mail. Vi svarer inden for en arbejdsdag.",
        isDeactivated: false
      }
    ]
  },
  {
    _type: "EmailAutoReply",
    id: rng.uuid(),
    name: "Out of hours",
    subject: "We are closed right now",
    content: "Our team is away; we will answer when we open again.",
    createdBy: admin,
    createdAt: at(50)
  }
]

/** "Support" in Copenhagen, with holidays and exceptions, and "Phone line" in New York. */
const seedSchedules = (rng: Prng.Rng): Array<Schedule> => {
  const eightToFour: ReadonlyArray<readonly [string, string]> = [["08:00", "16:00"]]
  const schedules: Array<Schedule> = [
    {
      id: rng.uuid(),
      name: "Support",
      timezone: "Europe/Copenhagen",
      businessHours: week([eightToFour, eightToFour, eightToFour, eightToFour, [["08:00", "15:00"]], [], []]),
      exceptions: [
        {
          name: "New Year's Day",
          businessHourType: "Holiday",
          status: "Closed",
          intervals: [],
          recurring: { dayOfMonth: 1, monthOfYear: 1 },
          startDate: "2024-01-01"
        },
        {
          name: "Christmas Eve",
          businessHourType: "Holiday",
          status: "Closed",
          intervals: [],
          recurring: { dayOfMonth: 24, monthOfYear: 12 },
          startDate: "2024-12-24"
        },
        {
          name: "Constitution Day",
          businessHourType: "Exception",
          status: "Open",
          intervals: [{ startTime: "08:00", endTime: "12:00" }],
          recurring: { dayOfMonth: 5, monthOfYear: 6 },
          startDate: "2024-06-05"
        },
        {
          name: "Team day",
          businessHourType: "Exception",
          status: "Closed",
          intervals: [],
          startDate: "2026-03-13"
        }
      ]
    },
    {
      id: rng.uuid(),
      name: "Phone line",
      timezone: "America/New_York",
      businessHours: week([
        [["09:00", "12:00"], ["13:00", "17:00"]],
        [["09:00", "12:00"], ["13:00", "17:00"]],
        [["09:00", "12:00"], ["13:00", "17:00"]],
        [["09:00", "12:00"], ["13:00", "17:00"]],
        [["09:00", "12:00"], ["13:00", "17:00"]],
        [["10:00", "14:00"]],
        []
      ]),
      exceptions: [
        {
          name: "Independence Day",
          businessHourType: "Holiday",
          status: "Closed",
          intervals: [],
          recurring: { dayOfMonth: 4, monthOfYear: 7 },
          startDate: "2024-07-04"
        }
      ]
    }
  ]
  return schedules
}

/**
 * The setup of the demo organization: six custom attribute definitions (three for conversations, one of
 * them deactivated; three for end users), two email addresses and two phone numbers, five templates, two
 * schedules. The first two end users are given contact details and attribute values in place. Ids come
 * from a stream of their own (20), so no other id moves.
 */
export const seedSetup = (
  seedValue: number,
  org: { readonly apiUserId: string; readonly agents: ReadonlyArray<Agent>; readonly endUsers: Array<EndUser> }
): Pick<State, "customAttributes" | "contactEndpoints" | "templates" | "schedules"> => {
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 20) })
  const customAttributes = seedDefinitions(rng)
  giveDetails(org.endUsers, customAttributes)
  const admin = org.apiUserId
  const editor = org.agents.find((a) => a.roles.includes("Agent"))?.id ?? admin
  const templates = seedTemplates(rng, admin, editor)
  return { customAttributes, contactEndpoints: seedContactEndpoints(), templates, schedules: seedSchedules(rng) }
}
