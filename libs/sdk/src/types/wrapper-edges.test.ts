// The built-in and protobuf types at their edges: non-canonical encodings of the canonical
// length (the fast paths must not take them), repeated fields, truncated and over-long varints,
// string lengths at the varint boundaries, range limits on both sides, and the messages of the
// errors. Found missing by the mutation run (built-in-types.ts, wrappers.ts, protobuf-type.ts).

import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { io } from "../../test/wire.js";
import { SerializationError } from "../errors.js";
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  StringType,
} from "./built-in-types.js";
import { makeProtobufType } from "./protobuf-type.js";

const w = io.statefun.sdk.types;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const b = (...values: number[]) => Uint8Array.from(values);

describe("fixed-size types: encodings of the canonical length that are not canonical", () => {
  it.each<[string, Uint8Array]>([
    ["an unknown varint field", b(0x10, 0x80, 0x80, 0x80, 0x01)],
    ["an unknown fixed32 field", b(0x15, 1, 2, 3, 4)],
  ])("int and float: five bytes of %s read as the default", (_, bytes) => {
    expect(Int32Type.deserialize(bytes)).toBe(w.IntWrapper.decode(bytes).value);
    expect(Int32Type.deserialize(bytes)).toBe(0);
    expect(Float32Type.deserialize(bytes)).toBe(0);
  });

  it.each<[string, Uint8Array]>([
    ["an unknown fixed64 field", b(0x11, 1, 2, 3, 4, 5, 6, 7, 8)],
    ["an unknown varint field", b(0x10, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)],
  ])("long and double: nine bytes of %s read as the default", (_, bytes) => {
    expect(Int64Type.deserialize(bytes)).toBe(0n);
    expect(Float64Type.deserialize(bytes)).toBe(w.DoubleWrapper.decode(bytes).value);
    expect(Float64Type.deserialize(bytes)).toBe(0);
  });

  it("a repeated value field: the last one wins, for every fixed-size type", () => {
    const int = b(0x0d, 1, 0, 0, 0, 0x0d, 2, 0, 0, 0);
    expect(Int32Type.deserialize(int)).toBe(2);
    const float = Uint8Array.from([...Float32Type.serialize(1.5), ...Float32Type.serialize(-2.5)]);
    expect(Float32Type.deserialize(float)).toBe(-2.5);
    const long = Uint8Array.from([...Int64Type.serialize(7n), ...Int64Type.serialize(-9n)]);
    expect(Int64Type.deserialize(long)).toBe(-9n);
    const double = Uint8Array.from([
      ...Float64Type.serialize(0.1),
      ...Float64Type.serialize(1e300),
    ]);
    expect(Float64Type.deserialize(double)).toBe(1e300);
  });

  it("shorter or longer inputs starting with the value's tag go through the full decoder", () => {
    // value tag, then four bytes: a truncated double; value tag plus an unknown field: a float
    expect(() => Float64Type.deserialize(b(0x09, 1, 2, 3, 4))).toThrow(SerializationError);
    const float = Uint8Array.from([...Float32Type.serialize(0.5), 0x10, 0x01]);
    expect(Float32Type.deserialize(float)).toBe(0.5);
    const double = Uint8Array.from([...Float64Type.serialize(-0.25), 0x10, 0x01]);
    expect(Float64Type.deserialize(double)).toBe(-0.25);
    expect(() => Float32Type.deserialize(b(0x0d, 1, 2))).toThrow(SerializationError);
  });
});

describe("long wrapper reader", () => {
  it("names a truncated sfixed64 in the error", () => {
    expect(() => Int64Type.deserialize(b(0x10, 0x01, 0x09, 1, 2, 3))).toThrow(
      "cannot deserialize io.statefun.types/long: 6 bytes are not a valid wrapper message (truncated sfixed64 field)",
    );
  });

  it("reads an sfixed64 that ends exactly at the end of the input", () => {
    expect(Int64Type.deserialize(b(0x10, 0x01, 0x09, 3, 0, 0, 0, 0, 0, 0, 0))).toBe(3n);
  });

  it("skips an unknown length-delimited field whose bytes look like the value's tag", () => {
    const bytes = b(0x12, 0x03, 0x09, 0x09, 0x09, 0x09, 5, 0, 0, 0, 0, 0, 0, 0);
    expect(Int64Type.deserialize(bytes)).toBe(5n);
  });
});

