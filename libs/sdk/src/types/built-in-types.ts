// The built-in value types (bool, int, long, float, double, string) of PROTOCOL.md §3. Holds no
// generated protobuf code: the non-canonical decoders are in wire/wrappers.ts.

import { describeError, describeValue, SerializationError } from "../errors.js";
import type { SimpleType } from "../simple-type.js";
import { typeNameFrom } from "../type-name.js";
import { decodeUtf8, isWellFormed } from "../utf8.js";
import {
  decodeBooleanWrapper,
  decodeDoubleWrapper,
  decodeFloatWrapper,
  decodeIntWrapper,
  decodeLongWrapper,
  decodeStringWrapper,
} from "../wire/wrappers.js";

// The built-in types are one-field protobuf wrappers (PROTOCOL.md §3). The encoders below write
// the canonical proto3 bytes by hand (a default value is zero bytes). -0.0 keeps its sign, as in
// the Go SDK (Java and Python write it as zero bytes, losing the sign). The decoders take the
// canonical fast path and fall back to the wrapper decoders of wire/ for any other valid encoding.
const EMPTY = new Uint8Array(0);

function decodeWith<T>(typeName: string, bytes: Uint8Array, decode: (b: Uint8Array) => T): T {
  try {
    return decode(bytes);
  } catch (error) {
    throw new SerializationError(
      `cannot deserialize ${typeName}: ${bytes.length} bytes are not a valid wrapper message (${describeError(error)})`,
    );
  }
}

function invalid(typeName: string, value: unknown, rule: string): SerializationError {
  return new SerializationError(`${typeName} cannot serialize ${describeValue(value)}: ${rule}`);
}

const BOOL = "io.statefun.types/bool";
const TRUE_BYTES = new Uint8Array([0x08, 0x01]);

/** `io.statefun.types/bool`: a JavaScript boolean. */
export const BoolType: SimpleType<boolean> = {
  typeName: typeNameFrom(BOOL),
  serialize(value) {
    if (typeof value !== "boolean") throw invalid(BOOL, value, "expected a boolean");
    // A fresh copy each time: callers may hand the bytes on to code that mutates them.
    return value ? TRUE_BYTES.slice() : EMPTY.slice();
  },
  deserialize(bytes) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 0) return false;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a fast path; turned off or narrowed, the general decoder gives the same value
    if (bytes.length === 2 && bytes[0] === 0x08 && bytes[1]! <= 1) return bytes[1] === 1;
    return decodeWith(BOOL, bytes, decodeBooleanWrapper);
  },
};

const INT = "io.statefun.types/int";
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** `io.statefun.types/int` (sfixed32): an integer number in the int32 range. */
export const Int32Type: SimpleType<number> = {
  typeName: typeNameFrom(INT),
  serialize(value) {
    if (typeof value !== "number" || !Number.isInteger(value)) {
      throw invalid(
        INT,
        value,
        "expected an integer number (use Float32Type/Float64Type for fractions)",
      );
    }
    if (value < INT32_MIN || value > INT32_MAX) {
      throw invalid(
        INT,
        value,
        `out of the int32 range [${INT32_MIN}, ${INT32_MAX}] (use Int64Type with a bigint)`,
      );
    }
    if (value === 0) return new Uint8Array(0);
    // From Node's Buffer pool: a view on a shared slab is about half the heap of a Uint8Array of
    // its own (~100 bytes against ~200), and a state is written back on every call.
    const out = Buffer.allocUnsafe(5);
    out[0] = 0x0d;
    out[1] = value; // little-endian two's complement; Uint8Array stores the low 8 bits
    out[2] = value >> 8;
    out[3] = value >> 16;
    out[4] = value >> 24;
    return out;
  },
  deserialize(bytes) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 0) return 0;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 5 && bytes[0] === 0x0d) {
      return bytes[1]! | (bytes[2]! << 8) | (bytes[3]! << 16) | (bytes[4]! << 24);
    }
    return decodeWith(INT, bytes, decodeIntWrapper);
  },
};

