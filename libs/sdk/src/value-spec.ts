// ValueSpec, the declaration of a state, and its validation. Holds no state access
// (address-scoped-storage.ts).

import { ConfigurationError, describeValue } from "./errors.js";
import { type Expiration, validateExpiration } from "./expiration.js";
import type { SimpleType } from "./simple-type.js";
import { isTypeName } from "./type-name.js";

/**
 * A state declaration: a name unique within its function, a value type and an optional
 * expiration. A plain object literal works.
 *
 * @example const seenCount: ValueSpec<number> = { name: "seen_count", valueType: Int32Type };
 */
export interface ValueSpec<T> {
  /** The state name, unique within the function type (letters, digits and `_`). */
  readonly name: string;
  /** How the value is serialized; its typename is registered with the runtime. */
  readonly valueType: SimpleType<T>;
  /** Optional TTL: `expireAfterCall(ms)` or `expireAfterWrite(ms)`. */
  readonly expiration?: Expiration;
}

const STATE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Checks a value spec of `functionType`; throws a {@link ConfigurationError} naming what is wrong. */
export function validateValueSpec(spec: ValueSpec<unknown>, functionType: string): void {
  const where = `function ${functionType}`;
  if (typeof spec !== "object" || spec === null) {
    throw new ConfigurationError(
      `${where}: a state spec must be an object { name, valueType }, got ${describeValue(spec)}`,
    );
  }
  if (typeof spec.name !== "string" || !STATE_NAME.test(spec.name)) {
    throw new ConfigurationError(
      `${where}: invalid state name ${describeValue(spec.name)}: a state name must start with a letter or '_' followed by letters, digits or '_' (${STATE_NAME.source})`,
    );
  }
  const type = spec.valueType as SimpleType<unknown> | undefined;
  if (
    typeof type !== "object" ||
    type === null ||
    !isTypeName(type.typeName) ||
    typeof type.serialize !== "function" ||
    typeof type.deserialize !== "function"
  ) {
    throw new ConfigurationError(
      `${where}, state ${spec.name}: valueType must be a SimpleType (e.g. Int32Type, makeJsonType(...)), got ${describeValue(type)}`,
    );
  }
  const typeName = type.typeName.toString();
  const slashes = typeName.split("/").length - 1;
  if (slashes !== 1 || type.typeName.namespace.length === 0 || type.typeName.name.length === 0) {
    throw new ConfigurationError(
      `${where}, state ${spec.name}: state value typename ${JSON.stringify(typeName)} must contain exactly one '/' (<namespace>/<name>): the StateFun runtime rejects state typenames with more than one`,
    );
  }
  if (spec.expiration !== undefined)
    validateExpiration(spec.expiration, `${where}, state ${spec.name}`);
}
