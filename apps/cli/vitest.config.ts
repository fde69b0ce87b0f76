import { defineConfig } from "vitest/config"

// Tests run in Vite's SSR environment, which reads its own resolve conditions: "source" makes the
// workspace packages resolve to their TypeScript sources. The CLI itself is tested as built.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000
  }
})