describe("string encoding at its boundaries", () => {
  const wrapper = (text: string) => hex(w.StringWrapper.encode({ value: text }).finish());

  it.each([
    ["127 ASCII characters", "a".repeat(127)],
    ["128 ASCII characters (a two-byte length)", "a".repeat(128)],
    ["129 ASCII characters", "b".repeat(129)],
    ["U+0080 alone (two UTF-8 bytes)", "\u0080"],
    ["ASCII then U+0080", `${"x".repeat(20)}\u0080`],
    ["127 UTF-8 bytes, not all ASCII", `é${"c".repeat(125)}`],
    ["128 UTF-8 bytes, not all ASCII", `é${"c".repeat(126)}`],
  ])("%s: the generated wrapper's bytes, and back", (_, text) => {
    const bytes = StringType.serialize(text);
    expect(hex(bytes)).toBe(wrapper(text));
    expect(StringType.deserialize(bytes)).toBe(text);
  });

  it("reads an unknown string field alone as the empty string", () => {
    expect(StringType.deserialize(b(0x12, 0x01, 0x41))).toBe("");
  });

  it("refuses a cut length varint, and one that ends where a too-long length would", () => {
    expect(() => StringType.deserialize(b(0x0a, 0x80))).toThrow(SerializationError);
    expect(() => StringType.deserialize(b(0x0a, 0x81))).toThrow(SerializationError);
    // a six-byte length (2^35 + 8): read as 8 by a 32-bit reader that did not stop at 35 bits
    const six = b(0x0a, 0x88, 0x80, 0x80, 0x80, 0x80, 0x01, ...Buffer.from("abcdefgh"));
    expect(() => StringType.deserialize(six)).toThrow(SerializationError);
  });
});

describe("values to serialize, at both limits", () => {
  it("Int64Type refuses values below the range too, and hints at n only for safe integers", () => {
    expect(() => Int64Type.serialize(-(2n ** 63n) - 1n)).toThrow(
      "io.statefun.types/long cannot serialize -9223372036854775809n: out of the int64 range [-9223372036854775808, 9223372036854775807]",
    );
    expect(() => Int64Type.serialize("5" as unknown as bigint)).toThrow(
      /cannot serialize "5": expected a bigint$/,
    );
    expect(() => Int64Type.serialize(1.5 as unknown as bigint)).toThrow(
      /cannot serialize 1\.5: expected a bigint$/,
    );
  });

  it("Float32Type and Float64Type refuse what is not a number, naming the rule", () => {
    expect(() => Float32Type.serialize("1" as unknown as number)).toThrow(
      'io.statefun.types/float cannot serialize "1": expected a number',
    );
    expect(() => Float64Type.serialize(true as unknown as number)).toThrow(
      "io.statefun.types/double cannot serialize true: expected a number",
    );
  });

  it("BoolType hands out a fresh array for false too", () => {
    expect(BoolType.serialize(false)).toHaveLength(0);
    expect(BoolType.serialize(false)).not.toBe(BoolType.serialize(false));
  });
});

describe("makeProtobufType at its edges", () => {
  const root = protobuf.parse(`
    syntax = "proto3";
    package com.example;
    message Point { int32 x = 1; }
  `).root;
  const Point = root.lookupType("com.example.Point");

  it("names a class with only a full name (leading dot dropped)", () => {
    const withFullName = {
      fullName: ".com.example.Point",
      encode: Point.encode.bind(Point),
      decode: Point.decode.bind(Point),
    };
    expect(makeProtobufType(withFullName).typeName.toString()).toBe(
      "type.googleapis.com/com.example.Point",
    );
  });

  it("says how to name a class without a full name", () => {
    const { encode, decode } = io.statefun.sdk.egress.KafkaProducerRecord;
    expect(() => makeProtobufType({ encode, decode })).toThrow(
      "makeProtobufType cannot tell the message's full name: pass a protobufjs static class generated with type URLs (pbjs without --no-typeurl), a reflection protobuf.Type, or an explicit typeName",
    );
  });

  it("names the type and the cause when a message cannot be written or read", () => {
    const PointType = makeProtobufType(Point);
    const failing = makeProtobufType({
      fullName: ".com.example.Point",
      encode: () => {
        throw new Error("field x: integer expected");
      },
      decode: Point.decode.bind(Point),
    });
    expect(() => failing.serialize(Point.create({ x: 1 }))).toThrow(
      "type.googleapis.com/com.example.Point cannot serialize the message: field x: integer expected",
    );
    expect(() => PointType.deserialize(b(0x0a, 0x05, 0x01))).toThrow(
      /^type\.googleapis\.com\/com\.example\.Point cannot deserialize 3 bytes: .+/,
    );
  });
});
