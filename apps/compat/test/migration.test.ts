import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { skipNote } from "../../../tools/scripts/toolchains.mjs";
import { afterRoute, comparable, DUMP_TYPENAME, Endpoints, type Lang } from "../src/index.js";
import { encodeLong } from "../src/vectors/encode.js";
import { EDGE_VALUES } from "../src/vectors/requests.js";
import { fixtureSkips } from "./fixture-skips.js";
import { LiveRuntime, moduleYaml } from "./live.js";

// One value per kind, chosen to be awkward: int/long extremes, NaN, -0.0, Unicode, a rich
// document, a protobuf message with int64 extremes and nesting.
const VALUES: ReadonlyArray<readonly [kind: string, label: string, typename: string]> = [
  ["bool", "true", "io.statefun.types/bool"],
  ["int", "min", "io.statefun.types/int"],
  ["long", "max", "io.statefun.types/long"],
  ["float", "nan", "io.statefun.types/float"],
  ["double", "neg0", "io.statefun.types/double"],
  ["string", "nonascii", "io.statefun.types/string"],
  ["sample", "rich", "compat/Sample"],
  ["point", "full", "type.googleapis.com/compat.Point"],
];

function edge(kind: string, label: string): Uint8Array {
  const found = EDGE_VALUES.find(([k, l]) => k === kind && l === label);
  if (!found) throw new Error(`no edge value ${kind}/${label}`);
  return found[2];
}

// a language without its toolchain: its cases are skipped with the reason (failed in CI)
const fixtures = fixtureSkips("compat migration", inject("fixtures"));
const ready = fixtures.ready.filter((l) => l !== "ts");
const skipped = fixtures.skipped;
/** Both directions for every official SDK, the ones with a missing toolchain included (to skip). */
const cases = (["go", "java", "python"] as const).flatMap((lang) => [
  [lang, "ts"] as const,
  ["ts", lang] as const,
]);

describe(`state migration of compat/relay between SDKs${skipped.length ? ` (skipped: ${skipped.join(", ")})` : ""}`, () => {
  let endpoints: Endpoints;

  beforeAll(async () => {
    endpoints = await Endpoints.start(ready);
  }, 60_000);

  afterAll(async () => {
    await endpoints?.stop();
  });

  for (const [before, after] of cases) {
    const skip = fixtures.reason([before, after]);
    it.skipIf(skip !== undefined)(
      `state written by the ${before} SDK is read by the ${after} SDK after the endpoint is switched${skipNote(skip)}`,
      () => migrate(before, after),
      120_000,
    );
  }

  async function migrate(before: Lang, after: Lang): Promise<void> {
    const key = `mig-${before}-to-${after}`;
    const id = `x~send~${key}`;
    const first = await LiveRuntime.start(moduleYaml([["compat/relay", endpoints.url(before)]]));
    try {
      for (const [kind, label, typename] of VALUES) {
        await first.send("compat/relay", id, typename, edge(kind, label));
      }
      await first.until(
        async () =>
          (await Promise.all(VALUES.map(([kind]) => first.records(kind)))).every((r) =>
            r.some((x) => x.key === key),
          ),
        async () => `the ${before} relay did not handle all ${VALUES.length} values`,
      );
    } finally {
      await first.close(false);
    }

    // same state file, same function type, now served by the other SDK
    const second = await LiveRuntime.start(
      moduleYaml([["compat/relay", endpoints.url(after)]]),
      first.dir,
    );
    try {
      await second.send("compat/relay", id, DUMP_TYPENAME, new Uint8Array(0));
      const dumped = async () =>
        (await second.records("dump")).filter((r) => r.key?.startsWith(`${key}:`));
      await second.until(
        async () => (await dumped()).length >= VALUES.length + 1,
        async () =>
          `the ${after} relay dumped ${(await dumped()).length} of ${VALUES.length + 1} states`,
      );
      const records = await dumped();
      expect(records).toHaveLength(VALUES.length + 1);
      for (const [kind, label] of VALUES) {
        const record = records.find((r) => r.key === `${key}:v_${kind}`);
        // the value as the first SDK stored it, decoded and re-encoded by the second
        const expected = afterRoute([before as Lang, after], kind, edge(kind, label));
        expect(comparable(kind, record?.value), `${kind} ${label}`).toEqual(
          comparable(kind, expected),
        );
      }
      const received = records.find((r) => r.key === `${key}:received`);
      expect(Buffer.from(received?.value ?? []).toString("hex")).toBe(
        Buffer.from(encodeLong(BigInt(VALUES.length))).toString("hex"),
      );
    } finally {
      await second.close();
    }
  }
});
