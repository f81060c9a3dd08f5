// Delayed messages over a real SQLite store: scheduled and cancelled per sender, tokens unique
// among a sender's pending messages, and released into their targets' queues in due order with
// the sender as caller.
import { describe, expect, it } from "vitest";
import {
  type AddressKey,
  type DelayedOp,
  DuplicateTokenError,
  type ReplyEffects,
  type StoredValue,
} from "../src/durable-store.js";
import { replyEffects, storeFixture, value } from "./store-fixture.js";

const a: AddressKey = { namespace: "t.fns", type: "counter", id: "a" };
const b: AddressKey = { namespace: "t.fns", type: "counter", id: "b" };
const s1: AddressKey = { namespace: "t.fns", type: "sender", id: "1" };
const s2: AddressKey = { namespace: "t.fns", type: "sender", id: "2" };
const absent: StoredValue = { typename: "t/none", hasValue: false, value: new Uint8Array() };
const add = (dueAt: number, target: AddressKey, argument: StoredValue, token?: string) =>
  ({ kind: "add", dueAt, token, target, argument }) as const;

function reply(self: AddressKey, delayed: DelayedOp[]): ReplyEffects {
  return replyEffects(self, { delayed });
}

describe("delayed messages", () => {
  const { open } = storeFixture();

  it("releases due messages in due order (then scheduling order) with the sender as caller", () => {
    const store = open();
    expect(store.nextDueAt()).toBeUndefined();
    expect(store.delayedCount()).toBe(0);
    store.applyReply(
      reply(s1, [add(300, a, value(1)), add(100, b, absent), add(300, b, value(3))]),
    );
    store.applyReply(reply(s2, [add(100, a, value(4))]));
    expect(store.nextDueAt()).toBe(100);
    expect(store.delayedCount()).toBe(4);
    expect(store.releaseDue(99)).toEqual([]);
    expect(store.releaseDue(100)).toEqual([b, a]);
    expect(store.queuedMessages()).toEqual([
      { seq: 1, target: b, caller: s1, argument: absent },
      { seq: 2, target: a, caller: s2, argument: value(4) },
    ]);
    expect(store.nextDueAt()).toBe(300);
    expect(store.delayedCount()).toBe(2);
    expect(store.releaseDue(1_000)).toEqual([a, b]);
    expect(store.queuedMessages().map((m) => [m.target.id, m.argument.value[0]])).toEqual([
      ["b", undefined],
      ["a", 4],
      ["a", 1],
      ["b", 3],
    ]);
    expect(store.nextDueAt()).toBeUndefined();
    expect(store.database().prepare("SELECT enqueued_at FROM queue ORDER BY seq").all()).toEqual([
      { enqueued_at: 100 },
      { enqueued_at: 100 },
      { enqueued_at: 1_000 },
      { enqueued_at: 1_000 },
    ]);
  });

  it("cancels by token only among the sender's own pending messages, in reply order", () => {
    const store = open();
    store.applyReply(reply(s1, [add(100, a, value(1), "t"), add(100, a, value(2), "u")]));
    store.applyReply(reply(s2, [add(100, a, value(3), "t")]));
    // Cancel then add with the same token in one reply: the add is the new pending message.
    store.applyReply(reply(s1, [{ kind: "cancel", token: "t" }, add(200, b, value(5), "t")]));
    store.applyReply(reply(s1, [{ kind: "cancel", token: "missing" }]));
    expect(store.delayedCount()).toBe(3);
    expect(store.releaseDue(1_000)).toEqual([a, a, b]);
    expect(store.queuedMessages().map((m) => [m.caller?.id, m.argument.value[0]])).toEqual([
      ["1", 2],
      ["2", 3],
      ["1", 5],
    ]);
  });

  it("refuses a token already pending for the sender, naming it, the sender and the due time", () => {
    const store = open();
    store.applyReply(reply(s1, [add(1_000, a, value(1), "t"), add(1_000, a, value(2))]));
    // Messages without a token never clash.
    store.applyReply(reply(s1, [add(1_000, a, value(3))]));
    let error: unknown;
    try {
      store.applyReply(reply(s1, [add(5, b, value(9)), add(2_000, a, value(4), "t")]));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DuplicateTokenError);
    expect((error as Error).message).toBe(
      'a delayed message with cancellation token "t" is already pending for sender t.fns/sender:1 (due at 1970-01-01T00:00:01.000Z); tokens must be unique among a sender\'s pending messages',
    );
    // Nothing of the refused reply was kept.
    expect(store.delayedCount()).toBe(3);
    expect(store.nextDueAt()).toBe(1_000);
    // A token becomes free again once its message was released.
    store.releaseDue(1_000);
    store.applyReply(reply(s1, [add(2_000, a, value(4), "t")]));
    expect(store.delayedCount()).toBe(1);
  });
});
