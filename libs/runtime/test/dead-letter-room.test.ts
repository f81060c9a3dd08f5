// Dead letters over a real SQLite store: queued messages set aside with their reason, attempts
// and times, listed by number, replayed at the end of their target's queue, or dropped.
import { describe, expect, it } from "vitest";
import type { AddressKey, StoredValue } from "../src/durable-store.js";
import { storeFixture, value } from "./store-fixture.js";

const a: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const b: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const sender: AddressKey = { namespace: "t.fns", type: "sender", id: "s" };
const absent: StoredValue = { typename: "t/none", hasValue: false, value: new Uint8Array() };

describe("dead letters", () => {
  const { open } = storeFixture();

  it("moves queued messages aside with reason, attempts and times; unknown numbers are skipped", () => {
    const store = open();
    const s1 = store.enqueue(a, sender, value(1), 100);
    const s2 = store.enqueue(a, undefined, absent, 200);
    const s3 = store.enqueue(a, undefined, value(3), 300);
    expect(store.deadLetter([s1, 42, s2], "HTTP 400: bad", 3, 1_000)).toEqual([1, 2]);
    expect(store.queuedMessages().map((m) => m.seq)).toEqual([s3]);
    expect(store.queueLength(a)).toBe(1);
    expect(store.deadLetters.size()).toBe(2);
    expect(store.listDeadLetters()).toEqual([
      {
        n: 1,
        target: a,
        caller: sender,
        argument: value(1),
        reason: "HTTP 400: bad",
        attempts: 3,
        failedAt: 1_000,
        enqueuedAt: 100,
      },
      {
        n: 2,
        target: a,
        caller: undefined,
        argument: absent,
        reason: "HTTP 400: bad",
        attempts: 3,
        failedAt: 1_000,
        enqueuedAt: 200,
      },
    ]);
    expect(store.deadLetter([s1], "again", 1, 2_000)).toEqual([]);
  });

  it("lists from a number, at most `limit` (negative: all)", () => {
    const store = open();
    const seqs = [1, 2, 3, 4].map((i) => store.enqueue(i % 2 ? a : b, undefined, value(i), i));
    store.deadLetter(seqs, "r", 1, 10);
    const numbers = (from?: number, limit?: number) =>
      store.listDeadLetters(from, limit).map((l) => [l.n, l.target.id]);
    expect(numbers()).toEqual([
      [1, "a"],
      [2, "b"],
      [3, "a"],
      [4, "b"],
    ]);
    expect(numbers(2)).toEqual([
      [2, "b"],
      [3, "a"],
      [4, "b"],
    ]);
    expect(numbers(2, 1)).toEqual([[2, "b"]]);
    expect(numbers(0, 2)).toEqual([
      [1, "a"],
      [2, "b"],
    ]);
    expect(numbers(5)).toEqual([]);
    expect(store.deadLetters.list(3).map((l) => l.n)).toEqual([3, 4]);
    expect(store.deadLetters.get(4)?.target).toEqual(b);
    expect(store.deadLetters.get(5)).toBeUndefined();
  });

  it("replays a dead letter at the end of its target's queue with its caller and value", () => {
    const store = open();
    const s1 = store.enqueue(a, sender, absent, 1);
    store.deadLetter([s1], "r", 2, 5);
    const s2 = store.enqueue(a, undefined, value(2), 6);
    expect(store.replayDeadLetter(1, 7)).toEqual(a);
    expect(store.listDeadLetters()).toEqual([]);
    expect(store.deadLetters.size()).toBe(0);
    const queued = store.queuedMessages();
    expect(queued.map((m) => m.seq)).toEqual([s2, s2 + 1]);
    expect(queued[1]).toEqual({ seq: s2 + 1, target: a, caller: sender, argument: absent });
    expect(store.replayDeadLetter(1, 8)).toBeUndefined();
    expect(store.queueLength()).toBe(2);
    expect(store.database().prepare("SELECT enqueued_at FROM queue ORDER BY seq").all()).toEqual([
      { enqueued_at: 6 },
      { enqueued_at: 7 },
    ]);
  });

  it("drops a dead letter once; dropping an unknown one answers false", () => {
    const store = open();
    store.deadLetter([store.enqueue(a, undefined, value(1), 1)], "r", 1, 2);
    store.deadLetter([store.enqueue(b, undefined, value(2), 1)], "r", 1, 2);
    expect(store.dropDeadLetter(1)).toBe(true);
    expect(store.dropDeadLetter(1)).toBe(false);
    expect(store.dropDeadLetter(7)).toBe(false);
    expect(store.listDeadLetters().map((l) => l.n)).toEqual([2]);
    expect(store.queueLength()).toBe(0);
  });
});
