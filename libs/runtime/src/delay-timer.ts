// The delayed-message timer: one timer for the earliest due time in the store.
import type { Clock, ScheduledTimer } from "./clock.js";
import type { AddressKey, DurableStore } from "./durable-store.js";
import { describeError } from "./errors.js";
import type { RuntimeLog } from "./log.js";

const MAX_TIMEOUT_MS = 2 ** 31 - 1;
const RETRY_INITIAL_MS = 100;
const RETRY_MAX_MS = 10_000;

/**
 * Fires delayed messages: one timer for the earliest due time in the store (absolute times, so
 * pending messages survive restarts). When it fires, every due message moves into its target's
 * queue in one transaction. A store that cannot write (busy, full, read-only) is retried with
 * capped exponential backoff, logged; nothing is lost or released twice.
 */
export class DelayTimer {
  private timer: ScheduledTimer | undefined;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly store: DurableStore,
    private readonly onReleased: (targets: AddressKey[]) => void,
    private readonly clock: Clock,
    private readonly log: RuntimeLog,
  ) {}

  /** Re-arms the timer for the earliest pending message (call after scheduling new ones). */
  reschedule(): void {
    if (this.stopped || this.failures > 0) return;
    this.timer?.cancel();
    this.timer = undefined;
    let due: number | undefined;
    try {
      due = this.store.nextDueAt();
    } catch (error) {
      this.retryLater(error);
      return;
    }
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
    let targets: AddressKey[];
    try {
      targets = this.store.releaseDue(this.clock.now());
    } catch (error) {
      this.retryLater(error);
      return;
    }
    if (this.failures > 0) {
      this.log("info", `delayed messages are released again after ${this.failures} failure(s)`);
      this.failures = 0;
    }
    if (targets.length > 0) this.onReleased(targets);
    this.reschedule();
  }

  private retryLater(error: unknown): void {
    this.failures += 1;
    const wait = Math.min(RETRY_INITIAL_MS * 2 ** Math.min(this.failures - 1, 20), RETRY_MAX_MS);
    this.log(
      "error",
      `cannot release due delayed messages: ${describeError(error)}; nothing was released, retry #${this.failures} in ${wait} ms`,
    );
    this.timer?.cancel();
    this.timer = this.clock.schedule(wait, () => this.fire());
  }
}
