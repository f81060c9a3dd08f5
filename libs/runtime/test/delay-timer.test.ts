// The delay timer on its own, over a real in-memory store and a clock moved by hand: one timer
// for the earliest due time, capped waits, release into the target's queue, and capped
// exponential retries while the store cannot be read or written. Found missing by the mutation
// run (delay-timer.ts was only reached through whole runtimes).
import { describe, expect, it } from "vitest";
import { DelayTimer } from "../src/delay-timer.js";
import { type AddressKey, DurableStore } from "../src/durable-store.js";
import type { LogLevel } from "../src/log.js";
import { ManualClock } from "./manual-clock.js";
import { storeFixture } from "./store-fixture.js";

/** A real store whose reads and releases fail while `failing` is set (a busy or broken disk). */
class FlakyStore extends DurableStore {
  failing = false;
  override nextDueAt(): number | undefined {
    if (this.failing) throw new Error("disk I/O error");
    return super.nextDueAt();
  }
  override releaseDue(now: number): AddressKey[] {
    if (this.failing) throw new Error("database is locked");
    return super.releaseDue(now);
  }
}

const target = { namespace: "ns", type: "fn", id: "a" };
const other = { namespace: "ns", type: "fn", id: "b" };

describe("DelayTimer", () => {
  const { track } = storeFixture();

  function setup(start = 1_000) {
    const store = track(new FlakyStore(":memory:"));
    const clock = new ManualClock(start);
    const released: AddressKey[][] = [];
    const logs: Array<[LogLevel, string]> = [];
    const timer = new DelayTimer(
      store,
      (targets) => released.push(targets),
      clock,
      (level, message) => logs.push([level, message]),
    );
    const delay = (dueAt: number, to: AddressKey = target) =>
      store.applyReply({
        self: { namespace: "ns", type: "sender", id: "s" },
        consumedSeqs: [],
        stateChanges: [],
        registered: new Map(),
        outgoing: [],
        delayed: [
          {
            kind: "add",
            dueAt,
            token: undefined,
            target: to,
            argument: { typename: "t/x", hasValue: true, value: new Uint8Array([1]) },
          },
        ],
        egress: [],
        now: clock.now(),
      });
    return { store, clock, released, logs, timer, delay };
  }

  it("sets no timer while nothing is delayed", () => {
    const { clock, timer } = setup();
    timer.reschedule();
    expect(clock.waits).toEqual([]);
  });

  it("fires at the earliest due time and moves the message into its target's queue, logging nothing", () => {
    const { store, clock, released, timer, delay, logs } = setup();
    delay(1_500);
    delay(3_000, other);
    timer.reschedule();
    expect(clock.waits).toEqual([500]);
    clock.advance(499);
    expect(released).toEqual([]);
    clock.advance(1);
    expect(released).toEqual([[target]]);
    expect(store.queueLength(target)).toBe(1);
    expect(store.delayedCount()).toBe(1);
    // re-armed for the next one
    expect(clock.waits).toEqual([500, 1_500]);
    clock.advance(1_500);
    expect(released).toEqual([[target], [other]]);
    expect(store.delayedCount()).toBe(0);
    expect(clock.pending).toBe(0);
    expect(logs).toEqual([]);
  });

  it("re-arms for an earlier message scheduled later, with one timer only", () => {
    const { clock, released, timer, delay } = setup();
    delay(5_000);
    timer.reschedule();
    delay(2_000, other);
    timer.reschedule();
    expect(clock.waits).toEqual([4_000, 1_000]);
    expect(clock.pending).toBe(1);
    clock.advance(1_000);
    expect(released).toEqual([[other]]);
  });

  it("fires at once for a message already due, and waits at most 2^31-1 ms", () => {
    const { clock, timer, delay, released } = setup();
    delay(400);
    timer.reschedule();
    expect(clock.waits).toEqual([0]);
    clock.advance(0);
    expect(released).toEqual([[target]]);
    delay(1_000 + 10 * 2 ** 31);
    timer.reschedule();
    expect(clock.waits).toEqual([0, 2 ** 31 - 1]);
    // when the capped wait ends, nothing is due yet: it waits again, capped again
    clock.advance(2 ** 31 - 1);
    expect(released).toEqual([[target]]);
    expect(clock.waits).toEqual([0, 2 ** 31 - 1, 2 ** 31 - 1]);
  });

  it("does nothing once stopped", () => {
    const { clock, timer, delay, released } = setup();
    delay(1_500);
    timer.reschedule();
    timer.stop();
    expect(clock.pending).toBe(0);
    timer.reschedule();
    clock.advance(10_000);
    expect(released).toEqual([]);
    expect(clock.waits).toEqual([500]);
  });

  it("retries a failing store with capped exponential backoff, logged, and recovers without losing a message", () => {
    const { store, clock, timer, delay, released, logs } = setup();
    delay(1_500);
    store.failing = true;
    timer.reschedule();
    expect(logs).toEqual([
      [
        "error",
        "cannot release due delayed messages: disk I/O error; nothing was released, retry #1 in 100 ms",
      ],
    ]);
    // a reschedule while failing leaves the retry timer alone
    timer.reschedule();
    expect(clock.pending).toBe(1);
    for (let i = 0; i < 9; i++) clock.advance(clock.waits.at(-1)!);
    expect(clock.waits).toEqual([100, 200, 400, 800, 1_600, 3_200, 6_400, 10_000, 10_000, 10_000]);
    expect(logs.at(-1)).toEqual([
      "error",
      "cannot release due delayed messages: database is locked; nothing was released, retry #10 in 10000 ms",
    ]);
    expect(released).toEqual([]);
    expect(store.delayedCount()).toBe(1);
    store.failing = false;
    clock.advance(10_000);
    expect(logs.at(-1)).toEqual([
      "info",
      "delayed messages are released again after 10 failure(s)",
    ]);
    expect(released).toEqual([[target]]);
    expect(store.queueLength(target)).toBe(1);
    // back to normal: the next delay arms a timer for its due time
    delay(clock.now() + 250);
    timer.reschedule();
    expect(clock.waits.at(-1)).toBe(250);
    expect(logs).toHaveLength(11);
  });

  it("retries a failing release and stops retrying when stopped", () => {
    const { store, clock, timer, delay, logs } = setup();
    delay(1_500);
    timer.reschedule();
    store.failing = true;
    clock.advance(500);
    expect(logs).toEqual([
      [
        "error",
        "cannot release due delayed messages: database is locked; nothing was released, retry #1 in 100 ms",
      ],
    ]);
    timer.stop();
    expect(clock.pending).toBe(0);
  });
});
