// The binary form of a run of egress records: every field round-trips (absent and empty keys,
// empty values, non-ASCII text, each kind), and a damaged pack is refused with the topic named.
import { describe, expect, it } from "vitest";
import { decodePack, encodePack } from "../src/store/egress-pack.js";
import type { EgressRecord } from "../src/store/store-types.js";

const records: EgressRecord[] = [
  {
    topic: "t",
    kind: "kafka",
    egressId: "t.io/out",
    key: "k",
    value: new Uint8Array([1, 2, 3]),
    typename: "t/x",
  },
  {
    topic: "t",
    kind: "kinesis",
    egressId: "t.io/é",
    key: null,
    value: new Uint8Array(),
    typename: "",
  },
  {
    topic: "t",
    kind: "generic",
    egressId: "",
    key: "",
    value: new Uint8Array(70_000).fill(7),
    typename: "t/ünïcode ✓",
  },
];

describe("egress packs", () => {
  it("round-trips every field of every record, in order", () => {
    const pack = encodePack(records);
    expect(decodePack("t", pack, 7, 99)).toEqual(
      records.map((r, i) => ({ ...r, offset: 7 + i, timestamp: 99 })),
    );
    expect(encodePack([])).toHaveLength(0);
    expect(decodePack("t", encodePack([]), 0, 0)).toEqual([]);
  });

  it("copies values out of the pack", () => {
    const pack = encodePack(records.slice(0, 1));
    const [decoded] = decodePack("t", pack, 0, 0);
    pack.fill(0);
    expect([...(decoded?.value ?? [])]).toEqual([1, 2, 3]);
  });

  it("refuses a truncated pack or an unknown kind, naming the topic", () => {
    const pack = encodePack(records);
    for (const end of [3, 10, pack.length - 1]) {
      expect(() => decodePack("greets", pack.subarray(0, end), 0, 0)).toThrow(
        "egress pack of topic greets is truncated",
      );
    }
    const bad = Buffer.from(pack);
    bad[0] = 9;
    expect(() => decodePack("greets", bad, 0, 0)).toThrow(
      "egress pack of topic greets has an unknown kind",
    );
  });
});
