import { describe, expect, it } from "vitest";
import { checkGeneric, checkRoute } from "./check.js";
import { encodeCounter, expectedEgress, expectedHops } from "./expected.js";
import { edgeValue, kindTypename, routesOver } from "./route.js";
import { addressKey, type ExchangeObservation } from "./run.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** An observation in which every hop of `route` holds `held(hop)` and counted `received(hop)`. */
function observe(
  route: ReturnType<typeof routesOver>[number],
  egress: Uint8Array[],
  held: (hop: number) => Uint8Array,
  received: (hop: number) => bigint,
): ExchangeObservation {
  const states = new Map<string, Map<string, Uint8Array>>();
  expectedHops(route).forEach((h, hop) => {
    states.set(
      addressKey(h.functionType, h.id),
      new Map([
        [h.state, held(hop)],
        ["received", encodeCounter(received(hop))],
      ]),
    );
  });
  return {
    delivered: new Map([
      [route.key, egress.map((value) => ({ key: route.key, value, typename: "kafka" }))],
    ]),
    generic: egress.map((value) => ({ value, typename: kindTypename(route.kind) })),
    states,
    deliveredMs: 0,
    dumpedMs: 0,
    dumpPhaseMs: [],
  };
}

describe("exchange checks", () => {
  const neg0 = edgeValue("double", "neg0");

  it("expects -0.0 to lose its sign at Java and Python only (the documented divergence)", () => {
    const [viaGo] = routesOver(["ts", "go"], [neg0]);
    const [viaJava] = routesOver(["ts", "java", "go"], [neg0]);
    expect(expectedEgress(viaGo!)).toBe(hex(neg0.bytes));
    expect(expectedEgress(viaJava!)).toBe("");
    expect(expectedHops(viaJava!).map((h) => h.value)).toEqual([hex(neg0.bytes), "", ""]);
  });

  it("accepts a correct observation and names every wrong egress, state and counter", () => {
    const [route] = routesOver(["go", "python"], [neg0]);
    if (route === undefined) throw new Error("no route");
    const good = observe(
      route,
      [new Uint8Array(0)],
      (hop) => (hop === 0 ? neg0.bytes : new Uint8Array(0)),
      () => 1n,
    );
    expect(checkRoute(route, good)).toEqual([]);
    expect(checkGeneric([route], good)).toEqual([]);

    // a cancelled copy that arrived anyway: the second hop counted 2
    const twice = observe(
      route,
      [new Uint8Array(0)],
      () => new Uint8Array(0),
      (hop) => BigInt(hop + 1),
    );
    expect(checkRoute(route, twice)).toEqual([
      expect.stringContaining(
        `${route.key} at compat.go/relay go.python~send~${route.key}: v_double =`,
      ),
      expect.stringContaining(`at compat.python/relay python~send~${route.key}: received = `),
    ]);

    // delivered twice, with the sign kept by Python: two problems at the egress
    const duplicated = observe(
      route,
      [neg0.bytes, neg0.bytes],
      (hop) => (hop === 0 ? neg0.bytes : new Uint8Array(0)),
      () => 1n,
    );
    expect(checkRoute(route, duplicated)).toHaveLength(3);
    expect(checkGeneric([route], duplicated)).toHaveLength(2);
  });

  it("expects a reply to return to the hop before the last, which counts 2", () => {
    const [route] = routesOver(["ts", "go"], [edgeValue("string", "ascii")], "reply");
    expect(expectedHops(route!).map((h) => [h.id, h.received])).toEqual([
      [`ts.go~reply~${route!.key}`, 2n],
      [`go~reply~${route!.key}`, 1n],
    ]);
  });
});
