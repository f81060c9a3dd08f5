// The state handshake of a batch: every state the function declares must come with the request,
// else the reply asks the runtime to register the missing ones (PROTOCOL.md §2). Holds no
// invocation and no state access (address-scoped-storage.ts).

import type { RegisteredFunction } from "./function-registration.js";
import { encodeIncompleteInvocationContext } from "./wire/incomplete-invocation-context.js";
import type { WireReadState } from "./wire/to-function-reader.js";
import type { WireTypedValue } from "./wire/typed-value.js";

/** The values of the declared states in declaration order (`null`: present without a value). */
export type StateValues = (WireTypedValue | null)[];

/**
 * The value of every declared state of `fn` from the request's states, or, when one is missing,
 * the encoded reply that asks the runtime to register the missing ones. States the function does
 * not declare are ignored; of a repeated state, the first wins.
 */
export function collectStates(
  fn: RegisteredFunction,
  states: readonly WireReadState[],
): StateValues | Uint8Array {
  const specs = fn.specs;
  const values: (WireTypedValue | null | undefined)[] = new Array(specs.length);
  let found = 0;
  for (let s = 0; s < states.length; s++) {
    const state = states[s]!;
    const i = fn.index.get(state.stateName);
    if (i === undefined || values[i] !== undefined) continue;
    values[i] = state.stateValue;
    found++;
  }
  if (found === specs.length) return values as StateValues;
  const missing = [];
  for (let i = 0; i < specs.length; i++)
    if (values[i] === undefined) missing.push(fn.missingSpecs[i]!);
  return encodeIncompleteInvocationContext(missing);
}
