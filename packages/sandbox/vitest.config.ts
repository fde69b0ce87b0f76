// The repository's shared test settings (workspace packages resolve to their sources).
export { default } from "../../vitest.shared.js"
