// StrykerJS mutation testing of the test kit (virtual clock, test environment, in-memory state).
// Run from the root with `npm run mutation -- testing` (tools/scripts/mutation.mjs); not part of `npm test`.
import { strykerBase } from "../../tools/scripts/stryker-base.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase,
  // (vitest.mutation.config.ts loads the better-sqlite3 built for the Node that runs Stryker)
  mutate: ["src/**/*.ts", "!src/**/*.test.ts", "!src/index.ts"],
  // 2 shared cores: one test process, niced by the script
  concurrency: 1,
  timeoutMS: 5_000,
};
