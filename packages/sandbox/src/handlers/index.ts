/**
 * Every handler of the sandbox, by operation. Operations without one answer 501.
 */
import type { Route } from "../internal/handler.js"
import * as Organization from "./Organization.js"

export const routes: ReadonlyArray<Route> = [...Organization.handlers]

export { settle } from "./Anonymization.js"
