// What `ctx.send` accepts (MessageBuilder) and the one place a value becomes a typed value:
// the given valueType or the deduced one. Holds no protobuf (a WireTypedValue is a plain shape).

import type { Address } from "./address.js";
import { ConfigurationError, describeError, describeValue } from "./errors.js";
import type { SimpleType } from "./simple-type.js";
import { BoolType, Int64Type, StringType } from "./types/built-in-types.js";
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
  if (typeof value === "string" && (valueType === undefined || valueType === StringType)) {
    const utf8Bytes = utf8Length(value);
    // A lone surrogate has no UTF-8 encoding: toTypedValue names the error.
    if (utf8Bytes >= 0)
      return { typename: STRING_TYPENAME, hasValue: true, text: value, utf8Bytes };
  }
  return toTypedValue(value, valueType, where, target);
}

/** The UTF-8 length of `text`, or -1 when it holds a lone surrogate. */
function utf8Length(text: string): number {
  const n = text.length;
  let bytes = n;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c < 0xd800 || c > 0xdfff) bytes += 2;
    else if (c <= 0xdbff && i + 1 < n) {
      const next = text.charCodeAt(i + 1);
      if (next < 0xdc00 || next > 0xdfff) return -1;
      i++;
      bytes += 2; // 4 bytes for the pair of 2 code units
    } else return -1;
  }
  return bytes;
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
