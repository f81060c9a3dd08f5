// The StrykerJS options every package's stryker.config.mjs shares (libs/sdk, libs/runtime,
// libs/testing): vitest with the package's vitest.mutation.config.ts, the TypeScript checker in
// its accurate mode, per-test coverage, incremental results and JSON reports under reports/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export const strykerBase = {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.ts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  // accurate: grouped checks can mark valid mutants as compile errors (never tested)
  typescriptChecker: { prioritizePerformanceOverAccuracy: false },
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
