// The compatibility ring on the REAL Flink StateFun runtime and on the local runtime: relays on
// the official Go, Java and Python SDKs (apps/compat/fixtures) and on our SDK pass every value
// kind with its edge values around TS → Go → Python → Java → TS and the reverse ring; `after`,
// `cancel` and `reply` run on every pair of the ring. The egress values must equal the inputs
// (after the official SDKs' documented divergences), and every hop's state, read back through the
// relays' `compat/dump` records, must hold the value with an exact `received` counter. The
// routes, expectations and checks are apps/compat's runtime-neutral exchange driver.
import {
  checkGeneric,
  checkRoutes,
  Endpoints,
  EXCHANGE_KINDS,
  type ExchangeObservation,
  type ExchangeRoute,
  type ExchangeRuntime,
  edgeValue,
  edgeValues,
  GENERIC_EGRESS_ID,
  KAFKA_EGRESS_ID,
  type Lang,
  routesOver,
  runExchange,
} from "@statefun-ts/compat";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  missingToolchainIn,
  skipNote as toolchainNote,
  toolchainTests,
} from "../../scripts/toolchains.mjs";
import type { ScenarioDriver } from "./support/driver.js";
import { DRIVER_CASES, reportStartup } from "./support/drivers.js";
import { moduleYaml } from "./support/module-yaml.js";
import { flinkToolchainTests } from "./support/toolchain.js";

// without java/mvn: a failing test naming the tool in CI, else the Flink cases are skipped
flinkToolchainTests("flink-runtime compat ring");
const fixtures = inject("compatFixtures");
const skipped = fixtures.flatMap((f) => (f.ready ? [] : [f]));
// a fixture without its toolchain: a failing test naming it in CI, else a skipped test with the
// reason, and the ring runs without that SDK (its titles say so)
toolchainTests(
  it,
  "flink-runtime compat ring",
  skipped.map((f) => ({
    tool: missingToolchainIn(127, f.reason)?.tool ?? `the ${f.lang} toolchain`,
    reason: f.reason,
    skips: `the ${f.lang} SDK's hops of the ring`,
  })),
);
const ready = (lang: Lang) => lang === "ts" || fixtures.some((f) => f.lang === lang && f.ready);
const RING: Lang[] = (["ts", "go", "python", "java", "ts"] as const).filter(ready);
const REVERSE: Lang[] = [...RING].reverse();
const skipNote = skipped.length
  ? ` (without ${skipped.map((f) => `${f.lang}: ${f.reason}`).join("; ")})`
  : "";

const forward = routesOver(RING, edgeValues(), "send", "ring");
const reverse = routesOver(REVERSE, edgeValues(), "send", "reverse");
const ringPairs = RING.slice(1).map((to, i) => [RING[i] as Lang, to] as const);
const modeValues = [edgeValue("string", "nonascii"), edgeValue("sample", "rich")];
const modes = ringPairs.flatMap((pair) =>
  (["after", "cancel", "reply"] as const).flatMap((mode) => routesOver(pair, modeValues, mode)),
);
const routes: ExchangeRoute[] = [...forward, ...reverse, ...modes];
const arrow = (hops: readonly Lang[]) => hops.join(" → ");

/** The exchange's view of a scenario driver: `compat.<lang>/relay` ids through its ingress. */
function exchangeRuntime(driver: ScenarioDriver): ExchangeRuntime {
  return {
    send: (functionType, id, typename, bytes) => {
      const [ns = "", type = ""] = functionType.split("/");
      return driver.send(ns, type, id, typename, bytes);
    },
    records: (egress, topic) => driver.records(egress, topic),
  };
}

/** Each runtime's observation, to compare the local runtime with the real one at the end. */
const observed = new Map<string, ExchangeObservation>();

/** An observation as plain data: egress values by route key, dumped states by address (hex). */
function plain(seen: ExchangeObservation): unknown {
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  return {
    delivered: Object.fromEntries(
      [...seen.delivered].map(([key, records]) => [key, records.map((r) => hex(r.value))]),
    ),
    generic: seen.generic.map((r) => `${r.typename} ${hex(r.value)}`).sort(),
    states: Object.fromEntries(
      [...seen.states].map(([address, states]) => [
        address,
        Object.fromEntries([...states].map(([name, value]) => [name, hex(value)])),
      ]),
    ),
  };
}

