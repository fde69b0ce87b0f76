import { mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// The CLI is tested as built: the global setup builds the bundle when it is missing or stale.
export default mergeConfig(shared, {
  test: { globalSetup: ["test/globalSetup.ts"], testTimeout: 60_000, hookTimeout: 120_000 }
})
