// The functions a handler serves, looked up by the target of a request. Holds no registration
// (function-registration.ts) and no request handling.

import { UnknownFunctionError } from "./errors.js";
import type { RegisteredFunction } from "./function-registration.js";

/**
 * The registered functions of one handler, by `<namespace>/<type>` (a map that must not change
 * afterwards). Remembers
 * its last hit: the request reader hands out the same string instances for repeated namespaces
 * and types, so a repeated target skips building and hashing the key.
 */
export class FunctionTable {
  readonly #functions: ReadonlyMap<string, RegisteredFunction>;
  #lastNamespace: string | undefined;
  #lastType: string | undefined;
  #lastFn: RegisteredFunction | undefined;

  constructor(functions: ReadonlyMap<string, RegisteredFunction>) {
    this.#functions = functions;
  }

  /** The function serving `namespace/type`; throws an {@link UnknownFunctionError} otherwise. */
  find(namespace: string, type: string): RegisteredFunction {
    if (namespace === this.#lastNamespace && type === this.#lastType) return this.#lastFn!;
    const key = `${namespace}/${type}`;
    const fn = this.#functions.get(key);
    if (fn === undefined) {
      const served = [...this.#functions.keys()].join(", ") || "(none)";
      throw new UnknownFunctionError(
        `unknown function type ${key}; this handler serves: ${served}`,
      );
    }
    this.#lastNamespace = namespace;
    this.#lastType = type;
    this.#lastFn = fn;
    return fn;
  }
}
