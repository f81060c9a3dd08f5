// Tests of the built-in types: canonical bytes as the official SDKs write them, every valid
// encoding read back, and the errors for values out of range.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hex, io } from "../../test/wire.js";
import { SerializationError } from "../errors.js";
import type { SimpleType } from "../simple-type.js";
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  StringType,
} from "./built-in-types.js";

const w = io.statefun.sdk.types;

function roundTrip<T>(type: SimpleType<T>, value: T): T {
  return type.deserialize(type.serialize(value));
}

describe("built-in typenames", () => {
  it("are the StateFun io.statefun.types names", () => {
    expect(BoolType.typeName.toString()).toBe("io.statefun.types/bool");
    expect(Int32Type.typeName.toString()).toBe("io.statefun.types/int");
    expect(Int64Type.typeName.toString()).toBe("io.statefun.types/long");
    expect(Float32Type.typeName.toString()).toBe("io.statefun.types/float");
    expect(Float64Type.typeName.toString()).toBe("io.statefun.types/double");
    expect(StringType.typeName.toString()).toBe("io.statefun.types/string");
  });
});

describe("canonical byte vectors (PROTOCOL.md §3)", () => {
  it.each([
    ["bool true", BoolType, true, "0801"],
    ["bool false", BoolType, false, ""],
    ["int 5", Int32Type, 5, "0d05000000"],
    ["int 0", Int32Type, 0, ""],
    ["int -1", Int32Type, -1, "0dffffffff"],
    ["int min", Int32Type, -2147483648, "0d00000080"],
    ["int max", Int32Type, 2147483647, "0dffffff7f"],
    ["long 5", Int64Type, 5n, "090500000000000000"],
    ["long 0", Int64Type, 0n, ""],
    ["long min", Int64Type, -(2n ** 63n), "090000000000000080"],
    ["long max", Int64Type, 2n ** 63n - 1n, "09ffffffffffffff7f"],
    ["float 1.5", Float32Type, 1.5, "0d0000c03f"],
    ["float 0", Float32Type, 0, ""],
    ["float -0", Float32Type, -0, "0d00000080"],
    ["float NaN", Float32Type, Number.NaN, "0d0000c07f"],
    ["float +Inf", Float32Type, Number.POSITIVE_INFINITY, "0d0000807f"],
    ["float -Inf", Float32Type, Number.NEGATIVE_INFINITY, "0d000080ff"],
    ["double 1.5", Float64Type, 1.5, "09000000000000f83f"],
    ["double 0", Float64Type, 0, ""],
    ["double -0", Float64Type, -0, "090000000000000080"],
    ["double NaN", Float64Type, Number.NaN, "09000000000000f87f"],
    ["double +Inf", Float64Type, Number.POSITIVE_INFINITY, "09000000000000f07f"],
    ["double -Inf", Float64Type, Number.NEGATIVE_INFINITY, "09000000000000f0ff"],
    ["string hi", StringType, "hi", "0a026869"],
    ["string empty", StringType, "", ""],
    [
      "string non-ASCII",
      StringType,
      "héllo, 世界 🎉",
      `0a13${Buffer.from("héllo, 世界 🎉").toString("hex")}`,
    ],
  ] as [string, SimpleType<unknown>, unknown, string][])("%s", (_, type, value, expected) => {
    const bytes = type.serialize(value);
    expect(hex(bytes)).toBe(expected);
    expect(Object.is(type.deserialize(bytes), value)).toBe(true);
  });

  it("encodes a 4 KiB string with a two-byte length varint", () => {
    const text = "x".repeat(4096);
    const bytes = StringType.serialize(text);
    expect(hex(bytes.subarray(0, 3))).toBe("0a8020");
    expect(bytes.length).toBe(4099);
    expect(StringType.deserialize(bytes)).toBe(text);
  });

  it("matches the protobuf wrapper encoding of every non-default value", () => {
    fc.assert(
      fc.property(fc.integer({ min: -2147483648, max: 2147483647 }), (v) => {
        fc.pre(v !== 0);
        expect(hex(Int32Type.serialize(v))).toBe(hex(w.IntWrapper.encode({ value: v }).finish()));
      }),
    );
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 300 }), (v) => {
        expect(hex(StringType.serialize(v))).toBe(
          hex(w.StringWrapper.encode({ value: v }).finish()),
        );
      }),
    );
    fc.assert(
      fc.property(fc.double(), (v) => {
        fc.pre(!Object.is(v, 0));
        expect(hex(Float64Type.serialize(v))).toBe(
          hex(w.DoubleWrapper.encode({ value: v }).finish()),
        );
      }),
    );
  });
});

describe("round trips (property)", () => {
  it("bool", () => fc.assert(fc.property(fc.boolean(), (v) => roundTrip(BoolType, v) === v)));
  it("int32", () =>
    fc.assert(
      fc.property(
        fc.integer({ min: -2147483648, max: 2147483647 }),
        (v) => roundTrip(Int32Type, v) === v,
      ),
    ));
  it("int64", () =>
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (v) => roundTrip(Int64Type, v) === v,
      ),
    ));
  it("float32", () =>
    fc.assert(
      fc.property(fc.float(), (v) => Object.is(roundTrip(Float32Type, v), Math.fround(v))),
    ));
  it("float64", () =>
    fc.assert(fc.property(fc.double(), (v) => Object.is(roundTrip(Float64Type, v), v))));
  it("string", () =>
    fc.assert(fc.property(fc.string({ unit: "binary" }), (v) => roundTrip(StringType, v) === v)));
  it("the Go test values", () => {
    for (const v of [1, 1048576, 2147483647, -2147483648, -1])
      expect(roundTrip(Int32Type, v)).toBe(v);
    for (const v of [-1n, 0n, -(2n ** 63n), 2n ** 63n - 1n])
      expect(roundTrip(Int64Type, v)).toBe(v);
    for (const v of [3.4028234663852886e38, 1.401298464324817e-45, 2.1459, -1e4]) {
      expect(roundTrip(Float32Type, v)).toBe(Math.fround(v));
    }
    for (const v of [Number.MAX_VALUE, Number.MIN_VALUE, 2.1459, -1e4])
      expect(roundTrip(Float64Type, v)).toBe(v);
  });
});

