// Call slots of one endpoint: adaptive batching. With a few calls in flight, an address with
// messages waits for one of them to end, so that under load its batch grows and the endpoint
// gets fewer, larger calls; without load nothing waits, and a slow call does not hold others up.
import type { Clock, ScheduledTimer } from "./clock.js";

/** A call in flight, from {@link CallSlots.acquire}; give it back with {@link CallSlots.release}. */
export interface SlotCall {
  /** When the call started (clock time, ms). */
  readonly started: number;
}

/**
 * A limit on the calls in flight to one endpoint that counts only calls younger than `slowMs`.
 * {@link acquire} starts a call at once while fewer than `limit` such calls are in flight; else
 * the caller waits (first come, first served) until one ends or turns `slowMs` old. Fast calls
 * are thus batched under load, and a slow call holds others up for `slowMs` at most.
 */
export class CallSlots {
  private readonly calls = new Set<SlotCall>();
  private readonly waiting: Array<(call: SlotCall) => void> = [];
  private timer: ScheduledTimer | undefined;

  constructor(
    /** Young calls in flight beyond which a new call waits (0: never waits). */
    private readonly limit: number,
    /** Age in ms from which a call no longer counts against the limit. */
    private readonly slowMs: number,
    private readonly clock: Clock,
  ) {}

  /** Calls in flight. */
  get size(): number {
    return this.calls.size;
  }

  /** Starts a call now, or resolves once it may start. Each call is given back with {@link release}. */
  acquire(): SlotCall | Promise<SlotCall> {
    if (this.waiting.length === 0 && this.hasRoom(this.clock.now())) return this.start();
    return new Promise<SlotCall>((resolve) => {
      this.waiting.push(resolve);
      this.pump();
    });
  }

  /** Ends a call: the longest waiter, if any, may start. */
  release(call: SlotCall): void {
    this.calls.delete(call);
    this.pump();
  }

  /** Starts every waiter at once (shutdown). */
  releaseAll(): void {
    this.timer?.cancel();
    this.timer = undefined;
    for (const resolve of this.waiting.splice(0)) resolve(this.start());
  }

  private start(): SlotCall {
    const call = { started: this.clock.now() };
    this.calls.add(call);
    return call;
  }

  private hasRoom(now: number): boolean {
    if (this.limit <= 0 || this.calls.size < this.limit) return true;
    let young = 0;
    for (const call of this.calls) if (now - call.started < this.slowMs) young += 1;
    return young < this.limit;
  }

  /** Starts waiters while there is room; otherwise wakes up when the oldest young call turns slow. */
  private pump(): void {
    const now = this.clock.now();
    while (this.waiting.length > 0 && this.hasRoom(now)) this.waiting.shift()?.(this.start());
    this.timer?.cancel();
    this.timer = undefined;
    if (this.waiting.length === 0) return;
    let oldest = Number.POSITIVE_INFINITY;
    for (const call of this.calls)
      if (now - call.started < this.slowMs) oldest = Math.min(oldest, call.started);
    this.timer = this.clock.schedule(Math.max(0, oldest + this.slowMs - now), () => {
      this.timer = undefined;
      this.pump();
    });
  }
}
