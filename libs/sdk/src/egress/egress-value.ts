// Validation and encoding of the value and string fields shared by the egress builders. Holds
// no record layout (wire/egress-records.ts encodes the records).

import { ConfigurationError, describeError, describeValue } from "../errors.js";
import type { SimpleType } from "../simple-type.js";
import { isTypeName, type TypeName } from "../type-name.js";
import { isWellFormed } from "../utf8.js";

/**
 * The value of a Kafka or Kinesis record: a string (sent as UTF-8) or a Uint8Array (sent as is),
 * or any value with the `valueType` that encodes it.
 */
export type EgressValue<T> =
  | {
      /** The record value. */
      readonly value: T;
      /** How the value is encoded into the record's bytes. */
      readonly valueType: SimpleType<T>;
    }
  | {
      /** A string (written as UTF-8) or the bytes themselves. */
      readonly value: string | Uint8Array;
      /** Omitted for a string or bytes. */
      readonly valueType?: undefined;
    };

/** Checks an egress target: a {@link TypeName} such as `typeNameFrom("com.example/greets")`. */
export function checkEgressTarget(target: unknown, builder: string): TypeName {
  if (!isTypeName(target)) {
    throw new ConfigurationError(
      `${builder}: target must be the egress TypeName, e.g. typeNameFrom("com.example/greets"), got ${describeValue(target)}`,
    );
  }
  return target;
}

/** Checks a required non-empty string field of an egress record. */
export function checkRequiredString(value: unknown, field: string, builder: string): string {
  if (typeof value !== "string" || value.length === 0) {
    throw new ConfigurationError(
      `${builder}: ${field} must be a non-empty string, got ${describeValue(value)}`,
    );
  }
  return checkUtf8(value, field, builder);
}

/** Rejects strings that have no exact UTF-8 form (lone surrogates), as the Go SDK does. */
export function checkUtf8(value: string, field: string, builder: string): string {
  if (!isWellFormed(value)) {
    throw new ConfigurationError(
      `${builder}: ${field} ${describeValue(value)} contains a lone UTF-16 surrogate, which has no UTF-8 encoding`,
    );
  }
  return value;
}

/**
 * Encodes the value of a Kafka or Kinesis record: with `valueType` when given, else a string as
 * UTF-8 and a Uint8Array as is. Anything else needs a `valueType`.
 */
export function egressValueBytes(
  value: unknown,
  valueType: SimpleType<unknown> | undefined,
  builder: string,
): Uint8Array {
  if (value === undefined || value === null) {
    throw new ConfigurationError(`${builder}: value is ${value}; a record needs a value`);
  }
  if (valueType !== undefined) {
    try {
      return valueType.serialize(value);
    } catch (error) {
      throw new ConfigurationError(`${builder}: ${describeError(error)}`, { cause: error });
    }
  }
  if (typeof value === "string") return Buffer.from(checkUtf8(value, "value", builder), "utf8");
  if (value instanceof Uint8Array) return value;
  throw new ConfigurationError(
    `${builder}: cannot encode ${describeValue(value)} without a valueType; pass a string (UTF-8), a Uint8Array (as is) or set valueType`,
  );
}
