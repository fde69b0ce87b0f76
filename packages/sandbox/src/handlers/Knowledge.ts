/**
 * The knowledge base: collections hold categories (which nest) and articles. An article has a draft
 * per language; publishing copies drafts to what readers see, per article or per language.
 */
import { Knowledge as Api } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, handle, iso, notFound } from "../internal/handler.js"
import {
  type Knowledge,
  type KnowledgeArticle,
  type KnowledgeCategory,
  type KnowledgeCollection,
  type KnowledgeTranslation,
  seedKnowledge
} from "../internal/seed/knowledge.js"
import type { State } from "../internal/state.js"

const api = Api.KnowledgeApi.endpoints

/** The language used when a request names none. */
export const defaultLanguage = "en"

/** The languages articles and categories may be written in. */
export const languages: ReadonlyArray<string> = ["en", "da", "de", "fr", "es", "sv", "nb", "fi", "nl", "it", "pt", "pl"]

/** The image types an attachment may have, and the limits of one upload. */
export const attachmentTypes: ReadonlyArray<string> = ["image/gif", "image/jpeg", "image/png", "image/webp"]
export const maxFilesPerUpload = 5
export const maxFileBytes = 4 * 1024 * 1024
export const maxUploadBytes = 10 * 1024 * 1024

/** The knowledge base; a state file written before it existed gets the seeded one. */
const kb = (state: State): Knowledge => state.knowledge ??= seedKnowledge(state.seed, state.apiUserId)

const findCollection = (state: State, id: string) => {
  const found = kb(state).collections.find((c) => c.id === id)
  return found === undefined ? Effect.fail(notFound(`collection ${id} does not exist`)) : Effect.succeed(found)
}

const findCategory = (state: State, id: string) => {
  const found = kb(state).categories.find((c) => c.id === id)
  return found === undefined ? Effect.fail(notFound(`category ${id} does not exist`)) : Effect.succeed(found)
}

const findArticle = (state: State, id: string) => {
  const found = kb(state).articles.find((a) => a.id === id)
  return found === undefined ? Effect.fail(notFound(`article ${id} does not exist`)) : Effect.succeed(found)
}

const draftOrFail = (article: KnowledgeArticle, language: string) => {
  const found = article.drafts.find((d) => d.language === language)
  return found === undefined
    ? Effect.fail(notFound(`article ${article.id} has no translation in ${language}`))
    : Effect.succeed(found)
}

const restrictionsOf = (state: State, collectionId: string) => {
  const collection = kb(state).collections.find((c) => c.id === collectionId)
  return collection?.isRestricted === true
    ? { isRestricted: true, inheritedRestrictions: [{ fromCollection: collection.id }] }
    : { isRestricted: false }
}

const collectionView = (collection: KnowledgeCollection) => ({
  id: collection.id,
  title: collection.title,
  ...(collection.description === undefined ? {} : { description: collection.description }),
  internalKbEnabled: collection.internalKbEnabled,
  restrictions: { isRestricted: collection.isRestricted }
})

/** A title in the language asked for, else in the default language, else the first one. */
const pickTitle = (titles: ReadonlyArray<{ languageId: string; title: string }>, language: string | undefined) =>
  titles.find((t) => t.languageId === (language ?? defaultLanguage)) ??
    (language === undefined ? titles[0] : undefined)

const categoryView = (state: State, category: KnowledgeCategory, language: string | undefined) => {
  const title = pickTitle(category.titles, language)
  return {
    id: category.id,
    ...(title === undefined ? {} : { title }),
    isDefaultLocation: category.isDefaultLocation,
    isLocked: category.isLocked,
    restrictions: restrictionsOf(state, category.collectionId),
    ...(category.parentCategory === undefined ? {} : { parentCategory: category.parentCategory }),
    parentCollections: [category.collectionId]
  }
}

/** The draft shown for an article: the language asked for, else the default language, else the first. */
const shownDraft = (article: KnowledgeArticle, language: string | undefined) =>
  article.drafts.find((d) => d.language === (language ?? defaultLanguage)) ??
    (language === undefined ? article.drafts[0] : undefined)

