// Run by toolchain-policy.test.ts in a child vitest: builds the Go fixture (FORCE=1) with the
// PATH given in PROBE_PATH (one without `go`, or without `mvn` and `protoc` and an empty HOME),
// then registers its cases as the compat suites do.
import { expect, it } from "vitest";
import { skipNote } from "../../../../tools/scripts/toolchains.mjs";
import { buildFixture } from "../../src/fixtures.js";
import { fixtureSkips } from "../fixture-skips.js";

const env: NodeJS.ProcessEnv = { ...process.env, PATH: process.env.PROBE_PATH, FORCE: "1" };
if (process.env.PROBE_HOME) env.HOME = process.env.PROBE_HOME;
const outcome = await buildFixture("go", { env });
const fixtures = fixtureSkips("compat probe", [outcome]);

for (const lang of ["go", "ts"] as const) {
  const skip = fixtures.reason([lang]);
  it.skipIf(skip !== undefined)(`a case with the ${lang} SDK${skipNote(skip)}`, () => {
    expect(fixtures.ready).toContain(lang);
  });
}
