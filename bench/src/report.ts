/** Printing benchmark results: one line per measurement, the ratio first, then what it was made of. */
export interface Result {
  readonly name: string
  /** The measured value divided by its baseline. */
  readonly ratio: number
  /** What a good result is, e.g. `>= 0.97`. */
  readonly goal: string
  readonly met: boolean
  readonly details: Readonly<Record<string, string | number>>
}

export const print = (result: Result): void => {
  const details = Object.entries(result.details).map(([k, v]) => `${k}=${v}`).join(" ")
  console.log(
    `${result.name}: ratio ${result.ratio.toFixed(3)} (goal ${result.goal}, ${
      result.met ? "met" : "NOT met"
    }) ${details}`
  )
}

export const median = (values: ReadonlyArray<number>): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export const percentile = (values: ReadonlyArray<number>, p: number): number => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
}
