// The repository's shared test settings; the test gives its own, longer, timeouts (it runs npm install).
export { default } from "../../vitest.shared.js"
