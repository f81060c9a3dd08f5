// The test kit's vitest config for StrykerJS (tools/scripts/mutation.mjs): Stryker runs on Node 24,
// so better-sqlite3 (used by the runtime core under the kit) is loaded from the copy built for it (STATEFUN_MUTATION_BETTER_SQLITE3).
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.js";

const betterSqlite3 = process.env.STATEFUN_MUTATION_BETTER_SQLITE3;

export default mergeConfig(
  base,
  defineConfig({
    resolve: betterSqlite3 ? { alias: { "better-sqlite3": betterSqlite3 } } : {},
  }),
);
