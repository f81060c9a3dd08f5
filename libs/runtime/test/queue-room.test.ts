// The queue room over a real SQLite store: FIFO per address, batches within a count and a byte
// budget, the memory mirror against the table (a reopened file, a rolled-back reply), consumed
// batches as watermarks and their rows deleted in bulk, callers and absent values kept as they
// were sent.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AddressKey,
  DuplicateTokenError,
  type DurableStore,
  type QueuedMessage,
  type StoredValue,
} from "../src/durable-store.js";
import { MIN_GARBAGE_ROWS, messageBytes } from "../src/store/queue-room.js";
import { replyEffects, storeFixture, value } from "./store-fixture.js";

const a: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const b: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const sender: AddressKey = { namespace: "t.fns", type: "sender", id: "s" };

const absent: StoredValue = { typename: "t/text", hasValue: false, value: new Uint8Array() };

/** A message as [target id, caller id or "-", has value, first byte]. */
const brief = (m: QueuedMessage) => [
  m.target.id,
  m.caller?.id ?? "-",
  m.argument.hasValue,
  m.argument.value[0],
];

describe("the queue room", () => {
  const stores = storeFixture();
  const open = (file?: string) => stores.open(file);
  const tempFile = () => join(stores.tempDir(), "state.db");

  it("keeps one FIFO queue per address and lists every message oldest first", () => {
    const store = open();
    const seqs = store.enqueueAll(
      [
        { target: a, caller: undefined, argument: value(1) },
        { target: b, caller: sender, argument: value(2) },
        { target: a, caller: sender, argument: value(3) },
      ],
      10,
    );
    const fourth = store.enqueue(b, undefined, absent, 11);
    expect(seqs).toEqual([1, 2, 3]);
    expect(fourth).toBe(4);
    expect(store.queueLength()).toBe(4);
    expect(store.queueLength(a)).toBe(2);
    expect(store.queueLength(b)).toBe(2);
    expect(store.queueLength(sender)).toBe(0);
    expect(store.pendingAddresses()).toEqual([a, b]);
    expect(store.queuedMessages().map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(store.queuedMessages().map(brief)).toEqual([
      ["a", "-", true, 1],
      ["b", "s", true, 2],
      ["a", "s", true, 3],
      ["b", "-", false, undefined],
    ]);
    expect(store.takeBatch(a, 0).map((m) => m.seq)).toEqual([1, 3]);
    expect(store.takeBatch(sender, 0)).toEqual([]);
  });

  it("takes at most `limit` messages; 0 or less means all", () => {
    const store = open();
    for (let i = 1; i <= 5; i += 1) store.enqueue(a, undefined, value(i), 1);
    const firstBytes = (batch: QueuedMessage[]) => batch.map((m) => m.argument.value[0]);
    expect(firstBytes(store.takeBatch(a, 2))).toEqual([1, 2]);
    expect(firstBytes(store.takeBatch(a, 1))).toEqual([1]);
    expect(firstBytes(store.takeBatch(a, 9))).toEqual([1, 2, 3, 4, 5]);
    expect(firstBytes(store.takeBatch(a, 0))).toEqual([1, 2, 3, 4, 5]);
    expect(firstBytes(store.takeBatch(a, -1))).toEqual([1, 2, 3, 4, 5]);
  });

  it("fills a batch up to its byte budget exactly, and always takes one message", () => {
    const store = open();
    for (let i = 1; i <= 3; i += 1) store.enqueue(a, undefined, value(i, 30), 1);
    const one = messageBytes((store.takeBatch(a, 1) as [QueuedMessage])[0]);
    expect(one).toBe(30 + 6 + 64);
    const ids = (limit: number, bytes: number) =>
      store.takeBatch(a, limit, bytes).map((m) => m.argument.value[0]);
    expect(ids(0, 2 * one)).toEqual([1, 2]);
    expect(ids(0, 2 * one - 1)).toEqual([1]);
    expect(ids(0, 3 * one)).toEqual([1, 2, 3]);
    expect(ids(0, 1)).toEqual([1]);
    expect(ids(2, 3 * one)).toEqual([1, 2]);
    expect(ids(0, Number.POSITIVE_INFINITY)).toEqual([1, 2, 3]);
  });

  it("removes consumed messages when their reply commits, and forgets emptied addresses", () => {
    const store = open();
    const [first, second, third] = store.enqueueAll(
      [
        { target: a, caller: undefined, argument: value(1) },
        { target: a, caller: undefined, argument: value(2) },
        { target: b, caller: undefined, argument: value(3) },
      ],
      1,
    ) as [number, number, number];
    const consume = (self: AddressKey, consumedSeqs: number[]) =>
      store.applyReply({
        self,
        consumedSeqs,
        stateChanges: [],
        registered: new Map(),
        outgoing: [],
        delayed: [],
        egress: [],
        now: 2,
      });
    consume(a, [first]);
    expect(store.queuedMessages().map((m) => m.seq)).toEqual([second, third]);
    expect(store.queueLength()).toBe(2);
    consume(a, [second, 99]);
    expect(store.queueLength()).toBe(1);
    expect(store.queueLength(a)).toBe(0);
    expect(store.pendingAddresses()).toEqual([b]);
    expect(store.takeBatch(a, 0)).toEqual([]);
    consume(b, [third]);
    expect(store.queueLength()).toBe(0);
    expect(store.pendingAddresses()).toEqual([]);
    expect(store.database().prepare("SELECT COUNT(*) AS n FROM queued").get()).toEqual({ n: 0 });
  });

  describe("consumed batches (a watermark per address, rows deleted in bulk)", () => {
    const consume = (store: DurableStore, self: AddressKey, consumedSeqs: number[]) =>
      store.applyReply(replyEffects(self, { consumedSeqs }));
    const count = (store: DurableStore, table: string) =>
      (store.database().prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

    it("moves the watermark for the oldest messages, and a reopened file does not redeliver them", () => {
      const file = tempFile();
      const first = open(file);
      const seqs = first.enqueueAll(
        [1, 2, 3, 4].map((i) => ({ target: i % 2 ? a : b, caller: undefined, argument: value(i) })),
        1,
      );
      consume(first, a, [seqs[0] as number, seqs[2] as number]);
      // The rows stay until collected; the watermark hides them.
      expect(count(first, "queue")).toBe(4);
      expect(first.database().prepare("SELECT * FROM queue_consumed").all()).toEqual([
        { ...a, upto: seqs[2] },
      ]);
      expect(count(first, "queued")).toBe(2);
      expect(first.queuedMessages().map((m) => m.seq)).toEqual([seqs[1], seqs[3]]);
      first.close();
      const second = open(file);
      expect(second.queuedMessages().map((m) => m.seq)).toEqual([seqs[1], seqs[3]]);
      expect(second.queueLength(a)).toBe(0);
      // New messages of `a` come after the watermark, and are delivered.
      const next = second.enqueue(a, undefined, value(5), 2);
      expect(second.takeBatch(a, 0).map((m) => m.seq)).toEqual([next]);
      second.close();
      expect(
        open(file)
          .takeBatch(a, 0)
          .map((m) => m.seq),
      ).toEqual([next]);
    });

    it("deletes messages one by one when they are not the oldest of their address", () => {
      const store = open();
      const [x, y, z] = store.enqueueAll(
        [1, 2, 3].map((i) => ({ target: a, caller: undefined, argument: value(i) })),
        1,
      ) as [number, number, number];
      consume(store, a, [y]);
      expect(store.database().prepare("SELECT seq FROM queue ORDER BY seq").all()).toEqual([
        { seq: x },
        { seq: z },
      ]);
      expect(count(store, "queue_consumed")).toBe(0);
      // Out of order is not a prefix either.
      consume(store, a, [z, x]);
      expect(count(store, "queue")).toBe(0);
      expect(store.queueLength()).toBe(0);
    });

    it("counts the consumed rows a reopened file holds towards the next collection", () => {
      const file = tempFile();
      const first = open(file);
      const seqs = first.enqueueAll(
        Array.from({ length: MIN_GARBAGE_ROWS - 1 }, () => ({
          target: a,
          caller: undefined,
          argument: value(1),
        })),
        1,
      );
      consume(first, a, seqs);
      first.close();
      const second = open(file);
      expect(count(second, "queue")).toBe(MIN_GARBAGE_ROWS - 1);
      const [last] = second.enqueueAll([{ target: a, caller: undefined, argument: value(2) }], 2);
      consume(second, a, [last as number]);
      expect(count(second, "queue")).toBe(0);
      expect(count(second, "queue_consumed")).toBe(0);
    });

    it("moves the watermarks in a turn that also enqueued messages and consumed others", () => {
      const store = open();
      const [x, y] = store.enqueueAll(
        [
          { target: a, caller: undefined, argument: value(1) },
          { target: b, caller: undefined, argument: value(2) },
        ],
        1,
      ) as [number, number];
      const outcomes = store.commitTurn(
        [
          { kind: "enqueue", target: a, caller: undefined, argument: value(3) },
          { kind: "enqueue", target: b, caller: undefined, argument: value(4) },
          { kind: "reply", effects: replyEffects(b, { consumedSeqs: [y] }) },
          { kind: "reply", effects: replyEffects(a, { consumedSeqs: [x] }) },
        ],
        2,
      );
      expect(outcomes).toHaveLength(4);
      expect(
        store.database().prepare("SELECT id, upto FROM queue_consumed ORDER BY id").all(),
      ).toEqual([
        { id: "a", upto: x },
        { id: "b", upto: y },
      ]);
      expect(store.queuedMessages().map((m) => m.argument.value[0])).toEqual([3, 4]);
    });

    it("counts the batches consumed earlier in the same transaction", () => {
      const store = open();
      const seqs = store.enqueueAll(
        [1, 2, 3].map((i) => ({ target: a, caller: undefined, argument: value(i) })),
        1,
      );
      const results = store.applyReplies([
        replyEffects(a, { consumedSeqs: [seqs[0] as number] }),
        replyEffects(a, { consumedSeqs: [seqs[1] as number, seqs[2] as number] }),
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, true]);
      expect(store.queueLength()).toBe(0);
      expect(count(store, "queue")).toBe(3);
      expect(count(store, "queued")).toBe(0);
      expect(store.database().prepare("SELECT upto FROM queue_consumed").all()).toEqual([
        { upto: seqs[2] },
      ]);
    });

    it("keeps the watermark where it was when the reply is refused", () => {
      const store = open();
      const [first] = store.enqueueAll(
        [{ target: a, caller: undefined, argument: value(1) }],
        1,
      ) as [number];
      const token = { kind: "add" as const, dueAt: 9, token: "k", target: b, argument: absent };
      store.applyReply(replyEffects(a, { delayed: [token] }));
      // Token k of `a` is pending: this reply is refused, its consumption with it.
      const [refused, applied] = store.applyReplies([
        replyEffects(a, { consumedSeqs: [first], delayed: [token] }),
        replyEffects(b, {}),
      ]);
      expect([refused?.ok, applied?.ok]).toEqual([false, true]);
      expect(store.takeBatch(a, 0).map((m) => m.seq)).toEqual([first]);
      expect(count(store, "queue_consumed")).toBe(0);
      expect(count(store, "queued")).toBe(1);
      // Consumed afterwards, it goes.
      consume(store, a, [first]);
      expect(store.queueLength()).toBe(0);
    });

    it("deletes the consumed rows in bulk once they outnumber the live ones and the minimum", () => {
      const file = tempFile();
      const store = open(file);
      // `b` holds one old message that is never consumed; `a` flows, 64 messages a batch (the
      // collection is due exactly at MIN_GARBAGE_ROWS, a multiple of 64).
      const stuck = store.enqueue(b, undefined, value(7), 1);
      let consumed = 0;
      let collectedAt: number | undefined;
      while (consumed < MIN_GARBAGE_ROWS + 200) {
        const seqs = store.enqueueAll(
          Array.from({ length: 64 }, () => ({ target: a, caller: undefined, argument: value(1) })),
          1,
        );
        consume(store, a, seqs);
        consumed += seqs.length;
        if (collectedAt === undefined && consumed >= MIN_GARBAGE_ROWS) collectedAt = consumed;
        // Before the collection every consumed row is still there; after it, only the newer ones.
        expect(count(store, "queue")).toBe(1 + consumed - (collectedAt ?? 0));
        expect(count(store, "queue_consumed")).toBe(consumed === collectedAt ? 0 : 1);
        expect(count(store, "queued")).toBe(1);
      }
      expect(store.queuedMessages().map((m) => m.seq)).toEqual([stuck]);
      store.close();
      expect(
        open(file)
          .queuedMessages()
          .map((m) => m.seq),
      ).toEqual([stuck]);
    });
  });

  it("rebuilds its mirror from the table when the file is reopened", () => {
    const file = tempFile();
    const first = open(file);
    first.enqueue(a, undefined, value(1), 5);
    first.enqueue(b, sender, absent, 6);
    first.enqueue(a, sender, value(3), 7);
    first.close();
    const second = open(file);
    expect(second.queueLength()).toBe(3);
    expect(second.queueLength(a)).toBe(2);
    expect(second.pendingAddresses()).toEqual([a, b]);
    expect(second.queuedMessages()).toEqual([
      { seq: 1, target: a, caller: undefined, argument: value(1) },
      { seq: 2, target: b, caller: sender, argument: absent },
      { seq: 3, target: a, caller: sender, argument: value(3) },
    ]);
    // Sequence numbers go on after the reopened ones.
    expect(second.enqueue(a, undefined, value(4), 8)).toBe(4);
  });

  it("reads a row whose caller is only partly set as a message without caller", () => {
    const file = tempFile();
    const first = open(file);
    for (const [ns, type, id] of [
      ["t.fns", null, "s"],
      [null, "sender", "s"],
      ["t.fns", "sender", null],
    ]) {
      first
        .database()
        .prepare(
          `INSERT INTO queue (namespace, type, id, caller_namespace, caller_type, caller_id,
             typename, has_value, value, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run("t.fns", "counter", "a", ns, type, id, "t/text", 1, Buffer.from([1]), 1);
    }
    first.close();
    expect(
      open(file)
        .queuedMessages()
        .map((m) => m.caller),
    ).toEqual([undefined, undefined, undefined]);
  });

  it("drops the messages of a reply that failed to apply, in the table and the mirror", () => {
    const store = open();
    const tick = value(9);
    const reply = {
      self: sender,
      consumedSeqs: [],
      stateChanges: [],
      registered: new Map(),
      outgoing: [{ target: a, argument: value(1) }],
      delayed: [{ kind: "add" as const, dueAt: 100, token: "t", target: b, argument: tick }],
      egress: [],
      now: 1,
    };
    store.applyReply(reply);
    expect(store.queueLength(a)).toBe(1);
    // The same token again: the whole reply is refused, its outgoing message included.
    expect(() => store.applyReply(reply)).toThrow(DuplicateTokenError);
    expect(store.queueLength()).toBe(1);
    const next = store.enqueue(b, undefined, value(2), 2);
    expect(store.queuedMessages().map((m) => [m.seq, m.target.id])).toEqual([
      [1, "a"],
      [next, "b"],
    ]);
    expect(store.database().prepare("SELECT seq FROM queue ORDER BY seq").all()).toEqual([
      { seq: 1 },
      { seq: next },
    ]);
  });
});
