/**
 * Image attachments for articles: each uploaded file is stored (its details, not its bytes) or refused
 * on its own; the request as a whole is refused when it has too many or too large files.
 */
import * as Effect from "effect/Effect"
import { badRequest, type Context, iso } from "../../internal/handler.js"
import { type Handlers, kb } from "./common.js"

/** The image types an attachment may have, and the limits of one upload. */
export const attachmentTypes: ReadonlyArray<string> = ["image/gif", "image/jpeg", "image/png", "image/webp"]
export const maxFilesPerUpload = 5
export const maxFileBytes = 4 * 1024 * 1024
export const maxUploadBytes = 10 * 1024 * 1024

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

/** Why one file cannot be stored, if it cannot: a type or size the spec does not allow. */
const fileProblem = (contentType: string, size: number): string | undefined =>
  !attachmentTypes.includes(contentType)
    ? `unsupported type ${contentType}; allowed: ${attachmentTypes.join(", ")}`
    : size > maxFileBytes
    ? "the file is larger than 4 MB"
    : undefined

/** Stores a file's details and gives it a URL. */
const store = (ctx: Context, file: UploadedFile, contentType: string) => {
  const id = ctx.rng.uuid()
  const url = `https://cdn.sandbox.example/images/${ctx.state.organization.id}/${id}.${extensionOf(contentType)}`
  kb(ctx.state).attachments.push({
    id,
    originalFilename: file.name,
    contentType,
    size: file.content.length,
    url,
    uploadedAt: iso(ctx.now)
  })
  return { originalFilename: file.name, url }
}

/** Stores each file on its own: the files stored, and why the others were not. */
const storeEach = (ctx: Context, files: ReadonlyArray<UploadedFile>) => {
  const data: Array<{ originalFilename: string; url: string }> = []
  const partialErrors: Array<{ originalFilename: string; message: string; code: number }> = []
  for (const file of files) {
    const contentType = file.contentType ?? "application/octet-stream"
    const problem = fileProblem(contentType, file.content.length)
    if (problem === undefined) data.push(store(ctx, file, contentType))
    else partialErrors.push({ originalFilename: file.name, message: problem, code: 400 })
  }
  return { data, partialErrors }
}

export const handlers: Handlers<"uploadAttachments"> = {
  uploadAttachments: (input, ctx) =>
    Effect.gen(function*() {
      const files = input.body.files ?? []
      if (!files.every(isUploadedFile)) {
        return yield* badRequest("body.files: expected files of a multipart/form-data body")
      }
      if (files.length > maxFilesPerUpload) {
        return yield* badRequest(`body.files: at most ${maxFilesPerUpload} files per request, got ${files.length}`)
      }
      const total = files.reduce((sum, f) => sum + f.content.length, 0)
      if (total > maxUploadBytes) return yield* badRequest("body.files: the request is larger than 10 MB")
      return storeEach(ctx, files)
    })
}
