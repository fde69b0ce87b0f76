/**
 * The demo knowledge base. Ids come from a stream of their own, so adding these records shifts no id
 * seeded before them.
 */
import * as Prng from "../prng.js"
import type {
  Knowledge,
  KnowledgeArticle,
  KnowledgeCategory,
  KnowledgeCollection,
  KnowledgeTranslation
} from "../state.js"
import { at } from "./time.js"

const html = (paragraphs: ReadonlyArray<string>) => paragraphs.map((p) => `<p>${p}</p>`).join("")

/** Who wrote the seeded knowledge base, where it is published, and how its ids are drawn. */
interface Authoring {
  readonly rng: Prng.Rng
  readonly authorId: string
  readonly helpCenter: { readonly id: string; readonly name: string; readonly url: string }
}

const seedCollections = (rng: Prng.Rng): readonly [KnowledgeCollection, KnowledgeCollection] => [
  {
    id: rng.uuid(),
    title: "Help Center",
    description: "Answers for customers",
    internalKbEnabled: false,
    isRestricted: false
  },
  { id: rng.uuid(), title: "Internal Playbooks", internalKbEnabled: true, isRestricted: true }
]

/** A category with an English title, and a Danish one when given. */
const category = (
  rng: Prng.Rng,
  collectionId: string,
  [en, da]: readonly [string, string?],
  parentCategory?: string
): KnowledgeCategory => ({
  id: rng.uuid(),
  collectionId,
  ...(parentCategory === undefined ? {} : { parentCategory }),
  titles: da === undefined ? [{ languageId: "en", title: en }] : [
    { languageId: "en", title: en },
    { languageId: "da", title: da }
  ],
  isLocked: false,
  isDefaultLocation: false,
  isRestricted: false
})

const translation = (
  { authorId, helpCenter }: Authoring,
  [language, title, paragraphs, minutes]: readonly [string, string, ReadonlyArray<string>, number]
): KnowledgeTranslation => ({
  language,
  title,
  isIndexedVersion: true,
  contents: { html: html(paragraphs), plaintext: paragraphs.join("\n") },
  availableAt: { helpCenterLinks: [helpCenter] },
  createdAt: at(minutes),
  updatedAt: at(minutes),
  createdBy: authorId,
  updatedBy: authorId
})

/** An article with a draft per translation given, published in `publishedLanguages`. */
const article = (
  authoring: Authoring,
  place: { readonly collectionId: string; readonly parentCategory?: string | undefined },
  minutes: number,
  translations: ReadonlyArray<readonly [string, string, ReadonlyArray<string>, number]>,
  publishedLanguages: ReadonlyArray<string>
): KnowledgeArticle => {
  const drafts = translations.map((t) => translation(authoring, t))
  const { authorId } = authoring
  return {
    id: authoring.rng.uuid(),
    collectionId: place.collectionId,
    ...(place.parentCategory === undefined ? {} : { parentCategory: place.parentCategory }),
    tags: [],
    preRelease: false,
    createdAt: at(minutes),
    updatedAt: at(minutes),
    createdBy: authorId,
    updatedBy: authorId,
    ownedBy: authorId,
    drafts,
    published: drafts.filter((d) => publishedLanguages.includes(d.language)).map((d) => ({ ...d }))
  }
}

/** The articles, under the four categories and (one) at the top of the public collection. */
const seedArticles = (authoring: Authoring, publicKbId: string, categories: ReadonlyArray<KnowledgeCategory>) => {
  const [gettingStarted, billing, invoices, escalation] = categories.map((c) => ({
    collectionId: c.collectionId,
    parentCategory: c.id
  }))
  const publicKb = { collectionId: publicKbId }
  return [
    article(authoring, gettingStarted!, 20, [
      ["en", "Creating your account", ["Open the sign-up page.", "Confirm your email address."], 20],
      ["da", "Opret din konto", ["Åbn tilmeldingssiden.", "Bekræft din e-mailadresse."], 21]
    ], ["en", "da"]),
    article(authoring, invoices!, 40, [
      ["en", "Reading your invoice", ["Each line is one subscription period."], 40],
      ["da", "Sådan læser du din faktura", ["Hver linje er en abonnementsperiode."], 41]
    ], ["en"]),
    article(authoring, publicKb, 60, [["en", "Contacting support", ["Write to us from the chat widget."], 60]], ["en"]),
    article(authoring, billing!, 80, [["en", "Refund policy (draft)", ["To be written."], 80]], []),
    article(authoring, escalation!, 100, [
      ["en", "When to escalate", ["Escalate when a customer waits more than a day."], 100]
    ], ["en"])
  ]
}

/**
 * Two collections (one restricted, for agents only), a few categories with English and Danish titles,
 * and articles in every state: published, draft only, and published in one language of two.
 */
export const seedKnowledge = (seedValue: number, authorId: string): Knowledge => {
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 30) })
  const helpCenter = { id: rng.uuid(), name: "Sandbox Help Center", url: "https://help.sandbox.example" }
  const [publicKb, internalKb] = seedCollections(rng)
  const gettingStarted = category(rng, publicKb.id, ["Getting started", "Kom godt i gang"])
  const billing = category(rng, publicKb.id, ["Billing", "Betaling"])
  const invoices = category(rng, publicKb.id, ["Invoices", "Fakturaer"], billing.id)
  const escalation = category(rng, internalKb.id, ["Escalation"])
  const categories = [gettingStarted, billing, invoices, escalation]
  const articles = seedArticles({ rng, authorId, helpCenter }, publicKb.id, categories)
  return { collections: [publicKb, internalKb], categories, articles, attachments: [] }
}
