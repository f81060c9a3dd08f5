// The runtime's vitest config for StrykerJS (tools/scripts/mutation.mjs): Stryker runs on Node 24,
// so better-sqlite3 is loaded from the copy built for it (STATEFUN_MUTATION_BETTER_SQLITE3).
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

const betterSqlite3 = process.env.STATEFUN_MUTATION_BETTER_SQLITE3;

export default mergeConfig(
  base,
  defineConfig({
    resolve: betterSqlite3 ? { alias: { "better-sqlite3": betterSqlite3 } } : {},
    // these run the built CLI (dist/) or helper scripts in child processes: no mutant there,
    // and the children load the Node 20 better-sqlite3
    test: {
      exclude: [
        "test/cli-types.test.ts",
        "test/crash-recovery.test.ts",
        "test/crash-under-load.test.ts",
        "test/dead-letters-and-batches.test.ts",
        "test/state-file-faults.test.ts",
        // finds the repository's schemas/ relative to itself, which the sandbox moves
        "test/inspector-api.test.ts",
        "**/node_modules/**",
      ],
    },
  }),
);
