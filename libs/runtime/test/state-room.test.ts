// The state room over a real SQLite store: writes and deletes, expiry after write and after
// invoke (values read, peeked and deleted at exactly the expiry time), the memory mirror against
// the table, and a file that already holds a value with a TTL when it is opened.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type {
  AddressKey,
  DurableStore,
  ReplyEffects,
  StateChange,
  StateExpiry,
} from "../src/durable-store.js";
import { replyEffects, storeFixture } from "./store-fixture.js";

const self: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const other: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const none: StateExpiry = { mode: "none", ttlMs: 0 };

function effects(
  address: AddressKey,
  stateChanges: StateChange[],
  registered: Record<string, StateExpiry>,
  now: number,
): ReplyEffects {
  return replyEffects(address, {
    stateChanges,
    registered: new Map(Object.entries(registered)),
    now,
  });
}

const set = (name: string, ...bytes: number[]): StateChange => ({
  kind: "set",
  name,
  value: new Uint8Array(bytes),
});

/** The rows of the `state` table, as [id, name, first byte, expires_at]. */
function rows(store: DurableStore): Array<[string, string, number, number | null]> {
  return (
    store
      .database()
      .prepare("SELECT id, name, value, expires_at FROM state ORDER BY id, name")
      .all() as Array<{ id: string; name: string; value: Buffer; expires_at: number | null }>
  ).map((r) => [r.id, r.name, r.value[0] as number, r.expires_at]);
}

/** The named states of an address as name -> first byte. */
function read(store: DurableStore, address: AddressKey, names: string[], now: number) {
  return Object.fromEntries(
    [...store.readStates(address, names, now)].map(([name, value]) => [name, [...value]]),
  );
}

