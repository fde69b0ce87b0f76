import { expect, it } from "@effect/vitest"
import { Knowledge, Model } from "@org/dixa-core"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import { describeTargets, start } from "./support.js"

/** Files of a given size, type and name. */
const files = (specs: ReadonlyArray<{ name: string; type: string; bytes: number }>) =>
  specs.map((f) => ({ name: f.name, contentType: f.type, content: new Uint8Array(f.bytes).fill(7) }))

describeTargets("knowledge", (target) => {
  it.scopedLive("browse the seeded collections, catalog, categories and articles, in two languages", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const kb = env.bind(Knowledge.KnowledgeApi)
      const collections = yield* kb.listCollections()
      expect(collections.data.map((c) => c.title)).toEqual(["Help Center", "Internal Playbooks"])
      const [help, internal] = collections.data
      expect(internal!.restrictions.isRestricted).toBe(true)
      const firstPage = yield* kb.listCollections({ pageLimit: 1 })
      expect(firstPage.data).toHaveLength(1)
      const everything = yield* Stream.runCollect(kb.listCollectionsAll({ pageLimit: 1 }))
      expect(Chunk.toReadonlyArray(everything).map((c) => c.id)).toEqual([help!.id, internal!.id])
      expect((yield* kb.getCollection({ collectionId: help!.id })).title).toBe("Help Center")

      const catalog = yield* kb.getCatalog({ collectionId: help!.id, language: "da" })
      const billing = catalog.categories!.find((c) => c.title?.title === "Betaling")!
      expect(billing).toBeDefined()
      const invoices = billing.categories!.find((c) => c.title?.title === "Fakturaer")!
      expect(invoices.articles!.map((a) => a.title?.title)).toEqual(["Sådan læser du din faktura"])
      // The article at the top is written in English only: no Danish title to show.
      expect(catalog.articles!.map((a) => a.title)).toEqual([undefined])
      const english = yield* kb.getCatalog({ collectionId: help!.id })
      expect(english.articles!.map((a) => a.title?.title)).toEqual(["Contacting support"])

      const category = yield* kb.getCategory({ categoryId: invoices.id })
      expect(category.title).toEqual({ languageId: "en", title: "Invoices" })
      expect(category.parentCategory).toBe(billing.id)
      expect(category.parentCollections).toEqual([help!.id])
      const titles = yield* kb.listCategoryTranslations({ categoryId: invoices.id })
      expect(titles.titles!.map((t) => t.languageId).sort()).toEqual(["da", "en"])

      const articleId = invoices.articles![0]!.id
      const article = yield* kb.getArticle({ articleId })
      expect(article.translation!.draft.title).toBe("Reading your invoice")
      expect(article.translation!.published?.title).toBe("Reading your invoice")
      const danish = yield* kb.getArticle({ articleId, language: "da" })
      expect(danish.translation!.draft.title).toBe("Sådan læser du din faktura")
      expect(danish.translation!.published).toBeUndefined()
    }))

  it.scopedLive("write, translate, publish per language and whole, move, and delete an article", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const kb = env.bind(Knowledge.KnowledgeApi)
      const [help] = (yield* kb.listCollections()).data
      const catalog = yield* kb.getCatalog({ collectionId: help!.id })
      const gettingStarted = catalog.categories!.find((c) => c.title?.title === "Getting started")!
      const billing = catalog.categories!.find((c) => c.title?.title === "Billing")!

      const created = yield* kb.createArticle({
        body: {
          parentId: gettingStarted.id,
          tags: ["onboarding"],
          translations: [{ languageId: "en", title: "Inviting a colleague", content: "<p>Open <b>Settings</b>.</p>" }]
        }
      })
      const articleId = created.id
      expect(created.parentCategory).toBe(gettingStarted.id)
      expect(created.translation!.draft.contents).toEqual({
        html: "<p>Open <b>Settings</b>.</p>",
        plaintext: "Open Settings."
      })
      expect(created.translation!.published).toBeUndefined()

      const patched = yield* kb.patchArticle({ articleId, body: { tags: { add: ["team"], remove: ["onboarding"] } } })
      expect(patched.tags).toEqual(["team"])
      expect(patched.ownedBy).toBe(created.ownedBy)

      const translated = yield* kb.patchArticleTranslations({
        articleId,
        body: {
          translations: [
            { languageId: "da", title: "Inviter en kollega", content: "<p>Åbn Indstillinger.</p>" },
            { languageId: "klingon", title: "Klingon" }
          ]
        }
      })
      expect(translated.data!.map((t) => t.language)).toEqual(["da"])
      expect(translated.partialErrors!.map((e) => e.languageId)).toEqual(["klingon"])

      yield* kb.publishTranslation({ articleId, languageId: "da" })
      let translations = (yield* kb.listArticleTranslations({ articleId })).translations
      expect(translations.draft!.map((t) => t.language).sort()).toEqual(["da", "en"])
      expect(translations.published!.map((t) => t.language)).toEqual(["da"])

      yield* kb.publishArticle({ articleId })
      translations = (yield* kb.listArticleTranslations({ articleId })).translations
      expect(translations.published!.map((t) => t.language).sort()).toEqual(["da", "en"])

      yield* kb.unpublishTranslation({ articleId, languageId: "en" })
      expect((yield* kb.getArticle({ articleId })).translation!.published).toBeUndefined()
      expect((yield* kb.getArticle({ articleId, language: "da" })).translation!.published?.title)
        .toBe("Inviter en kollega")
      yield* kb.unpublishArticle({ articleId })
      expect((yield* kb.listArticleTranslations({ articleId })).translations.published).toEqual([])

      yield* kb.deleteArticleTranslation({ articleId, languageId: "da" })
      // In a language it is no longer written in, the article comes without a translation.
      expect((yield* kb.getArticle({ articleId, language: "da" })).translation).toBeUndefined()

      yield* kb.setArticleParent({ articleId, parentId: billing.id })
      expect((yield* kb.getArticle({ articleId })).parentCategory).toBe(billing.id)
      yield* kb.removeArticleParent({ articleId })
      const atTop = yield* kb.getArticle({ articleId })
      expect(atTop.parentCategory).toBeUndefined()
      expect(atTop.isDefaultLocation).toBe(true)
      const topArticles = (yield* kb.getCatalog({ collectionId: help!.id })).articles!
      expect(topArticles.map((a) => a.id)).toContain(articleId)

      yield* kb.deleteArticle({ articleId })
      expect((yield* Effect.flip(kb.getArticle({ articleId })))._tag).toBe("NotFound")
    }))

  it.scopedLive("errors: unknown ids are 404; an article may have no translation", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const kb = env.bind(Knowledge.KnowledgeApi)
      const unknown = "00000000-0000-4000-8000-000000000000"
      const missing = yield* Effect.all([
        Effect.flip(kb.getArticle({ articleId: Model.KnowledgeArticleId.make(unknown) })),
        Effect.flip(kb.getCollection({ collectionId: Model.KnowledgeCollectionId.make(unknown) })),
        Effect.flip(kb.getCategory({ categoryId: Model.KnowledgeCategoryId.make(unknown) }))
      ])
      expect(missing.map((e) => e._tag)).toEqual(["NotFound", "NotFound", "NotFound"])
      const noParent = yield* Effect.flip(
        kb.createArticle({ body: { parentId: unknown, translations: [{ languageId: "en", title: "x" }] } })
      )
      expect(noParent._tag).toBe("NotFound")
      // The spec requires no field of a new article, translations included.
      const noText = yield* kb.createArticle({ body: {} })
      expect(noText.translation).toBeUndefined()
      expect((yield* kb.getArticle({ articleId: noText.id })).id).toBe(noText.id)

      const created = yield* kb.createArticle({ body: { translations: [{ languageId: "en", title: "Only one" }] } })
      const articleId = created.id
      yield* kb.deleteArticleTranslation({ articleId, languageId: "en" })
      expect((yield* kb.listArticleTranslations({ articleId })).translations.draft).toEqual([])
      const notCategory = yield* Effect.flip(kb.setArticleParent({ articleId, parentId: unknown }))
      expect(notCategory._tag).toBe("NotFound")
      const notTranslated = yield* Effect.flip(kb.publishTranslation({ articleId, languageId: "de" }))
      expect(notTranslated._tag).toBe("NotFound")
    }))

  it.scopedLive("upload attachments as multipart/form-data, with partial errors", () =>
    Effect.gen(function*() {
      const env = yield* start(target)
      const kb = env.bind(Knowledge.KnowledgeApi)
      const answer = yield* kb.uploadAttachments({
        body: {
          files: files([
            { name: "logo.png", type: "image/png", bytes: 2048 },
            { name: "notes.txt", type: "text/plain", bytes: 10 },
            { name: "huge.jpg", type: "image/jpeg", bytes: 4 * 1024 * 1024 + 1 }
          ])
        }
      })
      expect(answer.data!.map((d) => d.originalFilename)).toEqual(["logo.png"])
      expect(answer.data![0]!.url).toMatch(/^https:\/\/.+\.png$/)
      expect(answer.partialErrors!.map((e) => [e.originalFilename, e.code])).toEqual([
        ["notes.txt", 400],
        ["huge.jpg", 400]
      ])

      const six = files(Array.from({ length: 6 }, (_, i) => ({ name: `${i}.png`, type: "image/png", bytes: 1 })))
      const tooMany = yield* Effect.flip(kb.uploadAttachments({ body: { files: six } }))
      expect(tooMany._tag).toBe("BadRequest")
      expect(tooMany.message).toContain("at most 5")
      // A JSON body is not what this operation takes.
      const json = yield* env.raw("POST", "/beta/knowledge/articles/attachments", { files: [] })
      expect(json.status).toBe(400)
      expect(json.json.message).toContain("multipart/form-data")
    }))
})
