import type { AddressKey, DurableStore } from "./durable-store.js";

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Fires delayed messages: one timer for the earliest due time in the store (absolute times, so
 * pending messages survive restarts). When it fires, every due message moves into its target's
 * queue in one transaction.
 */
export class DelayTimer {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly store: DurableStore,
    private readonly onReleased: (targets: AddressKey[]) => void,
  ) {}

  /** Re-arms the timer for the earliest pending message (call after scheduling new ones). */
  reschedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const due = this.store.nextDueAt();
    if (due === undefined) return;
    const wait = Math.min(Math.max(due - Date.now(), 0), MAX_TIMEOUT_MS);
    this.timer = setTimeout(() => this.fire(), wait);
  }

  /** Stops the timer for good. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fire(): void {
    this.timer = undefined;
    if (this.stopped) return;
    const targets = this.store.releaseDue(Date.now());
    if (targets.length > 0) this.onReleased(targets);
    this.reschedule();
  }
}
