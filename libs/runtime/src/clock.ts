// The clock the runtime reads time from and schedules timers on (system, or virtual in tests).
/** A timer scheduled on a {@link Clock}. */
export interface ScheduledTimer {
  /** Stops the timer; calling it after the timer fired does nothing. */
  cancel(): void;
}

/**
 * Where the runtime reads the time and schedules timers (delayed messages, TTL, retry backoff).
 * The default is the system clock; a test kit passes a virtual one to advance time by hand.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once after `delayMs` milliseconds. */
  schedule(delayMs: number, callback: () => void): ScheduledTimer;
}

/** The system clock: `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(delayMs, callback) {
    const timer = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(timer) };
  },
};