describe("decoding non-canonical but valid encodings", () => {
  it("reads explicit default values written by other encoders", () => {
    expect(BoolType.deserialize(Uint8Array.from([0x08, 0x00]))).toBe(false);
    expect(Int32Type.deserialize(w.IntWrapper.encode({ value: 0 }).finish())).toBe(0);
    expect(StringType.deserialize(w.StringWrapper.encode({ value: "" }).finish())).toBe("");
  });

  it("skips unknown fields", () => {
    // field 2 (varint 7) followed by field 1 = 9 (sfixed64)
    const bytes = Uint8Array.from([0x10, 0x07, 0x09, 9, 0, 0, 0, 0, 0, 0, 0]);
    expect(Int64Type.deserialize(bytes)).toBe(9n);
    expect(StringType.deserialize(Uint8Array.from([0x10, 0x07, 0x0a, 0x01, 0x41]))).toBe("A");
  });

  it("reads any valid bool encoding as the generated decoder does, not only the two canonical ones", () => {
    const cases: Array<[number[], boolean]> = [
      [[0x08, 0x02], true], // any non-zero varint is true
      [[0x08, 0x81, 0x01], true],
      [[0x10, 0x01], false], // only an unknown field: the default
      [[0x10, 0x00, 0x08, 0x01], true], // an unknown field first
      [[0x08, 0x00, 0x08, 0x01], true], // repeated: the last one wins
      [[0x08, 0x01, 0x08, 0x00], false],
    ];
    for (const [bytes, expected] of cases) {
      const input = Uint8Array.from(bytes);
      expect(BoolType.deserialize(input), hex(input)).toBe(expected);
      expect(w.BooleanWrapper.decode(input).value, hex(input)).toBe(expected);
    }
  });

  it("reads a signed int64 through the non-canonical path: negatives, both extremes, last field wins", () => {
    // an unknown field first forces the fallback reader; the value is sfixed64, so signed
    const sfixed64 = (v: bigint) => {
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigInt64(0, v, true);
      return [...out];
    };
    const nonCanonical = (...values: bigint[]) =>
      Uint8Array.from([0x10, 0x07, ...values.flatMap((v) => [0x09, ...sfixed64(v)])]);
    for (const v of [-1n, -9n, -(2n ** 63n), 2n ** 63n - 1n, -(2n ** 40n) - 3n]) {
      expect(Int64Type.deserialize(nonCanonical(v))).toBe(v);
    }
    // proto3: a repeated scalar field keeps the last value
    expect(Int64Type.deserialize(nonCanonical(5n, -7n))).toBe(-7n);
    // inside a larger buffer (byteOffset > 0), as when sliced out of a request
    const framed = new Uint8Array(32);
    framed.set(nonCanonical(-123456789012345n), 5);
    expect(Int64Type.deserialize(framed.subarray(5, 5 + 11))).toBe(-123456789012345n);
  });

  it("rejects garbage with an error naming the type", () => {
    expect(() => Int32Type.deserialize(Uint8Array.from([0x0d, 0x01]))).toThrow(
      /io\.statefun\.types\/int/,
    );
    expect(() => Int64Type.deserialize(Uint8Array.from([0x09, 0x01]))).toThrow(SerializationError);
  });
});

describe("validation of values to serialize", () => {
  it("Int32Type rejects non-integers and out-of-range values, naming the value", () => {
    expect(() => Int32Type.serialize(1.5)).toThrow(/cannot serialize 1\.5: expected an integer/);
    expect(() => Int32Type.serialize(2 ** 31)).toThrow(/2147483648: out of the int32 range/);
    expect(() => Int32Type.serialize(-(2 ** 31) - 1)).toThrow(
      /-2147483649: out of the int32 range/,
    );
    expect(() => Int32Type.serialize(Number.NaN)).toThrow(SerializationError);
    expect(() => Int32Type.serialize("5" as unknown as number)).toThrow(/"5"/);
  });

  it("Int64Type wants a bigint in range and says how to write one", () => {
    expect(() => Int64Type.serialize(5 as unknown as bigint)).toThrow(
      /expected a bigint \(write 5n or BigInt\(5\)\)/,
    );
    expect(() => Int64Type.serialize(2n ** 63n)).toThrow(
      /9223372036854775808n: out of the int64 range/,
    );
  });

  it("StringType rejects lone surrogates instead of writing U+FFFD silently", () => {
    expect(() => StringType.serialize("ok \ud800 broken")).toThrow(/lone UTF-16 surrogate/);
    expect(hex(StringType.serialize("\ud83c\udf89"))).toBe("0a04f09f8e89");
  });

  it("other types reject values of the wrong JavaScript type", () => {
    expect(() => BoolType.serialize(1 as unknown as boolean)).toThrow(/expected a boolean/);
    expect(() => StringType.serialize(7 as unknown as string)).toThrow(/expected a string/);
    expect(() => Float64Type.serialize(7n as unknown as number)).toThrow(/expected a number/);
  });

  it("hands out bytes that callers may mutate without corrupting later values", () => {
    const first = BoolType.serialize(true);
    first[1] = 0;
    expect(hex(BoolType.serialize(true))).toBe("0801");
  });
});
