/**
 * A tiny deterministic pseudo-random generator (mulberry32). Its whole state is one 32-bit number,
 * so it can live inside the sandbox's JSON state and continue where it stopped after a restart.
 */

/** Advances the generator: returns the next value in [0, 1) and the next state. */
export const next = (state: number): readonly [number, number] => {
  const s = (state + 0x6d2b79f5) >>> 0
  let t = s
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return [((t ^ (t >>> 14)) >>> 0) / 4294967296, s]
}

/** A generator over a mutable cell, for code that draws many values in a row. */
export interface Rng {
  /** The next value in [0, 1). */
  readonly float: () => number
  /** An integer in [0, n). */
  readonly int: (n: number) => number
  /** A random (version 4 layout) UUID. */
  readonly uuid: () => string
  /** One element of a non-empty array. */
  readonly pick: <A>(items: ReadonlyArray<A>) => A
}

/** Wraps a state cell: every draw reads and writes `cell.rng`. */
export const fromCell = (cell: { rng: number }): Rng => {
  const float = () => {
    const [value, state] = next(cell.rng)
    cell.rng = state
    return value
  }
  const int = (n: number) => Math.floor(float() * n)
  const uuid = () => {
    const bytes: Array<number> = []
    for (let i = 0; i < 16; i++) bytes.push(int(256))
    bytes[6] = (bytes[6]! & 0x0f) | 0x40
    bytes[8] = (bytes[8]! & 0x3f) | 0x80
    const hex = bytes.map((b) => b.toString(16).padStart(2, "0")).join("")
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  }
  const pick = <A>(items: ReadonlyArray<A>): A => items[int(items.length)]!
  return { float, int, uuid, pick }
}

/** Mixes a user seed into a non-zero 32-bit starting state. */
export const seedState = (seed: number, stream = 0): number => {
  let h = (Math.floor(seed) ^ 0x9e3779b9 ^ Math.imul(stream + 1, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}
