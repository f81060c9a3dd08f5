import {
  type Address,
  type Context,
  formatAddress,
  type Message,
  type StatefulFunctionSpec,
} from "@statefun-ts/sdk";
import { DELAYED, INBOX } from "./function-types.js";

/** The documented delay: 30 minutes. */
export const DEFAULT_DELAY_MS = 30 * 60 * 1000;

/**
 * The documented delayed-message example: replies `Hello from the future!` to its caller after a
 * delay. A message from an ingress has no caller, so the reply goes to the inbox of this id.
 * Cancellation variant: a newer message replaces the pending reply to the same caller, and the
 * message `cancel` cancels it.
 */
export function delayedFunction(delayMs: number = DEFAULT_DELAY_MS) {
  return (ctx: Context, message: Message): void => {
    const replyTo: Address = ctx.caller ?? { functionType: INBOX, id: ctx.self.id };
    // Tokens are scoped to this address; one per caller, so callers do not cancel each other.
    const token = `reply-to:${formatAddress(replyTo)}`;
    ctx.cancelDelayedMessage(token);
    if (message.isString() && message.asString() === "cancel") return;
    ctx.sendAfterWithCancellationToken(delayMs, token, {
      target: replyTo,
      value: "Hello from the future!",
    });
  };
}

export function delayedSpec(delayMs: number = DEFAULT_DELAY_MS): StatefulFunctionSpec {
  return { functionType: DELAYED, function: delayedFunction(delayMs) };
}
