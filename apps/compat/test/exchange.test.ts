// The live exchange through the local runtime, with the runtime-neutral driver of
// src/exchange (the same one tools/flink-runtime runs on the real Flink StateFun runtime):
// every ordered pair × every kind × every edge value, the modes per pair, 4-hop routes. Hop
// states are checked through the relays' `compat/dump` records; here the runtime's SQLite file is
// read as well, as an extra check that the dump reports what is stored.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { skipNote } from "../../../tools/scripts/toolchains.mjs";
import {
  checkGeneric,
  checkRoutes,
  comparable,
  Endpoints,
  EXCHANGE_KINDS,
  type ExchangeObservation,
  type ExchangeRoute,
  edgeValue,
  edgeValues,
  encodeCounter,
  expectedHops,
  LANGS,
  type Lang,
  orderedPairs,
  permutations,
  routesOver,
  runExchange,
} from "../src/index.js";
import { fixtureSkips } from "./fixture-skips.js";
import { LiveRuntime, moduleYaml } from "./live.js";

// a language without its toolchain: its cases are skipped with the reason (failed in CI)
const fixtures = fixtureSkips("compat exchange", inject("fixtures"));
const langs: Lang[] = fixtures.ready;
const skipped = fixtures.skipped;
const pairs = orderedPairs(langs);
/** Every pair of every language, the ones with a missing toolchain included (to skip). */
const allPairs = orderedPairs(LANGS);
const modeValues = [edgeValue("string", "nonascii"), edgeValue("sample", "rich")];

const sendRoutes = pairs.flatMap((hops) => routesOver(hops));
const modeRoutes = pairs.flatMap((hops) =>
  (["after", "cancel", "reply"] as const).flatMap((mode) => routesOver(hops, modeValues, mode)),
);
const longRoutes = permutations(langs).flatMap((hops) =>
  routesOver(
    hops,
    [edgeValue("long", "min"), edgeValue("sample", "rich"), edgeValue("point", "full")],
    "send",
    `route-${hops.join("-")}`,
  ),
);
const routes: ExchangeRoute[] = [...sendRoutes, ...modeRoutes, ...longRoutes];

describe(`live exchange through the local runtime (${langs.join(", ")}${skipped.length ? `; skipped: ${skipped.join(", ")}` : ""})`, () => {
  let endpoints: Endpoints;
  let live: LiveRuntime;
  let seen: ExchangeObservation;

  beforeAll(async () => {
    endpoints = await Endpoints.start(
      langs.filter((l) => l !== "ts") as Array<Exclude<Lang, "ts">>,
    );
    live = await LiveRuntime.start(
      moduleYaml(langs.map((l) => [`compat.${l}/*`, endpoints.url(l)] as const)),
    );
    seen = await runExchange(live.exchangeRuntime(), routes, { timeoutMs: 120_000 });
    console.log(
      `compat exchange (local runtime): ${routes.length} routes delivered in ${seen.deliveredMs} ms, hops dumped in ${seen.dumpedMs} ms (per hop index: ${seen.dumpPhaseMs.join(", ")} ms)`,
    );
  }, 240_000);

  afterAll(async () => {
    await live?.close();
    await endpoints?.stop();
  });

  for (const [a, b] of allPairs) {
    const skip = fixtures.reason([a, b]);
    for (const kind of EXCHANGE_KINDS) {
      it.skipIf(skip !== undefined)(
        `${a} -> ${b} carries every ${kind} edge value: egress equals input, every hop stores it, counters exact${skipNote(skip)}`,
        () => {
          const mine = sendRoutes.filter((r) => r.kind === kind && r.hops.join() === `${a},${b}`);
          expect(mine).toHaveLength(edgeValues(kind).length);
          expect(checkRoutes(mine, seen)).toEqual([]);
        },
      );
    }
  }

  it("the generic egress received each delivered value once, with its type", () => {
    expect(checkGeneric(routes, seen)).toEqual([]);
  });

  for (const [a, b] of allPairs) {
    const skip = fixtures.reason([a, b]);
    it.skipIf(skip !== undefined)(
      `${a} -> ${b}: sendAfter delivers, a cancelled delayed message never arrives, a reply returns to the caller${skipNote(skip)}`,
      () => {
        const mine = modeRoutes.filter((r) => r.hops.join() === `${a},${b}`);
        expect(mine).toHaveLength(3 * modeValues.length);
        expect(checkRoutes(mine, seen)).toEqual([]);
      },
    );
  }

  it(`every route through all ${langs.length} SDKs delivers and every hop stores the value${skipped.length ? ` (without ${skipped.join(", ")}: ${fixtures.reason(skipped)})` : ""}`, () => {
    expect(longRoutes.length).toBeGreaterThan(0);
    expect(checkRoutes(longRoutes, seen)).toEqual([]);
  });

  it("the dumped states equal what the runtime stored (its SQLite file)", () => {
    const mismatches: string[] = [];
    for (const r of routes) {
      for (const hop of expectedHops(r)) {
        const stored = live.state(hop.functionType, hop.id, hop.state);
        // a default value (false, 0, "") is stored as its canonical empty encoding
        const held = comparable(r.kind, stored ?? new Uint8Array(0));
        if (JSON.stringify(held) !== JSON.stringify(hop.value)) {
          mismatches.push(`${hop.functionType} ${hop.id} ${hop.state}: ${JSON.stringify(held)}`);
        }
        const received = Buffer.from(live.state(hop.functionType, hop.id, "received") ?? []);
        if (!received.equals(Buffer.from(encodeCounter(hop.received)))) {
          mismatches.push(`${hop.functionType} ${hop.id} received: ${received.toString("hex")}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  });
});
