// Tests of Message: typename checks, typed reads and the built-in shortcuts.

import { describe, expect, it } from "vitest";
import { MessageTypeError, TypeNameError } from "./errors.js";
import { Message } from "./message.js";
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  StringType,
} from "./types/built-in-types.js";
import { makeJsonType } from "./types/json-type.js";

const UserType = makeJsonType<{ name: string }>("com.example/User");
const msg = (
  type: { typeName: { toString(): string }; serialize(v: never): Uint8Array },
  v: unknown,
) => new Message(type.typeName.toString(), type.serialize(v as never));

describe("Message", () => {
  it("recognizes and reads each built-in type", () => {
    expect(msg(BoolType, true).isBool()).toBe(true);
    expect(msg(BoolType, true).asBool()).toBe(true);
    expect(msg(Int32Type, 1).isInt32()).toBe(true);
    expect(msg(Int32Type, 1).asInt32()).toBe(1);
    expect(msg(Int64Type, 2n ** 60n).isInt64()).toBe(true);
    expect(msg(Int64Type, 2n ** 60n).asInt64()).toBe(2n ** 60n);
    expect(msg(Float32Type, 5).isFloat32()).toBe(true);
    expect(msg(Float32Type, 5).asFloat32()).toBe(5);
    expect(msg(Float64Type, 0.1).isFloat64()).toBe(true);
    expect(msg(Float64Type, 0.1).asFloat64()).toBe(0.1);
    expect(msg(StringType, "hello world").isString()).toBe(true);
    expect(msg(StringType, "hello world").asString()).toBe("hello world");
    expect(msg(StringType, "x").isInt32()).toBe(false);
  });

  it("recognizes and reads a custom type", () => {
    const m = msg(UserType, { name: "Bob" });
    expect(m.is(UserType)).toBe(true);
    expect(m.is(Int32Type)).toBe(false);
    expect(m.as(UserType)).toEqual({ name: "Bob" });
    expect(m.valueTypeName().toString()).toBe("com.example/User");
    expect(Buffer.from(m.rawValue()).toString()).toBe('{"name":"Bob"}');
  });

  it("as() with another type fails with the two typenames", () => {
    const m = msg(StringType, "x");
    expect(() => m.as(Float32Type)).toThrow(MessageTypeError);
    expect(() => m.asInt32()).toThrow(
      /message has type io\.statefun\.types\/string, not io\.statefun\.types\/int/,
    );
  });

  it("a message without a value reads as the zero value", () => {
    const m = new Message("io.statefun.types/int", undefined);
    expect(m.asInt32()).toBe(0);
    expect(m.rawValue()).toEqual(new Uint8Array());
  });

  it("valueTypeName() of a malformed typename throws a TypeNameError", () => {
    expect(() => new Message("nonsense", undefined).valueTypeName()).toThrow(TypeNameError);
  });
});
