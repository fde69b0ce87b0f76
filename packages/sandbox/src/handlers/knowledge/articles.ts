/**
 * Articles: reading one (in a language), creating one with its first translations, changing its owner,
 * tags or pre-release flag, moving it under a category or to the top of its collection, deleting it.
 */
import type { Knowledge as Api } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { badRequest, type Context, iso, notFound } from "../../internal/handler.js"
import type { Knowledge, KnowledgeArticle, State } from "../../internal/state.js"
import { findArticle, findCategory, type Handlers, kb, restrictionsOf, shownDraft, touch } from "./common.js"
import { newTranslation, translationProblem } from "./translations.js"

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

type Translations = NonNullable<Api.CreateKnowledgeArticleInput["translations"]>

/** Fails naming the first translation that cannot be used. An article may have none (the spec requires none). */
const checkTranslations = (translations: Translations) =>
  Effect.forEach(translations, (t, i) => {
    const problem = translationProblem(t)
    return problem === undefined ? Effect.void : Effect.fail(badRequest(`body.translations[${i}]: ${problem}`))
  }, { discard: true })

/** The first drafts of an article: one per language, a later translation of a language taking its place. */
const draftsOf = (ctx: Context, translations: Translations) => {
  const last = new Map(translations.map((t) => [t.languageId, t]))
  return [...last.values()].map((t) => newTranslation(ctx, t))
}

/** Where a new article goes: under the category or at the top of the collection named, else of the first collection. */
const placeOf = (knowledge: Knowledge, parentId: string | undefined) =>
  Effect.gen(function*() {
    if (parentId === undefined) {
      const first = knowledge.collections[0]
      if (first === undefined) return yield* badRequest("body.parentId: the organization has no collection")
      return { collectionId: first.id }
    }
    const category = knowledge.categories.find((c) => c.id === parentId)
    if (category !== undefined) return { collectionId: category.collectionId, parentCategory: category.id }
    const collection = knowledge.collections.find((c) => c.id === parentId)
    if (collection !== undefined) return { collectionId: collection.id }
    return yield* notFound(`parent ${parentId} is neither a category nor a collection`)
  })

const create = (ctx: Context, body: Api.CreateKnowledgeArticleInput) =>
  Effect.gen(function*() {
    const knowledge = kb(ctx.state)
    const translations = body.translations ?? []
    yield* checkTranslations(translations)
    const place = yield* placeOf(knowledge, body.parentId)
    const article: KnowledgeArticle = {
      id: ctx.rng.uuid(),
      ...place,
      tags: [...new Set(body.tags ?? [])],
      preRelease: body.preRelease ?? false,
      createdAt: iso(ctx.now),
      updatedAt: iso(ctx.now),
      createdBy: ctx.state.apiUserId,
      updatedBy: ctx.state.apiUserId,
      ownedBy: ctx.state.apiUserId,
      drafts: draftsOf(ctx, translations),
      published: []
    }
    knowledge.articles.push(article)
    return articleView(ctx.state, article, undefined)
  })

const patch = (ctx: Context, article: KnowledgeArticle, body: Api.UpdateKnowledgeArticleInput) =>
  Effect.sync(() => {
    const { ownedBy, preRelease, tags } = body
    if (ownedBy !== undefined) article.ownedBy = ownedBy
    if (preRelease !== undefined) article.preRelease = preRelease
    if (tags !== undefined) {
      const removed = new Set(tags.remove ?? [])
      article.tags = [...new Set([...article.tags, ...(tags.add ?? [])])].filter((t) => !removed.has(t))
    }
    touch(ctx, article)
    return articleView(ctx.state, article, undefined)
  })

export const handlers: Handlers<
  "getArticle" | "createArticle" | "patchArticle" | "deleteArticle" | "setArticleParent" | "removeArticleParent"
> = {
  // In a language the article is not written in, it comes without a translation.
  getArticle: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => articleView(ctx.state, article, input.language)),

  createArticle: (input, ctx) => create(ctx, input.body),

  patchArticle: (input, ctx) =>
    Effect.flatMap(findArticle(ctx.state, input.articleId), (a) => patch(ctx, a, input.body)),

  deleteArticle: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      const knowledge = kb(ctx.state)
      knowledge.articles = knowledge.articles.filter((a) => a !== article)
    }),

  setArticleParent: (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      const category = yield* findCategory(ctx.state, input.parentId)
      article.collectionId = category.collectionId
      article.parentCategory = category.id
      touch(ctx, article)
    }),

  removeArticleParent: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      delete article.parentCategory
      touch(ctx, article)
    })
}
