// CallSlots (adaptive batching): calls start at once below the limit, wait first come first
// served beyond it, and a call older than slowMs no longer holds the others up.
import { describe, expect, it } from "vitest";
import { CallSlots, type SlotCall } from "../src/call-slots.js";
import { ManualClock } from "./manual-clock.js";

const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Acquires and records when the call started, in order. */
function track(slots: CallSlots, started: string[], name: string): Promise<SlotCall> {
  return Promise.resolve(slots.acquire()).then((call) => {
    started.push(name);
    return call;
  });
}

describe("CallSlots", () => {
  it("starts calls at once below the limit and queues the others first come, first served", async () => {
    const clock = new ManualClock(1_000);
    const slots = new CallSlots(2, 100, clock);
    const a = slots.acquire();
    const b = slots.acquire();
    expect(a).not.toBeInstanceOf(Promise);
    expect(b).not.toBeInstanceOf(Promise);
    const started: string[] = [];
    const c = track(slots, started, "c");
    const d = track(slots, started, "d");
    await settle();
    expect(started).toEqual([]);
    expect(slots.size).toBe(2);
    slots.release(a as SlotCall);
    await settle();
    expect(started).toEqual(["c"]);
    slots.release(b as SlotCall);
    await settle();
    expect(started).toEqual(["c", "d"]);
    expect(slots.size).toBe(2);
    slots.release(await c);
    slots.release(await d);
    expect(slots.size).toBe(0);
    expect(clock.pending).toBe(0);
    // A new call does not overtake a waiter: with a waiter queued, it waits too.
    const e = slots.acquire() as SlotCall;
    const f = slots.acquire() as SlotCall;
    const g = track(slots, started, "g");
    const h = track(slots, started, "h");
    slots.release(e);
    await settle();
    expect(started).toEqual(["c", "d", "g"]);
    slots.release(f);
    slots.release(await g);
    slots.release(await h);
  });

  it("lets a waiter start once the oldest counted call is slowMs old, not before", async () => {
    const clock = new ManualClock(1_000);
    const slots = new CallSlots(1, 100, clock);
    const slow = slots.acquire() as SlotCall;
    clock.advance(40);
    const started: string[] = [];
    const next = track(slots, started, "next");
    await settle();
    expect(clock.waits).toEqual([60]);
    clock.advance(59);
    await settle();
    expect(started).toEqual([]);
    clock.advance(1);
    await settle();
    expect(started).toEqual(["next"]);
    // The slow call still runs; the new one counts against the limit until it is slow in turn.
    expect(slots.size).toBe(2);
    const third = track(slots, started, "third");
    await settle();
    expect(started).toEqual(["next"]);
    slots.release(slow);
    await settle();
    expect(started).toEqual(["next"]);
    slots.release(await next);
    await settle();
    expect(started).toEqual(["next", "third"]);
    slots.release(await third);
    expect(clock.pending).toBe(0);
  });

  it("wakes up when the oldest young call turns slow, ignoring calls already slow", async () => {
    const clock = new ManualClock(0);
    const slots = new CallSlots(1, 100, clock);
    const slow = slots.acquire() as SlotCall;
    clock.advance(100);
    // `slow` is exactly 100 ms old: it no longer counts, so this call starts at once.
    const young = slots.acquire();
    expect(young).not.toBeInstanceOf(Promise);
    const started: string[] = [];
    const waiter = track(slots, started, "waiter");
    await settle();
    // The wake-up is due when `young` turns slow, not at once for the already slow call.
    expect(clock.waits).toEqual([100]);
    clock.advance(100);
    await settle();
    expect(started).toEqual(["waiter"]);
    for (const call of [slow, young as SlotCall, await waiter]) slots.release(call);
    expect(clock.pending).toBe(0);
  });

  it("does not let a new call overtake a waiter when room appears before the wake-up runs", async () => {
    // A clock whose timers run late (as setTimeout may): time passes, the wake-up has not run.
    let time = 0;
    const timers: Array<() => void> = [];
    const clock = {
      now: () => time,
      schedule: (_delayMs: number, callback: () => void) => {
        timers.push(callback);
        return { cancel: () => undefined };
      },
    };
    const slots = new CallSlots(1, 100, clock);
    const first = slots.acquire() as SlotCall;
    const started: string[] = [];
    const waiter = track(slots, started, "waiter");
    time = 150;
    // `first` is slow now, but the waiter came first: the new call waits behind it.
    const late = track(slots, started, "late");
    await settle();
    expect(started).toEqual(["waiter"]);
    slots.release(first);
    slots.release(await waiter);
    await settle();
    expect(started).toEqual(["waiter", "late"]);
    slots.release(await late);
  });

  it("never waits with a limit of 0", () => {
    const slots = new CallSlots(0, 100, new ManualClock(0));
    for (let i = 0; i < 100; i += 1) expect(slots.acquire()).not.toBeInstanceOf(Promise);
    expect(slots.size).toBe(100);
  });

  it("starts every waiter at once on releaseAll and cancels its timer", async () => {
    const clock = new ManualClock(0);
    const slots = new CallSlots(1, 100, clock);
    slots.acquire();
    const started: string[] = [];
    const waiters = [track(slots, started, "x"), track(slots, started, "y")];
    await settle();
    expect(clock.pending).toBe(1);
    slots.releaseAll();
    await Promise.all(waiters);
    expect(started).toEqual(["x", "y"]);
    expect(clock.pending).toBe(0);
    expect(slots.size).toBe(3);
  });
});