const articleView = (state: State, article: KnowledgeArticle, language: string | undefined) => {
  const draft = shownDraft(article, language)
  const published = draft === undefined ? undefined : article.published.find((p) => p.language === draft.language)
  return {
    id: article.id,
    isDefaultLocation: article.parentCategory === undefined,
    ...(draft === undefined ? {} : { translation: published === undefined ? { draft } : { draft, published } }),
    tags: article.tags,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    createdBy: article.createdBy,
    updatedBy: article.updatedBy,
    ownedBy: article.ownedBy,
    restrictions: restrictionsOf(state, article.collectionId),
    ...(article.parentCategory === undefined ? {} : { parentCategory: article.parentCategory }),
    parentCollections: [article.collectionId]
  }
}

const articleItem = (article: KnowledgeArticle, language: string | undefined) => {
  const draft = shownDraft(article, language)
  return draft === undefined
    ? { id: article.id }
    : { id: article.id, title: { languageId: draft.language, title: draft.title } }
}

/** The catalog under a category, or at the top of a collection when `parent` is undefined. */
const catalogUnder = (
  knowledge: Knowledge,
  collectionId: string,
  parent: string | undefined,
  language: string | undefined
): { categories: Array<unknown>; articles: Array<unknown> } => ({
  categories: knowledge.categories
    .filter((c) => c.collectionId === collectionId && c.parentCategory === parent)
    .map((c) => {
      const title = pickTitle(c.titles, language)
      const below = catalogUnder(knowledge, collectionId, c.id, language)
      return { id: c.id, ...(title === undefined ? {} : { title }), ...below }
    }),
  articles: knowledge.articles
    .filter((a) => a.collectionId === collectionId && a.parentCategory === parent)
    .map((a) => articleItem(a, language))
})

/** Plain text of article HTML: tags dropped, paragraphs and breaks on lines of their own. */
export const plaintextOf = (html: string): string =>
  html
    .replace(/<\s*(br|\/p|\/div|\/li|\/h[1-6])\s*\/?>/gi, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, "\"")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n")

const newTranslation = (
  ctx: Context,
  input: { readonly languageId: string; readonly title: string; readonly content?: string | undefined }
): KnowledgeTranslation => {
  const html = input.content ?? ""
  return {
    language: input.languageId,
    title: input.title.trim(),
    isIndexedVersion: true,
    contents: { html, plaintext: plaintextOf(html) },
    availableAt: {},
    createdAt: iso(ctx.now),
    updatedAt: iso(ctx.now),
    createdBy: ctx.state.apiUserId,
    updatedBy: ctx.state.apiUserId
  }
}

/** Why a translation input cannot be used, if it cannot. */
const translationProblem = (input: { readonly languageId: string; readonly title: string }): string | undefined =>
  !languages.includes(input.languageId)
    ? `unsupported language ${JSON.stringify(input.languageId)} (supported: ${languages.join(", ")})`
    : input.title.trim() === ""
    ? "the title must not be empty"
    : undefined

const touch = (ctx: Context, article: KnowledgeArticle) => {
  article.updatedAt = iso(ctx.now)
  article.updatedBy = ctx.state.apiUserId
}

const extensionOf = (contentType: string) => contentType === "image/jpeg" ? "jpg" : contentType.slice("image/".length)

/** A file as the server hands it over from a multipart body (the core's `FilePart`). */
interface UploadedFile {
  readonly name: string
  readonly content: Uint8Array
  readonly contentType?: string | undefined
}

const isUploadedFile = (u: unknown): u is UploadedFile =>
  typeof u === "object" && u !== null && typeof (u as UploadedFile).name === "string" &&
  (u as UploadedFile).content instanceof Uint8Array

