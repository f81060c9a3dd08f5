import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    environment: "node",
    // lists skipped tests with their titles (a missing toolchain's reason)
    reporters: ["default", "../../tools/scripts/skipped-reporter.mjs"],
    // builds the fixtures once (idempotent build scripts); skips a language only without its toolchain
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    // the exchange and migration files each start the fixtures: one file at a time on 2 cores
    fileParallelism: false,
    hookTimeout: 300_000,
  },
});
