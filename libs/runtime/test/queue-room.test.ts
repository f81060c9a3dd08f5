// The queue room over a real SQLite store: FIFO per address, batches within a count and a byte
// budget, the memory mirror against the table (a reopened file, a rolled-back reply), callers and
// absent values kept as they were sent.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  type AddressKey,
  DuplicateTokenError,
  type QueuedMessage,
  type StoredValue,
} from "../src/durable-store.js";
import { messageBytes } from "../src/store/queue-room.js";
import { storeFixture, value } from "./store-fixture.js";

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
    expect(store.database().prepare("SELECT COUNT(*) AS n FROM queue").get()).toEqual({ n: 0 });
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