export const handlers = [
  handle(api.listCollections, (_, ctx) => Effect.sync(() => kb(ctx.state).collections.map(collectionView))),

  handle(api.getCollection, (input, ctx) => Effect.map(findCollection(ctx.state, input.collectionId), collectionView)),

  handle(api.getCatalog, (input, ctx) =>
    Effect.map(
      findCollection(ctx.state, input.collectionId),
      (collection) => catalogUnder(kb(ctx.state), collection.id, undefined, input.language)
    )),

  handle(api.getCategory, (input, ctx) =>
    Effect.gen(function*() {
      const category = yield* findCategory(ctx.state, input.categoryId)
      if (input.language !== undefined && !category.titles.some((t) => t.languageId === input.language)) {
        return yield* notFound(`category ${category.id} has no title in ${input.language}`)
      }
      return categoryView(ctx.state, category, input.language)
    })),

  handle(
    api.listCategoryTranslations,
    (input, ctx) => Effect.map(findCategory(ctx.state, input.categoryId), (category) => ({ titles: category.titles }))
  ),

  handle(api.getArticle, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      if (input.language !== undefined) yield* draftOrFail(article, input.language)
      return articleView(ctx.state, article, input.language)
    })),

  handle(api.createArticle, (input, ctx) =>
    Effect.gen(function*() {
      const knowledge = kb(ctx.state)
      const translations = input.body.translations ?? []
      if (translations.length === 0) return yield* badRequest("body.translations: an article needs at least one")
      for (const [i, t] of translations.entries()) {
        const problem = translationProblem(t)
        if (problem !== undefined) return yield* badRequest(`body.translations[${i}]: ${problem}`)
      }
      const languagesGiven = translations.map((t) => t.languageId)
      if (new Set(languagesGiven).size !== languagesGiven.length) {
        return yield* badRequest("body.translations: one translation per language")
      }
      const parentId = input.body.parentId
      let collectionId: string
      let parentCategory: string | undefined
      if (parentId === undefined) {
        const first = knowledge.collections[0]
        if (first === undefined) return yield* badRequest("body.parentId: the organization has no collection")
        collectionId = first.id
      } else {
        const category = knowledge.categories.find((c) => c.id === parentId)
        const collection = knowledge.collections.find((c) => c.id === parentId)
        if (category !== undefined) {
          collectionId = category.collectionId
          parentCategory = category.id
        } else if (collection !== undefined) {
          collectionId = collection.id
        } else {
          return yield* notFound(`parent ${parentId} is neither a category nor a collection`)
        }
      }
      const article: KnowledgeArticle = {
        id: ctx.rng.uuid(),
        collectionId,
        ...(parentCategory === undefined ? {} : { parentCategory }),
        tags: [...new Set(input.body.tags ?? [])],
        preRelease: input.body.preRelease ?? false,
        createdAt: iso(ctx.now),
        updatedAt: iso(ctx.now),
        createdBy: ctx.state.apiUserId,
        updatedBy: ctx.state.apiUserId,
        ownedBy: ctx.state.apiUserId,
        drafts: translations.map((t) => newTranslation(ctx, t)),
        published: []
      }
      knowledge.articles.push(article)
      return articleView(ctx.state, article, undefined)
    })),

  handle(api.patchArticle, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      const { ownedBy, preRelease, tags } = input.body
      if (ownedBy !== undefined && !ctx.state.agents.some((a) => a.id === ownedBy)) {
        return yield* badRequest(`body.ownedBy: ${ownedBy} is not an agent of this organization`)
      }
      if (ownedBy !== undefined) article.ownedBy = ownedBy
      if (preRelease !== undefined) article.preRelease = preRelease
      if (tags !== undefined) {
        const removed = new Set(tags.remove ?? [])
        article.tags = [...new Set([...article.tags, ...(tags.add ?? [])])].filter((t) => !removed.has(t))
      }
      touch(ctx, article)
      return articleView(ctx.state, article, undefined)
    })),

  handle(api.deleteArticle, (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      const knowledge = kb(ctx.state)
      knowledge.articles = knowledge.articles.filter((a) => a !== article)
    })),

  handle(
    api.listArticleTranslations,
    (input, ctx) =>
      Effect.map(findArticle(ctx.state, input.articleId), (article) => ({
        translations: { draft: article.drafts, published: article.published }
      }))
  ),

  handle(api.patchArticleTranslations, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      const inputs = input.body.translations ?? []
      if (inputs.length === 0) return yield* badRequest("body.translations: give at least one translation")
      const data: Array<KnowledgeTranslation> = []
      const partialErrors: Array<{ languageId: string; message: string }> = []
      for (const t of inputs) {
        const problem = translationProblem(t)
        if (problem !== undefined) {
          partialErrors.push({ languageId: t.languageId, message: problem })
          continue
        }
        const existing = article.drafts.find((d) => d.language === t.languageId)
        if (existing === undefined) {
          const created = newTranslation(ctx, t)
          article.drafts.push(created)
          data.push(created)
        } else {
          existing.title = t.title.trim()
          if (t.content !== undefined) existing.contents = { html: t.content, plaintext: plaintextOf(t.content) }
          existing.updatedAt = iso(ctx.now)
          existing.updatedBy = ctx.state.apiUserId
          data.push(existing)
        }
      }
      if (data.length > 0) touch(ctx, article)
      return { data, partialErrors }
    })),

  handle(api.deleteArticleTranslation, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      yield* draftOrFail(article, input.languageId)
      if (article.drafts.length === 1) {
        return yield* badRequest(`${input.languageId} is the article's only translation; delete the article instead`)
      }
      article.drafts = article.drafts.filter((d) => d.language !== input.languageId)
      article.published = article.published.filter((p) => p.language !== input.languageId)
      touch(ctx, article)
    })),

  handle(api.publishArticle, (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      article.published = article.drafts.map((d) => structuredClone(d))
      touch(ctx, article)
    })),

  handle(api.unpublishArticle, (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      article.published = []
      touch(ctx, article)
    })),

  handle(api.publishTranslation, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      const draft = yield* draftOrFail(article, input.languageId)
      article.published = [
        ...article.published.filter((p) => p.language !== draft.language),
        structuredClone(draft)
      ]
      touch(ctx, article)
    })),

  handle(api.unpublishTranslation, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      yield* draftOrFail(article, input.languageId)
      article.published = article.published.filter((p) => p.language !== input.languageId)
      touch(ctx, article)
    })),

  handle(api.setArticleParent, (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      const category = yield* findCategory(ctx.state, input.parentId)
      article.collectionId = category.collectionId
      article.parentCategory = category.id
      touch(ctx, article)
    })),

  handle(api.removeArticleParent, (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      delete article.parentCategory
      touch(ctx, article)
    })),

  handle(api.uploadAttachments, (input, ctx) =>
    Effect.gen(function*() {
      const files = input.body.files ?? []
      if (files.length === 0) return yield* badRequest("body.files: give at least one file")
      if (!files.every(isUploadedFile)) {
        return yield* badRequest("body.files: expected files of a multipart/form-data body")
      }
      if (files.length > maxFilesPerUpload) {
        return yield* badRequest(`body.files: at most ${maxFilesPerUpload} files per request, got ${files.length}`)
      }
      const total = files.reduce((sum, f) => sum + f.content.length, 0)
      if (total > maxUploadBytes) return yield* badRequest("body.files: the request is larger than 10 MB")
      const data: Array<{ originalFilename: string; url: string }> = []
      const partialErrors: Array<{ originalFilename: string; message: string; code: number }> = []
      for (const file of files) {
        const contentType = file.contentType ?? "application/octet-stream"
        const size = file.content.length
        if (!attachmentTypes.includes(contentType)) {
          partialErrors.push({
            originalFilename: file.name,
            message: `unsupported type ${contentType}; allowed: ${attachmentTypes.join(", ")}`,
            code: 400
          })
        } else if (size > maxFileBytes) {
          partialErrors.push({ originalFilename: file.name, message: "the file is larger than 4 MB", code: 400 })
        } else if (size === 0) {
          partialErrors.push({ originalFilename: file.name, message: "the file is empty", code: 400 })
        } else {
          const id = ctx.rng.uuid()
          const url = `https://cdn.sandbox.example/images/${ctx.state.organization.id}/${id}.${
            extensionOf(contentType)
          }`
          kb(ctx.state).attachments.push({
            id,
            originalFilename: file.name,
            contentType,
            size,
            url,
            uploadedAt: iso(ctx.now)
          })
          data.push({ originalFilename: file.name, url })
        }
      }
      return { data, partialErrors }
    }))
]
