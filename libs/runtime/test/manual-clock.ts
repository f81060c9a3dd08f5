// A clock the runtime's unit tests move by hand (the runtime's `Clock`): timers run when
// `advance` passes their due time, and every wait asked for is recorded.
import type { Clock, ScheduledTimer } from "../src/clock.js";

/** A clock tests move by hand; it records every wait it was asked for. */
export class ManualClock implements Clock {
  readonly waits: number[] = [];
  private timers: Array<{ due: number; run: () => void }> = [];
  constructor(private time: number) {}
  now(): number {
    return this.time;
  }
  schedule(delayMs: number, callback: () => void): ScheduledTimer {
    this.waits.push(delayMs);
    const timer = { due: this.time + delayMs, run: callback };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }
  /** Timers scheduled and not yet run or cancelled. */
  get pending(): number {
    return this.timers.length;
  }
  /** Moves the time on and runs the timers now due. */
  advance(ms: number): void {
    this.time += ms;
    const due = this.timers.filter((t) => t.due <= this.time);
    this.timers = this.timers.filter((t) => t.due > this.time);
    for (const timer of due) timer.run();
  }
}
