import { defineConfig } from "vitest/config";

// One JVM at a time (2-core CI): files run one after another, each starts its own runtimes.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    // lists skipped tests with their titles (a missing toolchain's reason)
    reporters: ["default", "../scripts/skipped-reporter.mjs"],
    fileParallelism: false,
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
