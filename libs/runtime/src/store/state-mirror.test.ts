// The state room's memory mirror: reads after a commit see the write; a rolled-back reply (a
// refused one in a group, or a failed transaction) leaves the mirror as the table is.
import { describe, expect, it } from "vitest";
import { DurableStore } from "../durable-store.js";
import type { AddressKey, ReplyEffects, StoredValue } from "./store-types.js";

const self: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const other: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const tick: StoredValue = { typename: "t.types/tick", hasValue: true, value: new Uint8Array([1]) };
const none = new Map([["count", { mode: "none" as const, ttlMs: 0 }]]);

function setCount(address: AddressKey, value: number, token?: string): ReplyEffects {
  return {
    self: address,
    consumedSeqs: [],
    stateChanges: [{ kind: "set", name: "count", value: new Uint8Array([value]) }],
    registered: none,
    outgoing: [],
    delayed:
      token === undefined
        ? []
        : [{ kind: "add", dueAt: 10_000, token, target: address, argument: tick }],
    egress: [],
    now: 1,
  };
}

function count(store: DurableStore, address: AddressKey): number | undefined {
  return store.readStates(address, ["count"], 2).get("count")?.[0];
}

describe("the state mirror", () => {
  it("serves committed writes and drops the writes of a refused reply in the same group", () => {
    const store = new DurableStore(":memory:");
    try {
      expect(count(store, self)).toBeUndefined(); // mirrored (empty) from here on
      store.applyReplies([setCount(self, 1, "t1")]);
      expect(count(store, self)).toBe(1);
      // The second reply reuses token t1 (DuplicateTokenError): its state write is rolled back.
      const results = store.applyReplies([setCount(other, 7), setCount(self, 2, "t1")]);
      expect(results.map((r) => r.ok)).toEqual([true, false]);
      expect(count(store, self)).toBe(1);
      expect(count(store, other)).toBe(7);
      expect(store.peekState(self, "count", 2)?.[0]).toBe(1);
    } finally {
      store.close();
    }
  });

  it("keeps its own copy of a written value", () => {
    const store = new DurableStore(":memory:");
    try {
      count(store, self);
      const effects = setCount(self, 3);
      store.applyReplies([effects]);
      const change = effects.stateChanges[0];
      if (change?.kind === "set") change.value.fill(9);
      expect(count(store, self)).toBe(3);
    } finally {
      store.close();
    }
  });
});
