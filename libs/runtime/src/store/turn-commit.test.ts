// One transaction per event-loop turn (DurableStore.commitTurn): messages accepted by the ingress
// and replies of functions commit together, each reply all or nothing on its own, and a failed
// transaction applies nothing of either.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { DurableStore } from "../durable-store.js";
import type { AddressKey, ReplyEffects, StoredValue } from "./store-types.js";

const self: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const other: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const tick: StoredValue = { typename: "t.types/tick", hasValue: true, value: new Uint8Array([1]) };
const none = new Map([["count", { mode: "none" as const, ttlMs: 0 }]]);

function reply(address: AddressKey, consumed: number[], value: number, token?: string) {
  const effects: ReplyEffects = {
    self: address,
    consumedSeqs: consumed,
    stateChanges: [{ kind: "set", name: "count", value: new Uint8Array([value]) }],
    registered: none,
    outgoing: [],
    delayed:
      token === undefined
        ? []
        : [{ kind: "add", dueAt: 10_000, token, target: address, argument: tick }],
    egress: [
      {
        topic: "counts",
        kind: "kafka",
        egressId: "t.io/out",
        key: address.id,
        value: new Uint8Array([value]),
        typename: "t.types/count",
      },
    ],
    now: 1,
  };
  return { kind: "reply" as const, effects };
}

function enqueue(target: AddressKey) {
  return { kind: "enqueue" as const, target, caller: undefined, argument: tick };
}

describe("commitTurn", () => {
  it("applies enqueues and replies in order in one transaction; a refused reply is rolled back alone", () => {
    const store = new DurableStore(":memory:");
    try {
      const [first, second] = store.commitTurn([enqueue(self), enqueue(self)], 1) as number[];
      store.commitTurn([enqueue(other), reply(self, [first as number], 1, "t1")], 1);
      const outcomes = store.commitTurn(
        [
          reply(self, [second as number], 2, "t1"), // token t1 is pending: refused
          enqueue(self),
          reply(other, [], 7),
        ],
        1,
      );
      expect(typeof outcomes[1]).toBe("number");
      expect(outcomes.map((o) => (typeof o === "number" ? "seq" : o.ok))).toEqual([
        false,
        "seq",
        true,
      ]);
      // The refused reply consumed nothing and wrote nothing; the enqueue after it stays.
      expect(store.queuedMessages().map((m) => m.seq)).toEqual([
        second,
        expect.any(Number),
        expect.any(Number),
      ]);
      expect(store.queueLength(self)).toBe(2);
      expect(store.peekState(self, "count", 2)?.[0]).toBe(1);
      expect(store.peekState(other, "count", 2)?.[0]).toBe(7);
      expect(store.allRecords().map((r) => [r.key, r.offset])).toEqual([
        ["a", 0],
        ["b", 1],
      ]);
    } finally {
      store.close();
    }
  });

  it("applies nothing of the turn when its transaction fails (another process holds the write lock)", () => {
    const file = join(tmpdir(), `statefun-turn-${process.pid}-${Date.now()}.db`);
    const store = new DurableStore(file);
    const blocker = new Database(file);
    try {
      const [seq] = store.commitTurn([enqueue(self)], 1) as number[];
      blocker.exec("BEGIN IMMEDIATE");
      expect(() => store.commitTurn([enqueue(other), reply(self, [seq as number], 5)], 1)).toThrow(
        /locked|busy/i,
      );
      blocker.exec("ROLLBACK");
      expect(store.queuedMessages().map((m) => m.seq)).toEqual([seq]);
      expect(store.queueLength(other)).toBe(0);
      expect(store.peekState(self, "count", 2)).toBeUndefined();
      expect(store.allRecords()).toEqual([]);
      // Once the lock is gone the same turn commits, offsets from 0.
      store.commitTurn([enqueue(other), reply(self, [seq as number], 5)], 1);
      expect(store.queueLength(self)).toBe(0);
      expect(store.queueLength(other)).toBe(1);
      expect(store.allRecords().map((r) => r.offset)).toEqual([0]);
    } finally {
      blocker.close();
      store.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
    }
  });
});