const LONG = "io.statefun.types/long";
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** `io.statefun.types/long` (sfixed64): a bigint in the int64 range, without loss of precision. */
export const Int64Type: SimpleType<bigint> = {
  typeName: typeNameFrom(LONG),
  serialize(value) {
    if (typeof value !== "bigint") {
      const hint =
        typeof value === "number" && Number.isSafeInteger(value)
          ? ` (write ${value}n or BigInt(${value}))`
          : "";
      throw invalid(LONG, value, `expected a bigint${hint}`);
    }
    if (value < INT64_MIN || value > INT64_MAX) {
      throw invalid(LONG, value, `out of the int64 range [${INT64_MIN}, ${INT64_MAX}]`);
    }
    if (value === 0n) return new Uint8Array(0);
    const out = new Uint8Array(9);
    out[0] = 0x09;
    new DataView(out.buffer).setBigInt64(1, value, true);
    return out;
  },
  deserialize(bytes) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 0) return 0n;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 9 && bytes[0] === 0x09) {
      return new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getBigInt64(0, true);
    }
    return decodeWith(LONG, bytes, decodeLongWrapper);
  },
};

const FLOAT = "io.statefun.types/float";

/** `io.statefun.types/float`: a number stored as a 32-bit IEEE 754 float. */
export const Float32Type: SimpleType<number> = {
  typeName: typeNameFrom(FLOAT),
  serialize(value) {
    if (typeof value !== "number") throw invalid(FLOAT, value, "expected a number");
    if (value === 0 && !Object.is(value, -0)) return new Uint8Array(0);
    const out = new Uint8Array(5);
    out[0] = 0x0d;
    new DataView(out.buffer).setFloat32(1, value, true);
    return out;
  },
  deserialize(bytes) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 0) return 0;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 5 && bytes[0] === 0x0d) {
      return new DataView(bytes.buffer, bytes.byteOffset + 1, 4).getFloat32(0, true);
    }
    return decodeWith(FLOAT, bytes, decodeFloatWrapper);
  },
};

const DOUBLE = "io.statefun.types/double";

/** `io.statefun.types/double`: a number (64-bit IEEE 754). */
export const Float64Type: SimpleType<number> = {
  typeName: typeNameFrom(DOUBLE),
  serialize(value) {
    if (typeof value !== "number") throw invalid(DOUBLE, value, "expected a number");
    if (value === 0 && !Object.is(value, -0)) return new Uint8Array(0);
    const out = new Uint8Array(9);
    out[0] = 0x09;
    new DataView(out.buffer).setFloat64(1, value, true);
    return out;
  },
  deserialize(bytes) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 0) return 0;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 9 && bytes[0] === 0x09) {
      return new DataView(bytes.buffer, bytes.byteOffset + 1, 8).getFloat64(0, true);
    }
    return decodeWith(DOUBLE, bytes, decodeDoubleWrapper);
  },
};

const STRING = "io.statefun.types/string";

/** `io.statefun.types/string`: a string, UTF-8 on the wire. */
export const StringType: SimpleType<string> = {
  typeName: typeNameFrom(STRING),
  serialize(value) {
    if (typeof value !== "string") throw invalid(STRING, value, "expected a string");
    const n = value.length;
    // Stryker disable next-line ConditionalExpression,BlockStatement: the short-ASCII fast path; turned off, the general encoder writes the same bytes
    if (n > 0 && n < 0x80) {
      // The common case, short ASCII (well-formed by definition), copied by hand in one pass:
      // a one-byte length and one byte per character.
      const out = Buffer.allocUnsafe(n + 2);
      let all = 0;
      for (let i = 0; i < n; i++) {
        const c = value.charCodeAt(i);
        all |= c;
        out[i + 2] = c;
      }
      // Stryker disable next-line ConditionalExpression,BlockStatement: the short-ASCII fast path; turned off, the general encoder writes the same bytes
      if (all < 0x80) {
        out[0] = 0x0a;
        out[1] = n;
        return out;
      }
    }
    if (!isWellFormed(value)) {
      throw invalid(STRING, value, "contains a lone UTF-16 surrogate, which has no UTF-8 encoding");
    }
    if (n === 0) return new Uint8Array(0);
    const length = Buffer.byteLength(value, "utf8");
    const header = 1 + varintSize(length);
    const out = Buffer.allocUnsafe(header + length);
    out[0] = 0x0a;
    let offset = 1;
    let rest = length;
    while (rest > 0x7f) {
      out[offset++] = (rest & 0x7f) | 0x80;
      rest >>>= 7;
    }
    out[offset] = rest;
    out.write(value, header, length, "utf8");
    return out;
  },
  deserialize(bytes) {
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, the general decoder gives the same value (property tests against protobufjs)
    if (bytes.length === 0) return "";
    if (bytes[0] === 0x0a) {
      let offset = 1;
      let length = 0;
      let shift = 0;
      while (offset < bytes.length && shift < 35) {
        const b = bytes[offset++]!;
        length |= (b & 0x7f) << shift;
        if (b < 0x80) {
          if (offset + length === bytes.length) {
            // Stryker disable next-line ConditionalExpression,BlockStatement,EqualityOperator: the short-ASCII fast path; any bound gives the same text (the UTF-8 decoder reads ASCII alike)
            if (length <= 32) {
              const ascii = asciiText(bytes, offset, bytes.length);
              if (ascii !== undefined) return ascii;
            }
            return utf8Text(bytes.subarray(offset));
          }
          break;
        }
        shift += 7;
      }
    }
    return decodeWith(STRING, bytes, decodeStringWrapper);
  },
};

