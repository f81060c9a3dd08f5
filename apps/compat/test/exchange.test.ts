import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CANCEL_DELAY_MS, LANGS, type Lang } from "../src/index.js";
import { encodeLong } from "../src/vectors/encode.js";
import { EDGE_VALUES } from "../src/vectors/requests.js";
import { afterRoute, comparable } from "./expected.js";
import { Endpoints, LiveRuntime, moduleYaml } from "./live.js";

const TYPENAME: Record<string, string> = {
  bool: "io.statefun.types/bool",
  int: "io.statefun.types/int",
  long: "io.statefun.types/long",
  float: "io.statefun.types/float",
  double: "io.statefun.types/double",
  string: "io.statefun.types/string",
  sample: "compat/Sample",
  point: "type.googleapis.com/compat.Point",
};
const KINDS = Object.keys(TYPENAME);
const ONE = Buffer.from(encodeLong(1n)).toString("hex");
const TWO = Buffer.from(encodeLong(2n)).toString("hex");

const fixtures = inject("fixtures");
const langs: Lang[] = LANGS.filter(
  (l) => l === "ts" || fixtures.some((f) => f.lang === l && f.ready),
);
const skipped = fixtures.filter((f) => !f.ready).map((f) => f.lang);
const pairs = langs.flatMap((a) => langs.filter((b) => b !== a).map((b) => [a, b] as const));

