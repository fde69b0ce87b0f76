/**
 * Collections and their categories: listing and reading them, a collection's catalog (its categories,
 * nested, and articles), a category's titles in every language.
 */
import type { Knowledge as Api } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import type {
  Knowledge,
  KnowledgeArticle,
  KnowledgeCategory,
  KnowledgeCollection,
  State
} from "../../internal/state.js"
import { findCategory, findCollection, type Handlers, kb, pickTitle, restrictionsOf, shownDraft } from "./common.js"

const collectionView = (collection: KnowledgeCollection) => ({
  id: collection.id,
  title: collection.title,
  ...(collection.description === undefined ? {} : { description: collection.description }),
  internalKbEnabled: collection.internalKbEnabled,
  restrictions: { isRestricted: collection.isRestricted }
})

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
): typeof Api.CollectionCatalogItem.Encoded => ({
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

export const handlers: Handlers<
  "listCollections" | "getCollection" | "getCatalog" | "getCategory" | "listCategoryTranslations"
> = {
  listCollections: (_, ctx) => Effect.sync(() => kb(ctx.state).collections.map(collectionView)),

  getCollection: (input, ctx) => Effect.map(findCollection(ctx.state, input.collectionId), collectionView),

  getCatalog: (input, ctx) =>
    Effect.map(
      findCollection(ctx.state, input.collectionId),
      (collection) => catalogUnder(kb(ctx.state), collection.id, undefined, input.language)
    ),

  // In a language the category has no title in, it comes without one.
  getCategory: (input, ctx) =>
    Effect.map(
      findCategory(ctx.state, input.categoryId),
      (category) => categoryView(ctx.state, category, input.language)
    ),

  listCategoryTranslations: (input, ctx) =>
    Effect.map(findCategory(ctx.state, input.categoryId), (category) => ({ titles: category.titles }))
}
