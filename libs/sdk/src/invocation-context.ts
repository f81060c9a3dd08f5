// The Context of one invocation and the side effects of its batch (messages, delayed messages,
// cancellations, egress records) collected as wire shapes for the reply. Holds no encoding (the
// dispatcher hands the collected effects to wire/) and no state handling (address-scoped-storage).

import type { Address } from "./address.js";
import type { AddressScopedStorage } from "./address-scoped-storage.js";
import type { Context } from "./context.js";
import type { EgressBuilder } from "./egress/egress-builder.js";
import { ConfigurationError, describeValue } from "./errors.js";
import { type MessageBuilder, toArgument } from "./message-builder.js";
import { isTypeName } from "./type-name.js";
import type {
  WireDelayedInvocation,
  WireEgress,
  WireInvocation,
} from "./wire/from-function-shapes.js";

// Shared by every batch until its first effect of a kind; never written to.
const NONE: never[] = [];

/** The side effects of one batch, in the order the function produced them. */
export class BatchEffects {
  // Each list starts as the shared empty one and becomes a list of its own on the first effect
  // (a one-element literal: a batch of one sends one message; push would reserve 17 slots).
  messages: WireInvocation[] = NONE;
  delayed: WireDelayedInvocation[] = NONE;
  egress: WireEgress[] = NONE;

  addMessage(message: WireInvocation): void {
    if (this.messages === NONE) this.messages = [message];
    else this.messages.push(message);
  }

  addDelayed(delayed: WireDelayedInvocation): void {
    if (this.delayed === NONE) this.delayed = [delayed];
    else this.delayed.push(delayed);
  }

  addEgress(egress: WireEgress): void {
    if (this.egress === NONE) this.egress = [egress];
    else this.egress.push(egress);
  }
}

/** The {@link Context} of one invocation; effects go to the batch's collector. */
export class InvocationContext implements Context {
  constructor(
    readonly self: Address,
    readonly caller: Address | undefined,
    readonly storage: AddressScopedStorage,
    private readonly effects: BatchEffects,
  ) {}

  send<T>(message: MessageBuilder<T>): void {
    this.effects.addMessage(toInvocation(message, "ctx.send"));
  }

  sendAfter<T>(delayMs: number, message: MessageBuilder<T>): void {
    const delayInMs = checkDelay(delayMs, "ctx.sendAfter");
    const { target, argument } = toInvocation(message, "ctx.sendAfter");
    this.effects.addDelayed({ delayInMs, target, argument });
  }

  sendAfterWithCancellationToken<T>(
    delayMs: number,
    token: string,
    message: MessageBuilder<T>,
  ): void {
    const where = "ctx.sendAfterWithCancellationToken";
    const delayInMs = checkDelay(delayMs, where);
    const cancellationToken = checkToken(token, where);
    const { target, argument } = toInvocation(message, where);
    this.effects.addDelayed({ delayInMs, target, argument, cancellationToken });
  }

  cancelDelayedMessage(token: string): void {
    const cancellationToken = checkToken(token, "ctx.cancelDelayedMessage");
    this.effects.addDelayed({ isCancellationRequest: true, cancellationToken });
  }

  sendEgress(egress: EgressBuilder): void {
    if (typeof egress?.toTypedValue !== "function" || !isTypeName(egress.target)) {
      throw new ConfigurationError(
        `ctx.sendEgress: expected a KafkaEgressBuilder, KinesisEgressBuilder or GenericEgressBuilder, got ${describeValue(egress)}`,
      );
    }
    this.effects.addEgress({
      egressNamespace: egress.target.namespace,
      egressType: egress.target.name,
      argument: egress.toTypedValue(),
    });
  }
}

function toInvocation(message: MessageBuilder<unknown>, where: string): WireInvocation {
  const target = message?.target;
  if (typeof target !== "object" || target === null || !isTypeName(target.functionType)) {
    throw new ConfigurationError(
      `${where}: target must be an Address { functionType: typeNameFrom("ns/name"), id }, got ${describeValue(target)}`,
    );
  }
  if (typeof target.id !== "string" || target.id.length === 0) {
    throw new ConfigurationError(
      `${where}: target id must be a non-empty string (target ${target.functionType.toString()}), got ${describeValue(target.id)}`,
    );
  }
  return {
    target: {
      namespace: target.functionType.namespace,
      type: target.functionType.name,
      id: target.id,
    },
    argument: toArgument(message.value, message.valueType, where, target),
  };
}

function checkDelay(delayMs: number, where: string): number {
  if (typeof delayMs !== "number" || !Number.isSafeInteger(delayMs) || delayMs < 0) {
    throw new ConfigurationError(
      `${where}: delay ${describeValue(delayMs)} must be a whole number of milliseconds >= 0 (a negative delay would fail the Flink job)`,
    );
  }
  return delayMs;
}

function checkToken(token: string, where: string): string {
  if (typeof token !== "string" || token.length === 0) {
    throw new ConfigurationError(
      `${where}: the cancellation token must be a non-empty string, got ${describeValue(token)}`,
    );
  }
  return token;
}
