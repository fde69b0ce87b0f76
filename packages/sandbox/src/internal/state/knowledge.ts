/**
 * The knowledge base: collections, categories (which nest), articles with their translations, and
 * uploaded attachments.
 */

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