function permutations(items: readonly Lang[]): Lang[][] {
  if (items.length <= 1) return [items.slice()];
  return items.flatMap((x, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((p) => [x, ...p]),
  );
}

interface Route {
  readonly hops: readonly Lang[];
  readonly mode: "send" | "after" | "cancel" | "reply";
  readonly key: string;
  readonly kind: string;
  readonly bytes: Uint8Array;
}

const routeId = (r: Route, from: number) => `${r.hops.slice(from).join(".")}~${r.mode}~${r.key}`;

const routes: Route[] = [];
for (const [a, b] of pairs) {
  for (const [kind, label, bytes] of EDGE_VALUES) {
    routes.push({ hops: [a, b], mode: "send", key: `${a}-${b}-${kind}-${label}`, kind, bytes });
  }
  const value = EDGE_VALUES.find(([k, l]) => k === "string" && l === "nonascii");
  const sample = EDGE_VALUES.find(([k, l]) => k === "sample" && l === "rich");
  for (const mode of ["after", "cancel", "reply"] as const) {
    for (const v of [value, sample]) {
      if (v === undefined) throw new Error("missing edge value");
      routes.push({
        hops: [a, b],
        mode,
        key: `${mode}-${a}-${b}-${v[0]}`,
        kind: v[0],
        bytes: v[2],
      });
    }
  }
}
const longMin = EDGE_VALUES.find(([k, l]) => k === "long" && l === "min");
const rich = EDGE_VALUES.find(([k, l]) => k === "sample" && l === "rich");
for (const hops of permutations(langs)) {
  for (const v of [longMin, rich, EDGE_VALUES.find(([k, l]) => k === "point" && l === "full")]) {
    if (v === undefined) throw new Error("missing edge value");
    routes.push({
      hops,
      mode: "send",
      key: `route-${hops.join("-")}-${v[0]}`,
      kind: v[0],
      bytes: v[2],
    });
  }
}

describe(`live exchange through the local runtime (${langs.join(", ")}${skipped.length ? `; skipped: ${skipped.join(", ")}` : ""})`, () => {
  let endpoints: Endpoints;
  let live: LiveRuntime;
  const kafka = new Map<string, Array<{ key: string | null; value: Uint8Array }>>();
  let generic: Array<{ value: Uint8Array; typename: string }> = [];

  const recordsFor = (r: Route) => (kafka.get(r.kind) ?? []).filter((x) => x.key === r.key);

  beforeAll(async () => {
    endpoints = await Endpoints.start(
      langs.filter((l) => l !== "ts") as Array<Exclude<Lang, "ts">>,
    );
    live = await LiveRuntime.start(
      moduleYaml(langs.map((l) => [`compat.${l}/*`, endpoints.url(l)] as const)),
    );
    // everything goes in at once: distinct ids are distinct addresses, served in parallel
    const queue = [...routes];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let r = queue.shift(); r !== undefined; r = queue.shift()) {
          await live.send(
            `compat.${r.hops[0]}/relay`,
            routeId(r, 0),
            TYPENAME[r.kind] ?? "",
            r.bytes,
          );
        }
      }),
    );
    const refresh = async () => {
      for (const kind of KINDS) kafka.set(kind, await live.records(kind));
    };
    await live.until(
      async () => {
        await refresh();
        return routes.every((r) => recordsFor(r).length > 0);
      },
      async () => {
        const missing = routes.filter((r) => recordsFor(r).length === 0).map((r) => routeId(r, 0));
        return `${missing.length} of ${routes.length} routes reached no egress, e.g. ${missing.slice(0, 5).join(", ")}`;
      },
      120_000,
    );
    // the cancelled messages were due CANCEL_DELAY_MS after being scheduled: wait past that
    await new Promise((resolve) => setTimeout(resolve, CANCEL_DELAY_MS + 1_000));
    await refresh();
    generic = await live.records("compat/egress");
  }, 180_000);

  afterAll(async () => {
    await live?.close();
    await endpoints?.stop();
  });

  it.each(pairs.flatMap(([a, b]) => KINDS.map((kind) => [a, b, kind] as const)))(
    "%s -> %s carries every %s edge value: egress equals input, every hop stores it, counters exact",
    (a, b, kind) => {
      const mine = routes.filter(
        (r) => r.mode === "send" && r.kind === kind && r.hops.join() === `${a},${b}`,
      );
      expect(mine.length).toBeGreaterThan(0);
      for (const r of mine) {
        const expected = comparable(kind, afterRoute(r.hops, kind, r.bytes));
        const records = recordsFor(r);
        expect(records, r.key).toHaveLength(1);
        expect(comparable(kind, records[0]?.value), r.key).toEqual(expected);
        for (let hop = 0; hop < r.hops.length; hop++) {
          const type = `compat.${r.hops[hop]}/relay`;
          const stored = live.state(type, routeId(r, hop), `v_${kind}`);
          const held = comparable(kind, afterRoute(r.hops.slice(0, hop + 1), kind, r.bytes));
          // a default value (false, 0, "") is stored as its canonical empty encoding
          expect(
            comparable(kind, stored ?? new Uint8Array(0)),
            `${r.key} state at ${type}`,
          ).toEqual(held);
          const received = live.state(type, routeId(r, hop), "received");
          expect(Buffer.from(received ?? []).toString("hex"), `${r.key} received at ${type}`).toBe(
            ONE,
          );
        }
      }
    },
  );

  it("the generic egress received each delivered value once, with its type", () => {
    const delivered = routes.map(
      (r) =>
        `${TYPENAME[r.kind]} ${JSON.stringify(comparable(r.kind, afterRoute(r.hops, r.kind, r.bytes)))}`,
    );
    const seen = generic.map((g) => {
      const kind = KINDS.find((k) => TYPENAME[k] === g.typename) ?? "?";
      return `${g.typename} ${JSON.stringify(comparable(kind, g.value))}`;
    });
    expect(seen.sort()).toEqual(delivered.sort());
  });

  it.each(pairs)(
    "%s -> %s: sendAfter delivers, a cancelled delayed message never arrives, a reply returns to the caller",
    (a, b) => {
      for (const r of routes.filter((x) => x.mode !== "send" && x.hops.join() === `${a},${b}`)) {
        const expected = comparable(
          r.kind,
          afterRoute(r.mode === "reply" ? [a, b, a] : r.hops, r.kind, r.bytes),
        );
        const records = recordsFor(r);
        expect(records, r.key).toHaveLength(1);
        expect(comparable(r.kind, records[0]?.value), r.key).toEqual(expected);
        const first = live.state(`compat.${a}/relay`, routeId(r, 0), "received");
        const second = live.state(`compat.${b}/relay`, routeId(r, 1), "received");
        expect(Buffer.from(first ?? []).toString("hex"), `${r.key} at ${a}`).toBe(
          r.mode === "reply" ? TWO : ONE,
        );
        expect(Buffer.from(second ?? []).toString("hex"), `${r.key} at ${b}`).toBe(ONE);
      }
    },
  );

  it(`every route through all ${langs.length} SDKs delivers and every hop stores the value`, () => {
    for (const r of routes.filter((x) => x.hops.length > 2)) {
      const records = recordsFor(r);
      expect(records, r.key).toHaveLength(1);
      expect(comparable(r.kind, records[0]?.value), r.key).toEqual(
        comparable(r.kind, afterRoute(r.hops, r.kind, r.bytes)),
      );
      for (let hop = 0; hop < r.hops.length; hop++) {
        const type = `compat.${r.hops[hop]}/relay`;
        const received = live.state(type, routeId(r, hop), "received");
        expect(Buffer.from(received ?? []).toString("hex"), `${r.key} received at ${type}`).toBe(
          ONE,
        );
      }
    }
  });
});
