import type { Clock, ScheduledTimer } from "./clock.js";
import type { AddressKey, DurableStore } from "./durable-store.js";

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Fires delayed messages: one timer for the earliest due time in the store (absolute times, so
 * pending messages survive restarts). When it fires, every due message moves into its target's
 * queue in one transaction.
 */
export class DelayTimer {
  private timer: ScheduledTimer | undefined;
  private stopped = false;

  constructor(
    private readonly store: DurableStore,
    private readonly onReleased: (targets: AddressKey[]) => void,
    private readonly clock: Clock,
  ) {}

  /** Re-arms the timer for the earliest pending message (call after scheduling new ones). */
  reschedule(): void {
    if (this.stopped) return;
    this.timer?.cancel();
    this.timer = undefined;
    const due = this.store.nextDueAt();
    if (due === undefined) return;
    const wait = Math.min(Math.max(due - this.clock.now(), 0), MAX_TIMEOUT_MS);
    this.timer = this.clock.schedule(wait, () => this.fire());
  }

  /** Stops the timer for good. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const targets = this.store.releaseDue(this.clock.now());
    if (targets.length > 0) this.onReleased(targets);
    this.reschedule();
  }
}
