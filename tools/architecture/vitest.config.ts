import { defineConfig } from "vitest/config";

// The repository check type-checks every library once: allow it time on a loaded 2-core machine.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 300_000,
  },
});
