// StrykerJS mutation testing of the local runtime (its logic, the dispatcher, the store, module.yaml).
// Run from the root with `npm run mutation -- runtime` (tools/scripts/mutation.mjs); not part of `npm test`.
import { strykerBase } from "../../tools/scripts/stryker-base.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...strykerBase,
  // (vitest.mutation.config.ts loads the better-sqlite3 built for the Node that runs Stryker)
  // The runtime's logic, each file with unit tests of its own: reply checks and effects, state
  // registration, durations, the delay timer, address rules, the wire codec, ingress bodies,
  // module.yaml, group commit, UTF-8 checks, the browser guard, and the dispatcher and the store
  // with its owner lock (tested over a real SQLite store, the dispatcher with SDK handlers called
  // in process). Not measured: the HTTP servers, the function client and connections, Kafka and
  // the CLI (reached only through tests that start a runtime and an SDK endpoint, seconds per
  // test on this machine; see README "Mutation score").
  mutate: [
    "src/reply-effects.ts",
    "src/state-registry.ts",
    "src/duration.ts",
    "src/delay-timer.ts",
    "src/address-rules.ts",
    "src/wire-codec.ts",
    "src/ingress-body.ts",
    "src/module-yaml.ts",
    "src/group-commit.ts",
    "src/utf8.ts",
    "src/browser-guard.ts",
    "src/address-dispatcher.ts",
    "src/call-slots.ts",
    "src/durable-store.ts",
    "src/store/dead-letter-room.ts",
    "src/store/delay-room.ts",
    "src/store/egress-pack.ts",
    "src/store/egress-room.ts",
    "src/store/owner-lock.ts",
    "src/store/queue-room.ts",
    "src/store/state-room.ts",
  ],
  // 2 shared cores: two test processes, niced by the script
  concurrency: 2,
  // Static mutants (module-level constants: unit tables, patterns, text forms) would each rerun
  // every selected test file with fresh modules: 310 of them, estimated at 58% of the run's time.
  // They are counted as ignored (see the README).
  ignoreStatic: true,
  timeoutMS: 20_000,
};
