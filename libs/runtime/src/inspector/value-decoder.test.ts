import { GreetRequestType } from "@statefun-ts/registry-examples";
import { BoolType, Float64Type, Int32Type, Int64Type, StringType } from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import { validatorsFromTypes } from "../ingress-body.js";
import { decodeValue, PREVIEW_LIMITS } from "./value-decoder.js";

const types = { validators: validatorsFromTypes([GreetRequestType]) };
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("decodeValue", () => {
  it("shows built-in types as their values (int64 as a decimal string, NaN as text)", () => {
    expect(decodeValue("io.statefun.types/int", Int32Type.serialize(-7), types)).toMatchObject({
      kind: "builtin",
      value: -7,
    });
    expect(
      decodeValue("io.statefun.types/long", Int64Type.serialize(-9007199254740993n), types).value,
    ).toBe("-9007199254740993");
    expect(decodeValue("io.statefun.types/bool", BoolType.serialize(true), types).value).toBe(true);
    expect(
      decodeValue("io.statefun.types/double", Float64Type.serialize(Number.NaN), types).value,
    ).toBe("NaN");
    expect(
      decodeValue("io.statefun.types/string", StringType.serialize("Zoë"), types),
    ).toMatchObject({ value: "Zoë", bytes: 6 });
  });

  it("reports built-in bytes that do not decode, with their hex", () => {
    const decoded = decodeValue("io.statefun.types/int", new Uint8Array([0xff]), types);
    expect(decoded.error).toBeTruthy();
    expect(decoded.hex).toBe("ff");
  });

  it("pretty-prints registry JSON and checks it against its schema, naming the pointers", () => {
    const good = decodeValue("com.example/GreetRequest", utf8('{"name":"Bob"}'), types);
    expect(good).toMatchObject({
      kind: "json",
      value: { name: "Bob" },
      schema: "valid",
      violations: [],
    });
    expect(good.text).toBe('{\n  "name": "Bob"\n}');
    const bad = decodeValue("com.example/GreetRequest", utf8('{"nam":"Bob"}'), types);
    expect(bad.schema).toBe("invalid");
    expect(bad.violations?.map((v) => v.pointer).sort()).toEqual(["/nam", "/name"]);
    const notJson = decodeValue("com.example/GreetRequest", utf8("{oops"), types);
    expect(notJson.error).toContain("not UTF-8 JSON");
    expect(notJson.hex).toBe(Buffer.from("{oops").toString("hex"));
  });

  it("shows protobuf and unknown types as hex with their typename, and a JSON preview when the bytes are JSON", () => {
    const proto = decodeValue("type.googleapis.com/foo.Bar", new Uint8Array([8, 150, 1]), types);
    expect(proto).toMatchObject({
      kind: "protobuf",
      typename: "type.googleapis.com/foo.Bar",
      hex: "089601",
    });
    expect(proto.text).toBeUndefined();
    const own = decodeValue("com.example.fns/RecentGreetings", utf8('["a","b"]'), types);
    expect(own).toMatchObject({ kind: "unknown", hex: Buffer.from('["a","b"]').toString("hex") });
    expect(own.text).toBe('[\n  "a",\n  "b"\n]');
    const digits = decodeValue("x/y", utf8("42"), types);
    expect(digits.text).toBeUndefined();
    expect(decodeValue("", new Uint8Array([1, 2]), types)).toMatchObject({
      typename: "",
      kind: "unknown",
      hex: "0102",
    });
  });

  it("cuts long values to the limits and says so", () => {
    const long = decodeValue("x/y", new Uint8Array(5000), types);
    expect(long.hex?.length).toBe(4096 * 2);
    expect(long.truncated).toBe(true);
    const preview = decodeValue(
      "io.statefun.types/string",
      StringType.serialize("x".repeat(3000)),
      types,
      PREVIEW_LIMITS,
    );
    expect((preview.value as string).length).toBe(PREVIEW_LIMITS.textChars);
    expect(preview.truncated).toBe(true);
  });
});
