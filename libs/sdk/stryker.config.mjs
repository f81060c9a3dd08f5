// StrykerJS mutation testing of the SDK core: value types, the wire layer (hand-written reader
// and writer) and the dispatcher (handshake, storage, effects). Run from the root with
// `npm run mutation -- sdk` (tools/scripts/mutation.mjs); not part of `npm test`.
import { strykerBase } from "../../tools/scripts/stryker-base.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase,
  // two slow or load-sensitive HTTP test files left out (see the config)
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
  // 2 shared cores: two test processes, niced by the script
  concurrency: 2,
  timeoutMS: 5_000,
};
