// Egress records over a real SQLite store: offsets from 0 per topic, consume-once reads with a
// durable cursor, listing without consuming, topic summaries, and offsets re-read after a
// transaction that failed halfway (a full file).
import { describe, expect, it } from "vitest";
import type {
  AddressKey,
  DurableStore,
  EgressRecord,
  ReplyEffects,
  StoredEgressRecord,
} from "../src/durable-store.js";
import { replyEffects, storeFixture } from "./store-fixture.js";

const self: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };

const record = (topic: string, fill: number, size = 1): EgressRecord => ({
  topic,
  kind: topic === "stream" ? "kinesis" : "kafka",
  egressId: `t.io/${topic}`,
  key: fill % 2 === 0 ? null : `k${fill}`,
  value: new Uint8Array(size).fill(fill),
  typename: "t/text",
});

function reply(egress: EgressRecord[], now: number): ReplyEffects {
  return replyEffects(self, { egress, now });
}

const brief = (r: StoredEgressRecord | undefined) =>
  r === undefined ? undefined : [r.topic, r.offset, r.key, r.value[0], r.timestamp];

describe("the egress room", () => {
  const stores = storeFixture();
  function open(maxBytes?: number): DurableStore {
    return stores.open(":memory:", maxBytes === undefined ? {} : { maxBytes });
  }

  it("numbers records from 0 per topic and returns them as stored", () => {
    const store = open();
    const stored = store.applyReply(
      reply([record("greets", 1), record("stream", 2), record("greets", 3)], 100),
    );
    expect(stored).toEqual([
      { ...record("greets", 1), offset: 0, timestamp: 100 },
      { ...record("stream", 2), offset: 0, timestamp: 100 },
      { ...record("greets", 3), offset: 1, timestamp: 100 },
    ]);
    store.applyReply(reply([record("greets", 4)], 200));
    expect(store.allRecords().map(brief)).toEqual([
      ["greets", 0, "k1", 1, 100],
      ["stream", 0, null, 2, 100],
      ["greets", 1, "k3", 3, 100],
      ["greets", 2, null, 4, 200],
    ]);
    expect(store.allRecords()[1]?.kind).toBe("kinesis");
    expect(store.allRecords()[1]?.egressId).toBe("t.io/stream");
  });

  it("consumes each record once, in offset order, per topic", () => {
    const store = open();
    store.applyReply(reply([record("greets", 1), record("other", 2), record("greets", 3)], 1));
    expect(brief(store.consumeNext("greets"))).toEqual(["greets", 0, "k1", 1, 1]);
    expect(store.topics()).toEqual([
      { topic: "greets", kind: "kafka", records: 2, unread: 1 },
      { topic: "other", kind: "kafka", records: 1, unread: 1 },
    ]);
    expect(brief(store.consumeNext("greets"))).toEqual(["greets", 1, "k3", 3, 1]);
    expect(store.consumeNext("greets")).toBeUndefined();
    expect(store.consumeNext("nothing")).toBeUndefined();
    store.applyReply(reply([record("greets", 5)], 2));
    expect(brief(store.consumeNext("greets"))).toEqual(["greets", 2, "k5", 5, 2]);
    expect(brief(store.consumeNext("other"))).toEqual(["other", 0, null, 2, 1]);
    expect(store.topics()).toEqual([
      { topic: "greets", kind: "kafka", records: 3, unread: 0 },
      { topic: "other", kind: "kafka", records: 1, unread: 0 },
    ]);
  });

  it("lists records from an offset without consuming them", () => {
    const store = open();
    store.applyReply(
      reply(
        [1, 2, 3, 4].map((i) => record("greets", i)),
        1,
      ),
    );
    const offsets = (from: number, limit: number) =>
      store.listRecords("greets", from, limit).map((r) => r.offset);
    expect(offsets(0, -1)).toEqual([0, 1, 2, 3]);
    expect(offsets(1, 2)).toEqual([1, 2]);
    expect(offsets(3, 10)).toEqual([3]);
    expect(offsets(4, -1)).toEqual([]);
    expect(store.listRecords("other", 0, -1)).toEqual([]);
    expect(brief(store.consumeNext("greets"))?.[1]).toBe(0);
  });

  it("re-reads its offsets after a transaction failed halfway (a full file keeps nothing)", () => {
    const store = open(256 * 1024);
    store.applyReply(reply([record("greets", 1)], 1));
    // The second record does not fit: the first one of the same reply is rolled back with it.
    expect(() =>
      store.applyReply(reply([record("greets", 2), record("greets", 3, 400 * 1024)], 2)),
    ).toThrow(/full/i);
    expect(store.allRecords().map(brief)).toEqual([["greets", 0, "k1", 1, 1]]);
    const [next] = store.applyReply(reply([record("greets", 4)], 3));
    expect(next?.offset).toBe(1);
    expect(store.allRecords().map((r) => r.offset)).toEqual([0, 1]);
  });

  it("re-reads its offsets after a reply of a group failed after its first record (refused alone)", () => {
    const store = open();
    // A key SQLite cannot bind fails the second append, after the first one took offset 0.
    const unbindable = { ...record("greets", 2), key: {} as unknown as string };
    const results = store.applyReplies([
      reply([record("greets", 1), unbindable], 1),
      reply([record("greets", 3)], 1),
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(store.allRecords().map(brief)).toEqual([["greets", 0, "k3", 3, 1]]);
  });

  it("re-reads its offsets after a group whose transaction failed (nothing of it kept)", () => {
    const store = open(256 * 1024);
    expect(() =>
      store.applyReplies([
        reply([record("greets", 1)], 1),
        reply([record("greets", 3, 400 * 1024)], 1),
      ]),
    ).toThrow(/full/i);
    expect(store.allRecords()).toEqual([]);
    const [applied] = store.applyReplies([reply([record("greets", 5)], 2)]);
    expect(applied).toEqual({
      ok: true,
      egress: [{ ...record("greets", 5), offset: 0, timestamp: 2 }],
    });
  });
});
