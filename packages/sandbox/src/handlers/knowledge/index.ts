/**
 * The knowledge base: collections hold categories (which nest) and articles. An article has a draft
 * per language; publishing copies drafts to what readers see, per article or per language.
 *
 * - `collections`: collections, categories and catalogs
 * - `articles`: articles and where they sit
 * - `translations`: an article's drafts and publishing
 * - `attachments`: image uploads
 */
import type { Knowledge } from "@org/dixa-core"
import type { GroupHandlers } from "../../internal/handler.js"
import * as Articles from "./articles.js"
import * as Attachments from "./attachments.js"
import * as Collections from "./collections.js"
import * as Translations from "./translations.js"

export const handlers: GroupHandlers<typeof Knowledge.KnowledgeApi> = {
  ...Collections.handlers,
  ...Articles.handlers,
  ...Translations.handlers,
  ...Attachments.handlers
}
