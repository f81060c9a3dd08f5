import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // lists skipped tests with their titles (a missing toolchain's reason)
    reporters: ["default", "../scripts/skipped-reporter.mjs"],
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