/**
 * `type.deserialize` of `bytes[start..end)`. The int and string types read the canonical encoding
 * in place, without a view of the range (the request reader keeps values as ranges).
 */
export function deserializeRange<T>(
  type: SimpleType<T>,
  bytes: Uint8Array,
  start: number,
  end: number,
): T {
  // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, type.deserialize of the range gives the same value (deserialize-range.test.ts)
  if (type === (Int32Type as SimpleType<unknown>)) {
    // Stryker disable next-line ConditionalExpression: a fast path; turned off, type.deserialize of the range gives the same value (deserialize-range.test.ts)
    if (end === start) return 0 as T;
    // Stryker disable next-line ConditionalExpression,BlockStatement: a fast path; turned off, type.deserialize of the range gives the same value (deserialize-range.test.ts)
    if (end - start === 5 && bytes[start] === 0x0d) {
      return (bytes[start + 1]! |
        (bytes[start + 2]! << 8) |
        (bytes[start + 3]! << 16) |
        (bytes[start + 4]! << 24)) as T;
    }
  } else if (type === (StringType as SimpleType<unknown>)) {
    // A one-byte length and at most 32 ASCII characters: the text straight from the range.
    const length = end - start - 2;
    if (length >= 0 && length <= 32 && bytes[start] === 0x0a && bytes[start + 1] === length) {
      const ascii = asciiText(bytes, start + 2, end);
      // Stryker disable next-line ConditionalExpression: a fast path; turned off, type.deserialize of the range gives the same value (deserialize-range.test.ts)
      if (ascii !== undefined) return ascii as T;
    }
  }
  // Stryker disable next-line ConditionalExpression: a view of the whole array reads the same bytes as the array
  return type.deserialize(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
}

/** The text of UTF-8 bytes; a {@link SerializationError} when they are not valid UTF-8. */
function utf8Text(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  if (text === undefined) {
    throw new SerializationError(
      `cannot deserialize ${STRING}: its ${bytes.length} bytes are not valid UTF-8 (refused rather than replaced with U+FFFD; the writer must send UTF-8 text)`,
    );
  }
  return text;
}

// Node's native Latin-1 reader (also in Bun and Deno's Buffer): one flat string straight from the
// bytes, without building it character by character. A plain loop where it is missing.
const latin1Slice = (
  Buffer.prototype as unknown as {
    latin1Slice?: (this: Uint8Array, start: number, end: number) => string;
  }
).latin1Slice;

/** `bytes[start..end)` as a string when all are ASCII (short strings: cheaper than a decoder). */
function asciiText(bytes: Uint8Array, start: number, end: number): string | undefined {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: undefined only sends the bytes to the UTF-8 decoder, which reads ASCII (and 0x7f) alike
  for (let i = start; i < end; i++) if (bytes[i]! > 0x7f) return undefined;
  if (latin1Slice !== undefined) return latin1Slice.call(bytes, start, end);
  let text = "";
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value >>>= 7;
    size++;
  }
  return size;
}
