/**
 * What the knowledge-base handlers share: the knowledge base of a state, finding its records, language
 * codes, and how titles and drafts are picked for a language.
 */
import { Knowledge as Api } from "@org/dixa-core"
import * as Effect from "effect/Effect"
import { type Context, type GroupHandlers, iso, notFound } from "../../internal/handler.js"
import { seedKnowledge } from "../../internal/seed/knowledge.js"
import type { Knowledge, KnowledgeArticle, State } from "../../internal/state.js"

/** The handlers of some of the knowledge operations, by name. */
export type Handlers<K extends keyof typeof Api.KnowledgeApi.endpoints> = Pick<
  GroupHandlers<typeof Api.KnowledgeApi>,
  K
>

/** The language used when a request names none. */
export const defaultLanguage = "en"

/** A language code as the spec asks for one: ISO 639 (`en`, `da`), perhaps with a region (`pt-BR`). */
export const isLanguageCode = (code: string): boolean => /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(code)

/** The knowledge base; a state file written before it existed gets the seeded one. */
export const kb = (state: State): Knowledge => state.knowledge ??= seedKnowledge(state.seed, state.apiUserId)

export const findCollection = (state: State, id: string) => {
  const found = kb(state).collections.find((c) => c.id === id)
  return found === undefined ? Effect.fail(notFound(`collection ${id} does not exist`)) : Effect.succeed(found)
}

export const findCategory = (state: State, id: string) => {
  const found = kb(state).categories.find((c) => c.id === id)
  return found === undefined ? Effect.fail(notFound(`category ${id} does not exist`)) : Effect.succeed(found)
}

export const findArticle = (state: State, id: string) => {
  const found = kb(state).articles.find((a) => a.id === id)
  return found === undefined ? Effect.fail(notFound(`article ${id} does not exist`)) : Effect.succeed(found)
}

export const draftOrFail = (article: KnowledgeArticle, language: string) => {
  const found = article.drafts.find((d) => d.language === language)
  return found === undefined
    ? Effect.fail(notFound(`article ${article.id} has no translation in ${language}`))
    : Effect.succeed(found)
}

/** Whether a category or article may be read by agents only: when its collection is restricted. */
export const restrictionsOf = (state: State, collectionId: string) => {
  const collection = kb(state).collections.find((c) => c.id === collectionId)
  return collection?.isRestricted === true
    ? { isRestricted: true, inheritedRestrictions: [{ fromCollection: collection.id }] }
    : { isRestricted: false }
}

/** A title in the language asked for, else in the default language, else the first one. */
export const pickTitle = (titles: ReadonlyArray<{ languageId: string; title: string }>, language: string | undefined) =>
  titles.find((t) => t.languageId === (language ?? defaultLanguage)) ??
    (language === undefined ? titles[0] : undefined)

/** The draft shown for an article: the language asked for, else the default language, else the first. */
export const shownDraft = (article: KnowledgeArticle, language: string | undefined) =>
  article.drafts.find((d) => d.language === (language ?? defaultLanguage)) ??
    (language === undefined ? article.drafts[0] : undefined)

/** Marks an article as changed now by the token's user. */
export const touch = (ctx: Context, article: KnowledgeArticle) => {
  article.updatedAt = iso(ctx.now)
  article.updatedBy = ctx.state.apiUserId
}
