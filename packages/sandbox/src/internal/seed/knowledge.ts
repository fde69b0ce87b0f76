/**
 * The knowledge base: collections, categories, articles with their translations, and their seed.
 * Ids come from a stream of their own, so adding these records shifts no id seeded before them.
 */
import * as Prng from "../prng.js"

/** One language version of an article, as Dixa sends it (`ArticleTranslation`). */
export interface KnowledgeTranslation {
  language: string
  title: string
  isIndexedVersion: boolean
  contents: { html: string; plaintext: string }
  availableAt: { helpCenterLinks?: Array<{ id: string; name: string; url: string }> }
  createdAt: string
  updatedAt: string
  createdBy?: string
  updatedBy?: string
}

export interface KnowledgeCollection {
  id: string
  title: string
  description?: string
  internalKbEnabled: boolean
  isRestricted: boolean
}

export interface KnowledgeCategory {
  id: string
  collectionId: string
  /** The category this one sits in; absent at the top of the collection. */
  parentCategory?: string
  titles: Array<{ languageId: string; title: string }>
  isLocked: boolean
  isDefaultLocation: boolean
  isRestricted: boolean
}

export interface KnowledgeArticle {
  id: string
  collectionId: string
  parentCategory?: string
  tags: Array<string>
  preRelease: boolean
  createdAt: string
  updatedAt: string
  createdBy: string
  updatedBy: string
  ownedBy: string
  /** Work in progress, one per language. */
  drafts: Array<KnowledgeTranslation>
  /** What readers see, one per published language. */
  published: Array<KnowledgeTranslation>
}

/** An uploaded attachment: only what the answer needs is kept, not the bytes. */
export interface KnowledgeAttachment {
  id: string
  originalFilename: string
  contentType: string
  size: number
  url: string
  uploadedAt: string
}

export interface Knowledge {
  collections: Array<KnowledgeCollection>
  categories: Array<KnowledgeCategory>
  articles: Array<KnowledgeArticle>
  attachments: Array<KnowledgeAttachment>
}

const base = Date.parse("2024-01-15T09:00:00Z")
const at = (minutes: number) => new Date(base + minutes * 60_000).toISOString()

const html = (paragraphs: ReadonlyArray<string>) => paragraphs.map((p) => `<p>${p}</p>`).join("")

/**
 * Two collections (one restricted, for agents only), a few categories with English and Danish titles,
 * and articles in every state: published, draft only, and published in one language of two.
 */
export const seedKnowledge = (seedValue: number, authorId: string): Knowledge => {
  const rng = Prng.fromCell({ rng: Prng.seedState(seedValue, 30) })
  const helpCenter = { id: rng.uuid(), name: "Sandbox Help Center", url: "https://help.sandbox.example" }
  const collections: Array<KnowledgeCollection> = [
    {
      id: rng.uuid(),
      title: "Help Center",
      description: "Answers for customers",
      internalKbEnabled: false,
      isRestricted: false
    },
    { id: rng.uuid(), title: "Internal Playbooks", internalKbEnabled: true, isRestricted: true }
  ]
  const [publicKb, internalKb] = collections as [KnowledgeCollection, KnowledgeCollection]
  const category = (
    collectionId: string,
    en: string,
    da: string | undefined,
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
  const gettingStarted = category(publicKb.id, "Getting started", "Kom godt i gang")
  const billing = category(publicKb.id, "Billing", "Betaling")
  const invoices = category(publicKb.id, "Invoices", "Fakturaer", billing.id)
  const escalation = category(internalKb.id, "Escalation", undefined)
  const categories = [gettingStarted, billing, invoices, escalation]

  const translation = (language: string, title: string, paragraphs: ReadonlyArray<string>, minutes: number) => ({
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
  const article = (
    collectionId: string,
    parentCategory: string | undefined,
    minutes: number,
    drafts: Array<KnowledgeTranslation>,
    publishedLanguages: ReadonlyArray<string>
  ): KnowledgeArticle => ({
    id: rng.uuid(),
    collectionId,
    ...(parentCategory === undefined ? {} : { parentCategory }),
    tags: [],
    preRelease: false,
    createdAt: at(minutes),
    updatedAt: at(minutes),
    createdBy: authorId,
    updatedBy: authorId,
    ownedBy: authorId,
    drafts,
    published: drafts.filter((d) => publishedLanguages.includes(d.language)).map((d) => ({ ...d }))
  })
  const articles = [
    article(publicKb.id, gettingStarted.id, 20, [
      translation("en", "Creating your account", ["Open the sign-up page.", "Confirm your email address."], 20),
      translation("da", "Opret din konto", ["Åbn tilmeldingssiden.", "Bekræft din e-mailadresse."], 21)
    ], ["en", "da"]),
    article(publicKb.id, invoices.id, 40, [
      translation("en", "Reading your invoice", ["Each line is one subscription period."], 40),
      translation("da", "Sådan læser du din faktura", ["Hver linje er en abonnementsperiode."], 41)
    ], ["en"]),
    article(publicKb.id, undefined, 60, [
      translation("en", "Contacting support", ["Write to us from the chat widget."], 60)
    ], ["en"]),
    article(publicKb.id, billing.id, 80, [translation("en", "Refund policy (draft)", ["To be written."], 80)], []),
    article(internalKb.id, escalation.id, 100, [
      translation("en", "When to escalate", ["Escalate when a customer waits more than a day."], 100)
    ], ["en"])
  ]
  return { collections, categories, articles, attachments: [] }
}
