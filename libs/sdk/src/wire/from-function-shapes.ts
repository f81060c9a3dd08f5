// The wire shapes of a FromFunction reply (protobuf `io.statefun.sdk.reqreply.FromFunction` and
// its sub-messages) as plain objects: what the SDK collects and the encoders write. Types only;
// no encoding and nothing of the SDK's own objects (Address, TypeName, Context) lives here.

import type { WireTypedValue } from "./typed-value.js";

/** An address (protobuf `Address`). */
export interface WireAddress {
  namespace: string;
  type: string;
  id: string;
}

/**
 * A string argument kept as text (a TypedValue whose value is the `StringWrapper` of `text`): the
 * writer encodes it straight into the reply, without intermediate bytes. `text` is well-formed
 * UTF-16.
 */
export interface WireTextValue {
  typename: string;
  hasValue: true;
  text: string;
}

/**
 * An int state value kept as a number (a TypedValue whose value is the `IntWrapper` of `int32`,
 * an integer in the int32 range): the writer encodes it straight into the reply.
 */
export interface WireInt32Value {
  typename: string;
  hasValue: true;
  int32: number;
}

/** A message to a function (protobuf `FromFunction.Invocation`). */
export interface WireInvocation {
  target: WireAddress;
  argument: WireTypedValue | WireTextValue;
}

/**
 * A delayed message, or the cancellation of one (protobuf `FromFunction.DelayedInvocation`):
 * a cancellation carries only `isCancellationRequest` and `cancellationToken`.
 */
export interface WireDelayedInvocation {
  isCancellationRequest?: boolean;
  cancellationToken?: string;
  delayInMs?: number;
  target?: WireAddress;
  argument?: WireTypedValue | WireTextValue;
}

/** A record for an egress (protobuf `FromFunction.EgressMessage`). */
export interface WireEgress {
  egressNamespace: string;
  egressType: string;
  argument: WireTypedValue;
}

/** A state mutation (protobuf `FromFunction.PersistedValueMutation`): 0 deletes, 1 modifies. */
export interface WireMutation {
  mutationType: 0 | 1;
  stateName: string;
  stateValue?: WireTypedValue | WireInt32Value;
}

/** The parts of an InvocationResponse (protobuf `FromFunction.InvocationResponse`). */
export interface WireInvocationResult {
  stateMutations: readonly WireMutation[];
  outgoingMessages: readonly WireInvocation[];
  delayedInvocations: readonly WireDelayedInvocation[];
  outgoingEgresses: readonly WireEgress[];
}

/**
 * A state the function declares (protobuf `FromFunction.PersistedValueSpec`), sent back when the
 * runtime did not provide it. Expire mode: 0 none, 1 after write, 2 after call.
 */
export interface WirePersistedValueSpec {
  stateName: string;
  typeTypename: string;
  expirationSpec: { mode: 0 | 1 | 2; expireAfterMillis: number };
}
