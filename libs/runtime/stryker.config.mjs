// StrykerJS mutation testing of the local runtime (its core, store, HTTP servers, module.yaml).
// Run from the root with `npm run mutation -- runtime` (tools/scripts/mutation.mjs); not part of `npm test`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  // better-sqlite3 built for the Node that runs Stryker (see the config)
  vitest: { configFile: "vitest.mutation.config.ts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  // accurate: grouped checks can mark valid mutants as compile errors (never tested)
  typescriptChecker: { prioritizePerformanceOverAccuracy: false },
  // the reply checks and effects, state registration, durations and the delay timer: the logic
  // a wrong change would corrupt state with (the HTTP servers, store and dispatcher are not
  // measured yet: their tests take seconds each on this machine)
  mutate: [
    "src/reply-effects.ts",
    "src/state-registry.ts",
    "src/duration.ts",
    "src/delay-timer.ts",
  ],
  coverageAnalysis: "perTest",
  // 2 shared cores: one test process, niced by the script
  concurrency: 1,
  timeoutMS: 20_000,
  incremental: true,
  incrementalFile: "reports/stryker-incremental.json",
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
