// Egress records over a real SQLite store: offsets from 0 per topic, consume-once reads with a
// durable cursor, listing without consuming, topic summaries, runs of records stored as one row
// (write order, reads across them), offsets re-read after a transaction that failed halfway (a
// full file), and a file of the row-per-record schema moved over.
import { join } from "node:path";
import Database from "better-sqlite3";
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
    // The second run does not fit: the first one of the same reply is rolled back with it.
    expect(() =>
      store.applyReply(reply([record("greets", 2), record("other", 3, 400 * 1024)], 2)),
    ).toThrow(/full/i);
    expect(store.allRecords().map(brief)).toEqual([["greets", 0, "k1", 1, 1]]);
    const [next] = store.applyReply(reply([record("greets", 4)], 3));
    expect(next?.offset).toBe(1);
    expect(store.allRecords().map((r) => r.offset)).toEqual([0, 1]);
  });

  it("re-reads its offsets after a reply of a group failed after its first record (refused alone)", () => {
    const store = open();
    // A key that is not a string fails the second run, after the first took offset 0 of `other`.
    const unbindable = { ...record("greets", 2), key: {} as unknown as string };
    const results = store.applyReplies([
      reply([record("other", 1), unbindable], 1),
      reply([record("greets", 3)], 1),
    ]);
    expect(results.map((r) => r.ok)).toEqual([false, true]);
    expect(store.allRecords().map(brief)).toEqual([["greets", 0, "k3", 3, 1]]);
    const [next] = store.applyReply(reply([record("other", 4)], 2));
    expect(next?.offset).toBe(0);
  });

  it("keeps the write order across topics, and reads across the runs of records it stores", () => {
    const store = open();
    // Runs: greets [0, 1], stream [0], greets [2]; then greets [3..5] in a later reply.
    store.applyReply(
      reply(
        [record("greets", 1), record("greets", 2), record("stream", 3), record("greets", 4)],
        1,
      ),
    );
    store.applyReply(
      reply(
        [5, 6, 7].map((i) => record("greets", i)),
        2,
      ),
    );
    expect(
      store.database().prepare("SELECT topic, first_offset, count FROM egress_pack").all(),
    ).toEqual([
      { topic: "greets", first_offset: 0, count: 2 },
      { topic: "stream", first_offset: 0, count: 1 },
      { topic: "greets", first_offset: 2, count: 1 },
      { topic: "greets", first_offset: 3, count: 3 },
    ]);
    expect(store.allRecords().map((r) => [r.topic, r.offset, r.value[0]])).toEqual([
      ["greets", 0, 1],
      ["greets", 1, 2],
      ["stream", 0, 3],
      ["greets", 2, 4],
      ["greets", 3, 5],
      ["greets", 4, 6],
      ["greets", 5, 7],
    ]);
    const offsets = (from: number, limit: number) =>
      store.listRecords("greets", from, limit).map((r) => r.offset);
    expect(offsets(1, 3)).toEqual([1, 2, 3]);
    expect(offsets(4, -1)).toEqual([4, 5]);
    expect(offsets(2, 1)).toEqual([2]);
    expect(offsets(0, 0)).toEqual([]);
    expect(offsets(6, 5)).toEqual([]);
    // The cursor inside a run: unread counts only what lies after it.
    for (const expected of [0, 1, 2, 3]) {
      expect(store.consumeNext("greets")?.offset).toBe(expected);
    }
    expect(store.topics()).toEqual([
      { topic: "greets", kind: "kafka", records: 6, unread: 2 },
      { topic: "stream", kind: "kinesis", records: 1, unread: 1 },
    ]);
    expect(brief(store.consumeNext("greets"))).toEqual(["greets", 4, null, 6, 2]);
    expect(store.consumeNext("greets")?.offset).toBe(5);
    expect(store.consumeNext("greets")).toBeUndefined();
    expect(store.topics()[0]?.unread).toBe(0);
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

  it("moves the records of a file with a row per record into runs, offsets and cursors kept", () => {
    const file = join(stores.tempDir(), "state.db");
    stores.open(file).close();
    const db = new Database(file);
    db.exec(`DROP TABLE egress_pack;
      CREATE TABLE egress (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, "offset" INTEGER NOT NULL,
        kind TEXT NOT NULL, egress_id TEXT NOT NULL, key TEXT, value BLOB NOT NULL,
        typename TEXT NOT NULL, timestamp INTEGER NOT NULL, UNIQUE (topic, "offset"));
      INSERT INTO egress_cursor (topic, next_offset) VALUES ('greets', 1);
      PRAGMA user_version = 2;`);
    const insert = db.prepare(
      `INSERT INTO egress (topic, "offset", kind, egress_id, key, value, typename, timestamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    insert.run("greets", 0, "kafka", "t.io/greets", "k1", Buffer.from([1]), "t/text", 10);
    insert.run("stream", 0, "kinesis", "t.io/stream", null, Buffer.from([2]), "t/text", 11);
    insert.run("greets", 1, "kafka", "t.io/greets", null, Buffer.from([]), "t/é", 12);
    // More than a page of the move.
    for (let i = 0; i < 2500; i += 1) {
      insert.run("bulk", i, "kafka", "t.io/bulk", null, Buffer.from([i % 256]), "t/text", 14);
    }
    db.close();
    const store = stores.open(file);
    const moved = store.allRecords();
    expect(
      moved.slice(0, 3).map((r) => [r.topic, r.offset, r.key, [...r.value], r.typename]),
    ).toEqual([
      ["greets", 0, "k1", [1], "t/text"],
      ["stream", 0, null, [2], "t/text"],
      ["greets", 1, null, [], "t/é"],
    ]);
    expect(moved.slice(0, 3).map((r) => [r.kind, r.egressId, r.timestamp])).toEqual([
      ["kafka", "t.io/greets", 10],
      ["kinesis", "t.io/stream", 11],
      ["kafka", "t.io/greets", 12],
    ]);
    expect(moved.slice(3).map((r) => r.offset)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(store.listRecords("bulk", 2499, 1)[0]?.value[0]).toBe(2499 % 256);
    expect(store.topics()).toEqual([
      { topic: "bulk", kind: "kafka", records: 2500, unread: 2500 },
      { topic: "greets", kind: "kafka", records: 2, unread: 1 },
      { topic: "stream", kind: "kinesis", records: 1, unread: 1 },
    ]);
    expect(store.consumeNext("greets")?.offset).toBe(1);
    expect(store.applyReply(reply([record("greets", 3)], 13))[0]?.offset).toBe(2);
    expect(
      store.database().prepare("SELECT name FROM sqlite_master WHERE name = 'egress'").all(),
    ).toEqual([]);
  });
});
