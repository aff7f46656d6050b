import { defineConfig } from "vitest/config";

// End-to-end suite: playwright-core driving Debian's Chromium against a running stack (see scripts/run-e2e.mjs).
export default defineConfig({
  test: {
    environment: "node",
    include: ["e2e/**/*.e2e.ts"],
    passWithNoTests: false,
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
