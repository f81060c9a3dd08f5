// Encodes the reply that asks the runtime to register missing states
// (`FromFunction { incomplete_invocation_context }`). Rare (once per address and state set), so
// the generated protobufjs encoder writes it.

import { io } from "../generated/statefun.js";
import type { WirePersistedValueSpec } from "./from-function-shapes.js";

const { FromFunction } = io.statefun.sdk.reqreply;

/** `FromFunction { incomplete_invocation_context { missing_values } }` as bytes. */
export function encodeIncompleteInvocationContext(
  missingValues: readonly WirePersistedValueSpec[],
): Uint8Array {
  return FromFunction.encode({
    incompleteInvocationContext: { missingValues: [...missingValues] },
  }).finish();
}
