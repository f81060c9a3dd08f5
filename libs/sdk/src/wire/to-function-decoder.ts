// Decodes ToFunction request bytes into the plain shapes of to-function-reader.ts: the hand-written
// reader first, the generated protobufjs decoder where the reader gives up. The only way into the
// SDK for request bytes; it knows nothing of functions, states or errors of the SDK.

import { io } from "../generated/statefun.js";
import {
  readToFunction,
  type WireReadAddress,
  type WireReadBatch,
  type WireReadInvocation,
  type WireReadState,
} from "./to-function-reader.js";
import type { WireTypedValue } from "./typed-value.js";

const { ToFunction } = io.statefun.sdk.reqreply;
const EMPTY = new Uint8Array(0);

/**
 * The invocation batch of ToFunction bytes, or `null` when the message carries none. Throws the
 * protobuf decoder's error for bytes that are not a ToFunction message.
 */
export function decodeToFunction(payload: Uint8Array): WireReadBatch | null {
  const batch = readToFunction(payload);
  if (batch !== undefined) return batch;
  // Rare: input the fast reader leaves to the generated decoder (same result, or its error).
  const decoded = ToFunction.decode(payload).invocation;
  if (!decoded) return null;
  return {
    target: decoded.target ? toAddress(decoded.target) : null,
    state: (decoded.state ?? []).map(
      (s): WireReadState => ({
        stateName: s.stateName ?? "",
        stateValue: s.stateValue ? toTypedValue(s.stateValue) : null,
      }),
    ),
    invocations: (decoded.invocations ?? []).map(
      (i): WireReadInvocation => ({
        caller: i.caller ? toAddress(i.caller) : null,
        argument: i.argument ? toTypedValue(i.argument) : null,
      }),
    ),
  };
}

function toAddress(a: io.statefun.sdk.reqreply.Address.$Properties): WireReadAddress {
  return { namespace: a.namespace ?? "", type: a.type ?? "", id: a.id ?? "" };
}

function toTypedValue(v: io.statefun.sdk.reqreply.TypedValue.$Properties): WireTypedValue {
  return { typename: v.typename ?? "", hasValue: v.hasValue ?? false, value: v.value ?? EMPTY };
}
