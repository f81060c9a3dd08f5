// Builds tools/flink-runtime once before the suite (a no-op when up to date; a cold Maven build
// downloads the StateFun/Flink jars). Without java/mvn the Flink scenarios are skipped, and say so.
// Also builds the compat fixtures on the official Go/Java/Python SDKs for the compatibility ring
// (their build scripts are idempotent and hold a lock, so apps/compat building at the same time
// builds once); a fixture whose toolchain is absent is skipped, by name.
import { type BuildOutcome, buildFixture, FIXTURE_LANGS } from "@statefun-ts/compat";
import type { TestProject } from "vitest/node";
import { progress } from "../../scripts/progress.mjs";
import { buildFlinkRuntime } from "../flink-runtime.mjs";
import { flinkSkipReason } from "./support/toolchain.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Per compat fixture language: ready, or why it is skipped (a missing toolchain, named). */
    compatFixtures: BuildOutcome[];
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const reason = flinkSkipReason();
  if (reason) {
    console.warn(`flink-runtime: ${reason}`);
  } else {
    const started = Date.now();
    await buildFlinkRuntime();
    console.log(
      `flink-runtime: build step ${Date.now() - started} ms (Maven, no-op when up to date)`,
    );
  }
  const started = Date.now();
  const fixtures: BuildOutcome[] = [];
  // one after the other: 2 cores, and Maven, Go and pip each want them
  for (const lang of FIXTURE_LANGS) {
    const outcome = await progress(`flink-runtime: build the ${lang} compat fixture`, () =>
      buildFixture(lang),
    );
    if (!outcome.ready)
      console.warn(`flink-runtime: SKIPPING the ${lang} compat fixture: ${outcome.reason}`);
    fixtures.push(outcome);
  }
  console.log(`flink-runtime: compat fixtures built in ${Date.now() - started} ms`);
  project.provide("compatFixtures", fixtures);
}
