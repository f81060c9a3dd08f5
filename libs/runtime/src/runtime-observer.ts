// The observer interface of RuntimeCore: what tools (the inspector) are told about deliveries.
import type {
  AddressKey,
  QueuedMessage,
  ReplyEffects,
  StoredEgressRecord,
} from "./durable-store.js";

/** A message was set aside as a dead letter. */
export interface DeadLetterEvent {
  /** Its number in the dead-letter list. */
  readonly n: number;
  /** The function instance the message was for. */
  readonly target: AddressKey;
  /** Why it was set aside. */
  readonly reason: string;
  /** How many calls carried it. */
  readonly attempts: number;
}

/**
 * Told what the runtime does, synchronously, on the delivery path. Every method is optional and
 * must be cheap and must not throw (a throwing observer is logged and ignored). One call is in
 * flight per address, so `callStarted` and the `replyApplied`/`callFailed` that ends it pair up
 * by address.
 */
export interface RuntimeObserver {
  /** A batch is about to be sent to its function. */
  callStarted?(address: AddressKey, batch: readonly QueuedMessage[]): void;
  /** A reply was accepted and is about to be applied (its transaction has not run yet). */
  replyApplying?(effects: ReplyEffects): void;
  /** The reply's transaction committed; `egress` holds the stored records. */
  replyApplied?(effects: ReplyEffects, egress: readonly StoredEgressRecord[]): void;
  /** The call or its reply failed; the batch stays queued (retried later) or becomes dead letters. */
  callFailed?(address: AddressKey, error: unknown): void;
  /** Messages were set aside as dead letters. */
  deadLettered?(letters: readonly DeadLetterEvent[]): void;
}
