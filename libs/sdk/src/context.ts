// The Context interface: what a function can do while it handles one message. Types only; the
// implementation is invocation-context.ts.

import type { Address } from "./address.js";
import type { AddressScopedStorage } from "./address-scoped-storage.js";
import type { EgressBuilder } from "./egress/egress-builder.js";
import type { MessageBuilder } from "./message-builder.js";

/** What a function sees while it handles one message. */
export interface Context {
  /** The address being invoked. */
  readonly self: Address;
  /** The sender, or `undefined` when the message came from an ingress. */
  readonly caller: Address | undefined;
  /** The state of `self`. */
  readonly storage: AddressScopedStorage;
  /** Sends a message to another function. */
  send<T>(message: MessageBuilder<T>): void;
  /** Sends a message after `delayMs` milliseconds (an integer >= 0). */
  sendAfter<T>(delayMs: number, message: MessageBuilder<T>): void;
  /**
   * Sends a delayed message that `cancelDelayedMessage(token)` can cancel. The token must be
   * non-empty and unique among this address's pending delayed messages.
   */
  sendAfterWithCancellationToken<T>(
    delayMs: number,
    token: string,
    message: MessageBuilder<T>,
  ): void;
  /** Cancels a delayed message sent by this address; unknown or delivered tokens are ignored. */
  cancelDelayedMessage(token: string): void;
  /** Sends a record to an egress. */
  sendEgress(egress: EgressBuilder): void;
}
