// StrykerJS mutation testing of the test kit (virtual clock, test environment, in-memory state).
// Run from the root with `npm run mutation -- testing` (tools/scripts/mutation.mjs); not part of `npm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // better-sqlite3 built for the Node that runs Stryker (see the config)
  vitest: { configFile: "vitest.mutation.config.ts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  // accurate: grouped checks can mark valid mutants as compile errors (never tested)
  typescriptChecker: { prioritizePerformanceOverAccuracy: false },
  mutate: ["src/**/*.ts", "!src/**/*.test.ts", "!src/index.ts"],
  coverageAnalysis: "perTest",
  // 2 shared cores: one test process, niced by the script
  concurrency: 1,
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
