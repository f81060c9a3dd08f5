// What the compat suites do when a fixture's toolchain is missing (its build exited 127): in CI
// one failing test per missing toolchain, naming it; locally one skipped test per missing
// toolchain, and every case that needs that language registered as skipped with the reason.
import { it } from "vitest";
import { missingToolchainIn, toolchainTests } from "../../../tools/scripts/toolchains.mjs";
import { type BuildOutcome, LANGS, type Lang } from "../src/index.js";

/** The fixtures' outcomes as the test files use them. */
export interface FixtureSkips {
  /** The languages that run here ("ts" always). */
  readonly ready: Lang[];
  /** The languages skipped here. */
  readonly skipped: Lang[];
  /** Why a case over `langs` is skipped, or undefined when all of them are ready. */
  reason(langs: readonly Lang[]): string | undefined;
}

/** Registers the toolchain tests of `suite` and returns the skip reasons of its cases. */
export function fixtureSkips(suite: string, fixtures: readonly BuildOutcome[]): FixtureSkips {
  const missing = fixtures.flatMap((f) => (f.ready ? [] : [f]));
  toolchainTests(
    it,
    suite,
    missing.map((f) => ({
      tool: missingToolchainIn(127, f.reason)?.tool ?? `the ${f.lang} toolchain`,
      reason: f.reason,
      skips: `every case with the ${f.lang} SDK`,
    })),
  );
  const skipped: Lang[] = missing.map((f) => f.lang);
  return {
    ready: LANGS.filter((l) => !skipped.includes(l)),
    skipped,
    reason(langs) {
      const why = missing.filter((f) => langs.includes(f.lang));
      return why.length === 0
        ? undefined
        : why.map((f) => `${f.lang} toolchain missing: ${f.reason}`).join("; ");
    },
  };
}
