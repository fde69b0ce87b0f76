// Every package runs its own vitest config; this lists them for `vitest --workspace` runs from the root.
export default ["packages/*/vitest.config.ts", "apps/*/vitest.config.ts"]
