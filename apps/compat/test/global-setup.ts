import type { TestProject } from "vitest/node";
import { progress } from "../../../tools/scripts/progress.mjs";
import { type BuildOutcome, buildFixture, FIXTURE_LANGS } from "../src/fixtures.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Per fixture language: ready, or why it is skipped (a missing toolchain, named). */
    fixtures: BuildOutcome[];
  }
}

/** Builds every fixture with its build script before the tests (fast when up to date). */
export default async function setup(project: TestProject): Promise<void> {
  const started = Date.now();
  const fixtures: BuildOutcome[] = [];
  // one after the other: the machine has 2 cores and Maven, Go and pip each want them
  for (const lang of FIXTURE_LANGS) {
    const outcome = await progress(`compat: build the ${lang} fixture`, () => buildFixture(lang));
    if (!outcome.ready) {
      console.warn(`compat: SKIPPING the ${lang} fixture: ${outcome.reason}`);
    }
    fixtures.push(outcome);
  }
  console.log(`compat: fixtures built in ${Date.now() - started} ms`);
  project.provide("fixtures", fixtures);
}
