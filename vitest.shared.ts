import { defineConfig } from "vitest/config"

// Every package's tests: workspace packages resolve to their TypeScript sources through the "source" export
// condition (Vite's SSR environment, where tests run, reads its own conditions), so tests never need a build.
export default defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: { include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 }
})
