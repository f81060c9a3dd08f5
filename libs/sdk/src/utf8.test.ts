// Invalid UTF-8 in a string value follows one rule: refused with an error naming the state or the
// message (never replaced by U+FFFD silently), as the local runtime's ingress refuses it.

import { describe, expect, it } from "vitest";
import { toFunction } from "../test/wire.js";
import { io } from "./generated/statefun.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { StringType } from "./types/built-in-types.js";
import { makeJsonType } from "./types/json-type.js";
import { decodeUtf8 } from "./utf8.js";

const STRING = "io.statefun.types/string";
/** A StringWrapper whose string field holds `bytes` verbatim. */
const wrapper = (bytes: number[]) => Uint8Array.from([0x0a, bytes.length, ...bytes]);
const INVALID = [
  [0xc3, 0x28], // bad continuation byte
  [0xed, 0xa0, 0x80], // an encoded surrogate (CESU-8)
  [0xff],
  [0x61, 0xe2, 0x82], // truncated sequence
];

describe("invalid UTF-8 in string values", () => {
  it.each(INVALID)(
    "StringType refuses %j instead of replacing it with U+FFFD (regression)",
    (...bytes) => {
      expect(() => StringType.deserialize(wrapper(bytes))).toThrow(
        /cannot deserialize io\.statefun\.types\/string: its \d+ bytes are not valid UTF-8/,
      );
    },
  );

  it("also on the generated decoder's path (a wrapper with an unknown field after the string)", () => {
    const bytes = Uint8Array.from([...wrapper([0xc3, 0x28]), 0x10, 0x01]);
    expect(() => StringType.deserialize(bytes)).toThrow(/not valid (UTF-8|for encoding utf-8)/);
    // A genuine U+FFFD in valid UTF-8 stays accepted.
    const replacement = io.statefun.sdk.types.StringWrapper.encode({ value: "a\uFFFDb" }).finish();
    expect(StringType.deserialize(Uint8Array.from([...replacement, 0x10, 0x01]))).toBe("a\uFFFDb");
  });

  it("valid UTF-8 of every length still decodes", () => {
    for (const text of ["", "ascii", "café", "日本語", "😀 emoji", "x".repeat(300)]) {
      expect(StringType.deserialize(StringType.serialize(text))).toBe(text);
    }
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x61]))).toBe("\uFEFFa"); // BOM kept
  });

  it("JSON types refuse invalid UTF-8 too", () => {
    const type = makeJsonType<unknown>("com.example/Doc");
    expect(() => type.deserialize(Uint8Array.from([0x22, 0xc3, 0x28, 0x22]))).toThrow(
      /com\.example\/Doc cannot deserialize 4 bytes: not valid UTF-8/,
    );
  });

  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("com.example/reader"),
      states: [{ name: "label", valueType: StringType }],
      function: (ctx, message) => {
        ctx.storage.get({ name: "label", valueType: StringType });
        message.asString();
      },
    })
    .asHandler({ logger: { error() {} } });
  const target = { namespace: "com.example", type: "reader", id: "r1" };

  it("a message with invalid UTF-8 fails the batch naming the function, id and message", async () => {
    const request = toFunction({
      target,
      states: { label: null },
      invocations: [{ argument: { typename: STRING, value: wrapper([0xc3, 0x28]) } }],
    });
    await expect(handler.invoke(request)).rejects.toThrow(
      /function com\.example\/reader:r1 failed on invocation 1 of 1: the message's value \(type io\.statefun\.types\/string\): cannot deserialize io\.statefun\.types\/string: its 2 bytes are not valid UTF-8/,
    );
  });

  it("a state with invalid UTF-8 fails the batch naming the state", async () => {
    const request = toFunction({
      target,
      states: { label: { typename: STRING, value: wrapper([0xff]) } },
      invocations: [{ argument: { typename: STRING, value: StringType.serialize("ok") } }],
    });
    await expect(handler.invoke(request)).rejects.toThrow(/state label.*not valid UTF-8/);
  });
});