let endpoints: Endpoints | undefined;
beforeAll(async () => {
  const started = Date.now();
  endpoints = await Endpoints.start(fixtures.flatMap((f) => (f.ready ? [f.lang] : [])));
  console.log(
    `compat relays (${[...endpoints.ports.keys()].join(", ")}) up in ${Date.now() - started} ms`,
  );
});
afterAll(async () => {
  await endpoints?.stop();
});

for (const driverCase of DRIVER_CASES)
  describe(`compatibility ring on the ${driverCase.name} runtime${driverCase.note}`, () => {
    const skip = driverCase.skipReason;
    let driver: ScenarioDriver;
    let seen: ExchangeObservation;

    beforeAll(async () => {
      if (skip || endpoints === undefined) return;
      const relays = endpoints;
      const langs = [...new Set(RING)];
      driver = await driverCase.start(
        moduleYaml(
          langs.map((l) => ({ functions: `compat.${l}/*`, url: relays.url(l) })),
          [KAFKA_EGRESS_ID],
          "30s",
        ),
        [GENERIC_EGRESS_ID],
      );
      reportStartup(driver);
      const started = Date.now();
      seen = await runExchange(exchangeRuntime(driver), routes, { timeoutMs: 90_000 });
      observed.set(driver.name, seen);
      console.log(
        `compat ring on ${driver.name}: ${routes.length} routes (${routes.reduce((n, r) => n + r.hops.length, 0)} hops) delivered in ${seen.deliveredMs} ms, hop states dumped in ${seen.dumpedMs} ms (per hop index: ${seen.dumpPhaseMs.join(", ")} ms), ${Date.now() - started} ms in all`,
      );
    }, 240_000);
    afterAll(async () => {
      await driver?.stop();
    });

    it.skipIf(skip).each(EXCHANGE_KINDS)(
      `${arrow(RING)} carries every %s edge value: egress equals input, every hop stores it, counters exact${skipNote}`,
      (kind) => {
        const mine = forward.filter((r) => r.kind === kind);
        expect(mine).toHaveLength(edgeValues(kind).length);
        expect(checkRoutes(mine, seen)).toEqual([]);
      },
    );

    it.skipIf(skip).each(EXCHANGE_KINDS)(
      `${arrow(REVERSE)} carries every %s edge value${skipNote}`,
      (kind) => {
        const mine = reverse.filter((r) => r.kind === kind);
        expect(mine).toHaveLength(edgeValues(kind).length);
        expect(checkRoutes(mine, seen)).toEqual([]);
      },
    );

    it.skipIf(skip).each(ringPairs)(
      "%s → %s: sendAfter delivers, a cancelled delayed message never arrives, a reply returns to the caller",
      (a, b) => {
        const mine = modes.filter((r) => r.hops.join() === `${a},${b}`);
        expect(mine).toHaveLength(3 * modeValues.length);
        expect(checkRoutes(mine, seen)).toEqual([]);
      },
    );

    it.skipIf(skip)("the generic egress got each delivered value once, with its typename", () => {
      expect(seen.generic.length).toBe(routes.length);
      expect(checkGeneric(routes, seen)).toEqual([]);
    });
  });

describe("the local runtime against the real one", () => {
  const flinkSkip = DRIVER_CASES.find((c) => c.name === "flink")?.skipReason;
  it.skipIf(flinkSkip)(
    `the same routes give byte-identical egress records and dumped states on both${toolchainNote(flinkSkip)}`,
    () => {
      const flink = observed.get("flink");
      const local = observed.get("local");
      expect(flink, "the Flink ring ran").toBeDefined();
      expect(local, "the local ring ran").toBeDefined();
      if (flink === undefined || local === undefined) return;
      expect(plain(local)).toEqual(plain(flink));
    },
  );
});
