import * as Data from "effect/Data"

/** The sandbox's state store could not be opened, read or written. */
export class StoreError extends Data.TaggedError("StoreError")<{
  readonly message: string
  readonly cause?: unknown
}> {}
