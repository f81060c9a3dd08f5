// The runtime's vitest config for StrykerJS (tools/scripts/mutation.mjs): Stryker runs on Node 24,
// so better-sqlite3 is loaded from the copy built for it (STATEFUN_MUTATION_BETTER_SQLITE3).
//
// Only the tests that run in a second or less: the unit tests of the mutated files (the store's
// over a real in-memory or temporary SQLite file, the dispatcher's with SDK handlers called in
// process), the in-process runtime core, and two quick HTTP tests (rejected replies, ingress
// guards). The rest start runtimes and SDK endpoints for seconds each (delayed-and-ttl alone
// takes 12 s), and a mutant that no quick test reaches (e.g. a module-level constant) runs every
// selected test: with all of them, the run of the first 11 mutated files was estimated at 2.5
// hours on this machine.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

const betterSqlite3 = process.env.STATEFUN_MUTATION_BETTER_SQLITE3;

export default defineConfig({
  ...base,
  resolve: betterSqlite3 ? { alias: { "better-sqlite3": betterSqlite3 } } : {},
  test: {
    ...base.test,
    include: [
      "src/module-yaml.test.ts",
      "src/store/state-mirror.test.ts",
      "src/store/turn-commit.test.ts",
      "test/address-dispatcher.test.ts",
      "test/address-rules.test.ts",
      "test/browser-guard.test.ts",
      "test/call-slots.test.ts",
      "test/dead-letter-room.test.ts",
      "test/delay-room.test.ts",
      "test/delay-timer.test.ts",
      "test/durable-store.test.ts",
      "test/egress-pack.test.ts",
      "test/egress-room.test.ts",
      "test/group-commit.test.ts",
      "test/ingress-body.test.ts",
      "test/ingress-guards.test.ts",
      "test/module-yaml-rules.test.ts",
      "test/owner-lock.test.ts",
      "test/queue-room.test.ts",
      "test/rejected-replies.test.ts",
      "test/reply-effects.test.ts",
      "test/reply-effects-egress.test.ts",
      "test/runtime-core.test.ts",
      "test/state-registry.test.ts",
      "test/state-room.test.ts",
      "test/utf8.test.ts",
      "test/wire-codec.test.ts",
    ],
  },
});
