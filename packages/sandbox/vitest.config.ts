import { defineConfig } from "vitest/config"

// Tests run in Vite's SSR environment, which reads its own resolve conditions: "source" makes the
// workspace packages resolve to their TypeScript sources instead of an unbuilt dist.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 }
})
