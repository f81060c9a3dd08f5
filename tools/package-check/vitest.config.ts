import { defineConfig } from "vitest/config";

// The libraries are packed once (global setup); the files then run one after another (each
// spawns npm, tsc or node processes, enough for a 2-core machine).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
