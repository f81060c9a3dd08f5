// The registered form of a function, prepared once at registration for the hot path: its state
// index and the wire specs of its states. Holds no validation (stateful-functions-builder.ts
// checks specs first) and no request handling.

import type { StatefulFunctionFn } from "./stateful-function.js";
import type { TypeName } from "./type-name.js";
import type { ValueSpec } from "./value-spec.js";
import type { WirePersistedValueSpec } from "./wire/from-function-shapes.js";

// Protobuf ExpireMode numbers (0 = NONE).
const MODE = { "after-write": 1, "after-call": 2 } as const;

/** A registered function, prepared once for the hot path. */
export interface RegisteredFunction {
  readonly functionType: TypeName;
  readonly specs: readonly ValueSpec<unknown>[];
  /** State name to its position in `specs`. */
  readonly index: ReadonlyMap<string, number>;
  readonly run: StatefulFunctionFn;
  /** The specs as sent back when the runtime lacks a state, built once. */
  readonly missingSpecs: readonly WirePersistedValueSpec[];
}

/** Builds the registered form of a function, precomputing its state index and wire specs. */
export function registerFunction(
  functionType: TypeName,
  specs: readonly ValueSpec<unknown>[],
  run: StatefulFunctionFn,
): RegisteredFunction {
  return {
    functionType,
    specs,
    index: new Map(specs.map((s, i) => [s.name, i])),
    run,
    missingSpecs: specs.map((s) => ({
      stateName: s.name,
      typeTypename: s.valueType.typeName.toString(),
      expirationSpec:
        s.expiration === undefined
          ? { mode: 0, expireAfterMillis: 0 }
          : { mode: MODE[s.expiration.mode], expireAfterMillis: s.expiration.durationMs },
    })),
  };
}
