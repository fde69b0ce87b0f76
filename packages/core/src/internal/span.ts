/** Span annotations that cost nothing when tracing is off. */
import * as Effect from "effect/Effect"
import * as FiberRef from "effect/FiberRef"

/**
 * Annotates the current span, when tracing is on. With it off there is no span, and asking for the current one
 * builds (and throws away) an exception, stack trace and all: a proxy would pay that on every request.
 */
export const annotate = (key: string, value: unknown): Effect.Effect<void> =>
  Effect.flatMap(
    FiberRef.get(FiberRef.currentTracerEnabled),
    (tracing) => tracing ? Effect.annotateCurrentSpan(key, value) : Effect.void
  )
