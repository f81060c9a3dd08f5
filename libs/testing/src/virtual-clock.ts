// The virtual clock of the test kit: time moves only when the test says so. Holds no runtime
// logic.

import type { Clock, ScheduledTimer } from "@statefun-ts/runtime";

interface PendingTimer {
  readonly due: number;
  readonly order: number;
  readonly callback: () => void;
}

/**
 * A clock that moves only when told: timers fire in due order (then in scheduling order) as
 * {@link VirtualClock.fireNext} moves time forward, never by themselves.
 */
export class VirtualClock implements Clock {
  private current: number;
  private readonly timers = new Set<PendingTimer>();
  private scheduled = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  schedule(delayMs: number, callback: () => void): ScheduledTimer {
    const timer: PendingTimer = {
      due: this.current + Math.max(0, delayMs),
      order: this.scheduled++,
      callback,
    };
    this.timers.add(timer);
    return { cancel: () => this.timers.delete(timer) };
  }

  /**
   * Fires the earliest timer due at or before `until`, first moving time to its due time.
   * Returns false when no timer is due by then.
   */
  fireNext(until: number): boolean {
    let next: PendingTimer | undefined;
    for (const timer of this.timers) {
      if (timer.due > until) continue;
      if (!next || timer.due < next.due || (timer.due === next.due && timer.order < next.order)) {
        next = timer;
      }
    }
    if (!next) return false;
    this.timers.delete(next);
    this.current = Math.max(this.current, next.due);
    next.callback();
    return true;
  }

  /** Moves time forward to `time` without firing anything (time never goes back). */
  moveTo(time: number): void {
    this.current = Math.max(this.current, time);
  }
}
