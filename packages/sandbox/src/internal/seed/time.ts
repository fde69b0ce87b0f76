/**
 * Times of the demo story, so that seeded records keep the same timestamps run after run.
 */

/** When the demo organization's story starts. */
export const storyStart = Date.parse("2024-01-15T09:00:00Z")

/** The ISO time `minutes` after `from` (by default the start of the story). */
export const at = (minutes: number, from = storyStart): string => new Date(from + minutes * 60_000).toISOString()