describe("the state room", () => {
  const stores = storeFixture();
  const open = (file?: string) => stores.open(file);

  it("writes, overwrites and deletes values per address; reads only the names asked for", () => {
    const store = open();
    store.applyReply(effects(self, [set("a", 1), set("b", 2)], { a: none, b: none }, 10));
    store.applyReply(effects(other, [set("a", 9)], { a: none }, 10));
    expect(read(store, self, ["a", "b", "c"], 11)).toEqual({ a: [1], b: [2] });
    expect(read(store, self, ["b"], 11)).toEqual({ b: [2] });
    expect(read(store, self, [], 11)).toEqual({});
    store.applyReply(effects(self, [set("a", 3), { kind: "delete", name: "b" }], {}, 12));
    expect(read(store, self, ["a", "b"], 13)).toEqual({ a: [3] });
    expect(read(store, other, ["a"], 13)).toEqual({ a: [9] });
    expect(rows(store)).toEqual([
      ["a", "a", 3, null],
      ["b", "a", 9, null],
    ]);
    expect([...(store.peekState(self, "a", 13) ?? [])]).toEqual([3]);
    expect(store.peekState(self, "b", 13)).toBeUndefined();
  });

  it("expires a value written with after-write at write time + TTL, in reads, peeks and the table", () => {
    const store = open();
    const ttl: StateExpiry = { mode: "after-write", ttlMs: 100 };
    // A read first, so that the address is mirrored and the mirror's expiry is tested too.
    expect(read(store, self, ["s", "keep"], 999)).toEqual({});
    store.applyReply(effects(self, [set("s", 5), set("keep", 6)], { s: ttl, keep: none }, 1_000));
    expect(rows(store)).toEqual([
      ["a", "keep", 6, null],
      ["a", "s", 5, 1_100],
    ]);
    expect(read(store, self, ["s", "keep"], 1_099)).toEqual({ s: [5], keep: [6] });
    expect([...(store.peekState(self, "s", 1_099) ?? [])]).toEqual([5]);
    // Expired exactly at write time + TTL.
    expect(read(store, self, ["s", "keep"], 1_100)).toEqual({ keep: [6] });
    expect(store.peekState(self, "s", 1_100)).toBeUndefined();
    // A read never deletes; the next reply of the address does, at its own time.
    expect(rows(store).length).toBe(2);
    store.applyReply(effects(self, [], { s: ttl, keep: none }, 1_099));
    expect(rows(store).length).toBe(2);
    expect(read(store, self, ["s"], 1_099)).toEqual({ s: [5] });
    store.applyReply(effects(self, [], { s: ttl, keep: none }, 1_100));
    expect(rows(store)).toEqual([["a", "keep", 6, null]]);
    // The mirror dropped it too: the value is gone even for a read at an earlier time.
    expect(read(store, self, ["s", "keep"], 1_000)).toEqual({ keep: [6] });
  });

  it("leaves the values of other addresses alone when an address's values expire", () => {
    const store = open();
    const ttl: StateExpiry = { mode: "after-write", ttlMs: 10 };
    store.applyReply(effects(self, [set("s", 1)], { s: ttl }, 0));
    store.applyReply(effects(other, [set("s", 2)], { s: ttl }, 0));
    store.applyReply(effects(self, [], { s: ttl }, 50));
    expect(rows(store)).toEqual([["b", "s", 2, 10]]);
  });

  it("moves the expiry of an after-invoke value on every reply of the address, written or not", () => {
    const store = open();
    const ttl: StateExpiry = { mode: "after-invoke", ttlMs: 100 };
    const write: StateExpiry = { mode: "after-write", ttlMs: 100 };
    expect(read(store, self, ["i"], 0)).toEqual({});
    store.applyReply(effects(self, [set("i", 1), set("w", 2)], { i: ttl, w: write }, 1_000));
    expect(rows(store)).toEqual([
      ["a", "i", 1, 1_100],
      ["a", "w", 2, 1_100],
    ]);
    // A reply that writes nothing: `i` is touched (expires 100 ms after this reply), `w` is not.
    store.applyReply(effects(self, [], { i: ttl, w: write }, 1_050));
    expect(rows(store)).toEqual([
      ["a", "i", 1, 1_150],
      ["a", "w", 2, 1_100],
    ]);
    expect(read(store, self, ["i", "w"], 1_120)).toEqual({ i: [1] });
    expect(read(store, self, ["i"], 1_150)).toEqual({});
    expect([...(store.peekState(self, "i", 1_149) ?? [])]).toEqual([1]);
    // A reply that deletes `i` does not bring it back by touching it.
    store.applyReply(effects(self, [{ kind: "delete", name: "i" }], { i: ttl }, 1_140));
    expect(rows(store)).toEqual([]);
    expect(read(store, self, ["i"], 1_140)).toEqual({});
  });

  it("touches an after-invoke value for an address whose states were never read (table only)", () => {
    const store = open();
    const ttl: StateExpiry = { mode: "after-invoke", ttlMs: 100 };
    store.applyReply(effects(self, [set("i", 1)], { i: ttl }, 1_000));
    store.applyReply(effects(self, [], { i: ttl }, 1_090));
    expect(read(store, self, ["i"], 1_180)).toEqual({ i: [1] });
    expect(read(store, self, ["i"], 1_190)).toEqual({});
  });

  it("expires a value stored without TTL once a later registration touches it after invoke", () => {
    const store = open();
    store.applyReply(effects(self, [set("i", 1)], { i: none }, 1_000));
    const ttl: StateExpiry = { mode: "after-invoke", ttlMs: 100 };
    store.applyReply(effects(self, [], { i: ttl }, 1_000));
    expect(rows(store)).toEqual([["a", "i", 1, 1_100]]);
    store.applyReply(effects(other, [], {}, 1_200));
    expect(rows(store)).toEqual([["a", "i", 1, 1_100]]);
    store.applyReply(effects(self, [], {}, 1_200));
    expect(rows(store)).toEqual([]);
  });

  it("writes an after-invoke value with its TTL from the time of the write", () => {
    const store = open();
    const ttl: StateExpiry = { mode: "after-invoke", ttlMs: 40 };
    store.applyReply(effects(self, [set("i", 7)], { i: ttl }, 500));
    expect(rows(store)).toEqual([["a", "i", 7, 540]]);
  });

  it("expires values of a file that held a TTL when it was opened", () => {
    const file = join(stores.tempDir(), "state.db");
    const first = open(file);
    first.applyReply(
      effects(self, [set("s", 1)], { s: { mode: "after-write", ttlMs: 10 } }, 1_000),
    );
    first.close();
    // Reopened: the first reply after expiry deletes the row, though this process never wrote a TTL.
    const second = open(file);
    expect(rows(second)).toEqual([["a", "s", 1, 1_010]]);
    second.applyReply(effects(self, [set("n", 2)], { n: none }, 2_000));
    expect(rows(second)).toEqual([["a", "n", 2, null]]);
  });

  it("keeps its mirror as the table after a refused reply rolled back (expired values included)", () => {
    const store = open();
    const ttl: StateExpiry = { mode: "after-write", ttlMs: 10 };
    store.applyReply(effects(self, [set("s", 1)], { s: ttl }, 0));
    expect(read(store, self, ["s"], 5)).toEqual({ s: [1] });
    const tick = { typename: "t/tick", hasValue: true, value: new Uint8Array([1]) };
    const delayed = {
      kind: "add" as const,
      dueAt: 10_000,
      token: "t1",
      target: self,
      argument: tick,
    };
    store.applyReply({ ...effects(self, [], { s: ttl }, 5), delayed: [delayed] });
    // The same token again: refused, its expiry and its write rolled back with it.
    const [refused] = store.applyReplies([
      { ...effects(self, [set("s", 2)], { s: ttl }, 20), delayed: [delayed] },
    ]);
    expect(refused?.ok).toBe(false);
    expect(rows(store)).toEqual([["a", "s", 1, 10]]);
    expect(read(store, self, ["s"], 5)).toEqual({ s: [1] });
  });
});
