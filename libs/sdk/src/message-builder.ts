// What `ctx.send` accepts (MessageBuilder) and the one place a value becomes a typed value:
// the given valueType or the deduced one. Holds no protobuf (a WireTypedValue is a plain shape).

import type { Address } from "./address.js";
import { ConfigurationError, describeError, describeValue } from "./errors.js";
import type { SimpleType } from "./simple-type.js";
import { BoolType, Int64Type, StringType } from "./types/built-in-types.js";
import { isWellFormed } from "./utf8.js";
import type { WireTextValue } from "./wire/from-function-shapes.js";
import type { WireTypedValue } from "./wire/typed-value.js";

/**
 * A message to send to another function. The value type is deduced for string, boolean and bigint
 * (StringType, BoolType, Int64Type); any other value, numbers included, needs an explicit
 * `valueType` (Int32Type, Float64Type, ...).
 */
export type MessageBuilder<T = unknown> =
  | {
      /** The function instance to send to. */
      readonly target: Address;
      /** The value to send. */
      readonly value: T;
      /** How the value is serialized. */
      readonly valueType: SimpleType<T>;
    }
  | {
      /** The function instance to send to. */
      readonly target: Address;
      /** A string, boolean or bigint: its type is deduced. */
      readonly value: string | boolean | bigint;
      /** Omitted: deduced from the value. */
      readonly valueType?: undefined;
    };

/**
 * Encodes a value with its type (or the deduced one) as a wire TypedValue. `where` (the call) and
 * `target` name the message in error messages, which are only built on failure.
 */
export function toTypedValue(
  value: unknown,
  valueType: SimpleType<unknown> | undefined,
  where: string,
  target?: Address,
): WireTypedValue {
  if (value === undefined || value === null) {
    throw new ConfigurationError(
      `${describeCall(where, target)}: the value is ${value}; a message needs a value`,
    );
  }
  const type = valueType ?? deduceType(value, where, target);
  let bytes: Uint8Array;
  try {
    bytes = type.serialize(value);
  } catch (error) {
    throw new ConfigurationError(`${describeCall(where, target)}: ${describeError(error)}`, {
      cause: error,
    });
  }
  return { typename: type.typeName.toString(), hasValue: true, value: bytes };
}

const STRING_TYPENAME = StringType.typeName.toString();

/**
 * The argument of a message: a string of StringType (given or deduced) stays text, which the
 * writer encodes straight into the reply; anything else as {@link toTypedValue}.
 */
export function toArgument(
  value: unknown,
  valueType: SimpleType<unknown> | undefined,
  where: string,
  target?: Address,
): WireTypedValue | WireTextValue {
  // A lone surrogate has no UTF-8 encoding: toTypedValue names the error. (The check costs nothing
  // for a one-byte string, which cannot hold one.)
  if (
    typeof value === "string" &&
    (valueType === undefined || valueType === StringType) &&
    isWellFormed(value)
  )
    return { typename: STRING_TYPENAME, hasValue: true, text: value };
  return toTypedValue(value, valueType, where, target);
}

function describeCall(where: string, target: Address | undefined): string {
  return target === undefined
    ? where
    : `${where} to ${target.functionType.toString()}:${target.id}`;
}

function deduceType(
  value: unknown,
  where: string,
  target: Address | undefined,
): SimpleType<unknown> {
  switch (typeof value) {
    case "string":
      return StringType as SimpleType<unknown>;
    case "boolean":
      return BoolType as SimpleType<unknown>;
    case "bigint":
      return Int64Type as SimpleType<unknown>;
    case "number":
      throw new ConfigurationError(
        `${describeCall(where, target)}: cannot deduce the type of the number ${value}; set valueType to Int32Type, Int64Type (bigint), Float32Type or Float64Type`,
      );
    default:
      throw new ConfigurationError(
        `${describeCall(where, target)}: cannot deduce the type of ${describeValue(value)}; set valueType (e.g. a makeJsonType(...) type)`,
      );
  }
}
