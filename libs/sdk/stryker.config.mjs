// StrykerJS mutation testing of the SDK core: value types, the wire layer (hand-written reader
// and writer) and the dispatcher (handshake, storage, effects). Run from the root with
// `npm run mutation -- sdk` (tools/scripts/mutation.mjs); not part of `npm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // two slow or load-sensitive HTTP test files left out (see the config)
  vitest: { configFile: "vitest.mutation.config.ts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  // accurate: grouped checks can mark valid mutants as compile errors (never tested)
  typescriptChecker: { prioritizePerformanceOverAccuracy: false },
  mutate: [
    "src/types/**/*.ts",
    "src/wire/**/*.ts",
    "src/request-dispatcher.ts",
    "src/state-handshake.ts",
    "src/invocation-loop.ts",
    "src/function-table.ts",
    "src/function-registration.ts",
    "!src/**/*.test.ts",
    "!src/generated/**",
  ],
  coverageAnalysis: "perTest",
  // 2 shared cores: two test processes, niced by the script
  concurrency: 2,
  timeoutMS: 5_000,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
