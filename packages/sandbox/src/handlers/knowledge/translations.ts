/**
 * An article's translations: one draft per language, and what readers see once published (per article
 * or per language). Also how a translation is made from a request and checked.
 */
import * as Effect from "effect/Effect"
import { type Context, iso } from "../../internal/handler.js"
import type { KnowledgeArticle, KnowledgeTranslation } from "../../internal/state.js"
import { draftOrFail, findArticle, type Handlers, isLanguageCode, touch } from "./common.js"

/** What a request gives for a translation. */
interface TranslationInput {
  readonly languageId: string
  readonly title: string
  readonly content?: string | undefined
}

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

export const newTranslation = (ctx: Context, input: TranslationInput): KnowledgeTranslation => {
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

/** Why a translation input cannot be used, if it cannot: its language is not an ISO language code. */
export const translationProblem = (input: TranslationInput): string | undefined =>
  isLanguageCode(input.languageId) ? undefined : `not an ISO language code: ${JSON.stringify(input.languageId)}`

/** Adds a draft in a new language, or rewrites the draft of its language; returns the draft. */
const upsertDraft = (ctx: Context, article: KnowledgeArticle, input: TranslationInput) => {
  const existing = article.drafts.find((d) => d.language === input.languageId)
  if (existing === undefined) {
    const created = newTranslation(ctx, input)
    article.drafts.push(created)
    return created
  }
  existing.title = input.title.trim()
  if (input.content !== undefined) existing.contents = { html: input.content, plaintext: plaintextOf(input.content) }
  existing.updatedAt = iso(ctx.now)
  existing.updatedBy = ctx.state.apiUserId
  return existing
}

/** Applies each translation on its own: the drafts written, and why the others were not. */
const upsertEach = (ctx: Context, article: KnowledgeArticle, inputs: ReadonlyArray<TranslationInput>) => {
  const data: Array<KnowledgeTranslation> = []
  const partialErrors: Array<{ languageId: string; message: string }> = []
  for (const t of inputs) {
    const problem = translationProblem(t)
    if (problem === undefined) data.push(upsertDraft(ctx, article, t))
    else partialErrors.push({ languageId: t.languageId, message: problem })
  }
  if (data.length > 0) touch(ctx, article)
  return { data, partialErrors }
}

export const handlers: Handlers<
  | "listArticleTranslations"
  | "patchArticleTranslations"
  | "deleteArticleTranslation"
  | "publishArticle"
  | "unpublishArticle"
  | "publishTranslation"
  | "unpublishTranslation"
> = {
  listArticleTranslations: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => ({
      translations: { draft: article.drafts, published: article.published }
    })),

  patchArticleTranslations: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (a) => upsertEach(ctx, a, input.body.translations ?? [])),

  deleteArticleTranslation: (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      yield* draftOrFail(article, input.languageId)
      article.drafts = article.drafts.filter((d) => d.language !== input.languageId)
      article.published = article.published.filter((p) => p.language !== input.languageId)
      touch(ctx, article)
    }),

  publishArticle: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      article.published = article.drafts.map((d) => structuredClone(d))
      touch(ctx, article)
    }),

  unpublishArticle: (input, ctx) =>
    Effect.map(findArticle(ctx.state, input.articleId), (article) => {
      article.published = []
      touch(ctx, article)
    }),

  publishTranslation: (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      const draft = yield* draftOrFail(article, input.languageId)
      article.published = [...article.published.filter((p) => p.language !== draft.language), structuredClone(draft)]
      touch(ctx, article)
    }),

  unpublishTranslation: (input, ctx) =>
    Effect.gen(function*() {
      const article = yield* findArticle(ctx.state, input.articleId)
      yield* draftOrFail(article, input.languageId)
      article.published = article.published.filter((p) => p.language !== input.languageId)
      touch(ctx, article)
    })
}
