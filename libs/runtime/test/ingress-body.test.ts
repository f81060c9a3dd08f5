// ingressValue on its own: how a body and its Content-Type become a typed value (plain-text
// forms of the built-in types, wrapper bytes, registry validators) and the 4xx that says what is
// wrong. Found missing by the mutation run (ingress-body.ts was only reached through the server).
import {
  BoolType,
  Float32Type,
  Float64Type,
  Int32Type,
  Int64Type,
  makeJsonType,
  parseTypeName,
  StringType,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { describe, expect, it } from "vitest";
import { ingressValue, validatorsFromTypes } from "../src/ingress-body.js";
import { ingressErrorOf } from "./ingress-error.js";

const text = (s: string) => new TextEncoder().encode(s);
const none = new Map();
const vnd = (typename: string) => `application/vnd.${typename}`;

describe("ingressValue: plain text and built-in types", () => {
  it("takes text/plain (any case, with parameters) as a string", () => {
    for (const contentType of ["text/plain", "Text/Plain; charset=utf-8", " text/plain ;x=y"]) {
      expect(ingressValue(contentType, text("grüße"), none)).toEqual({
        typename: "io.statefun.types/string",
        value: StringType.serialize("grüße"),
      });
    }
  });

  it("refuses a text/plain body that is not UTF-8, naming the byte", () => {
    const error = ingressErrorOf(() =>
      ingressValue("text/plain", new Uint8Array([0x41, 0x42, 0xff, 0xfe, 0x43, 0x44, 0x45]), none),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      "the body of a text/plain (io.statefun.types/string) message is not valid UTF-8: invalid byte sequence at byte 2 (ff fe 43 44); send UTF-8 text, or bytes under another Content-Type",
    );
  });

  it.each<[string, string, Uint8Array]>([
    ["io.statefun.types/bool", "true", BoolType.serialize(true)],
    ["io.statefun.types/bool", "false\r\n", BoolType.serialize(false)],
    ["io.statefun.types/int", "42", Int32Type.serialize(42)],
    ["io.statefun.types/int", "-7\n", Int32Type.serialize(-7)],
    ["io.statefun.types/int", "+5", Int32Type.serialize(5)],
    ["io.statefun.types/long", "+9007199254740993", Int64Type.serialize(9007199254740993n)],
    ["io.statefun.types/long", "-1", Int64Type.serialize(-1n)],
    ["io.statefun.types/float", "1.5", Float32Type.serialize(1.5)],
    ["io.statefun.types/float", ".5e1", Float32Type.serialize(5)],
    ["io.statefun.types/double", "-2.25E-3 ", Float64Type.serialize(-2.25e-3)],
    ["io.statefun.types/double", "3.", Float64Type.serialize(3)],
    ["io.statefun.types/double", "-Infinity", Float64Type.serialize(Number.NEGATIVE_INFINITY)],
    ["io.statefun.types/double", "NaN", Float64Type.serialize(Number.NaN)],
    ["io.statefun.types/string", "hello", StringType.serialize("hello")],
    ["io.statefun.types/string", "", StringType.serialize("")],
  ])("%s from the plain text %j", (typename, body, value) => {
    expect(ingressValue(vnd(typename), text(body), none)).toEqual({ typename, value });
  });

  it.each<[string, Uint8Array]>([
    ["io.statefun.types/bool", BoolType.serialize(true)],
    ["io.statefun.types/int", Int32Type.serialize(-3)],
    ["io.statefun.types/long", Int64Type.serialize(1n << 40n)],
    ["io.statefun.types/float", Float32Type.serialize(0.25)],
    ["io.statefun.types/double", Float64Type.serialize(1e300)],
    ["io.statefun.types/string", StringType.serialize("wrapped € text")],
  ])("%s from its wrapper bytes, unchanged", (typename, value) => {
    expect(ingressValue(vnd(typename), value, none)).toEqual({ typename, value });
  });

  it.each([
    ["io.statefun.types/bool", "yes", "e.g. true"],
    ["io.statefun.types/int", "4 2", "e.g. 42"],
    ["io.statefun.types/long", "1.5", "e.g. 42"],
    ["io.statefun.types/float", "one", "e.g. 1.5"],
    ["io.statefun.types/double", "1.5.2", "e.g. 1.5"],
  ])("refuses %s from %j with a 400 giving an example", (typename, body, example) => {
    const error = ingressErrorOf(() => ingressValue(vnd(typename), text(body), none));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(
      new RegExp(
        `^the body is neither a plain-text ${typename} \\(${example}\\) nor its wrapper bytes: .+`,
      ),
    );
  });

  it("refuses string wrapper bytes that are cut short, or hold invalid UTF-8 (naming its byte)", () => {
    const cut = ingressErrorOf(() =>
      ingressValue(vnd("io.statefun.types/string"), new Uint8Array([0x0a, 5, 0x41]), none),
    );
    expect(cut.status).toBe(400);
    expect(cut.message).toBe(
      "the body of a io.statefun.types/string message starts like wrapper bytes (0x0a) but is not a valid string wrapper",
    );
    const bad = ingressErrorOf(() =>
      ingressValue(
        vnd("io.statefun.types/string"),
        new Uint8Array([0x0a, 3, 0x41, 0xc3, 0x28]),
        none,
      ),
    );
    expect(bad.message).toBe(
      "the string inside the io.statefun.types/string wrapper is not valid UTF-8: invalid byte sequence at byte 3 (c3 28); send UTF-8 text, or bytes under another Content-Type",
    );
  });

  it("finds the bad byte of a wrapper read from the middle of a larger buffer", () => {
    const buffer = new Uint8Array([9, 9, 9, 0x0a, 2, 0x41, 0xff]);
    const error = ingressErrorOf(() =>
      ingressValue(vnd("io.statefun.types/string"), buffer.subarray(3), none),
    );
    expect(error.message).toContain("invalid byte sequence at byte 3 (ff)");
  });

  it("refuses a plain string body that is not UTF-8", () => {
    const padded = ingressErrorOf(() =>
      ingressValue("text/plain", new Uint8Array([0xc3, 0x05]), none),
    );
    expect(padded.message).toContain("invalid byte sequence at byte 0 (c3 05)");
    const error = ingressErrorOf(() =>
      ingressValue(vnd("io.statefun.types/string"), new Uint8Array([0x41, 0xe2, 0x82]), none),
    );
    expect(error.status).toBe(400);
    expect(error.message).toBe(
      "the body of a io.statefun.types/string message is not valid UTF-8: invalid byte sequence at byte 1 (e2 82); send UTF-8 text, or bytes under another Content-Type",
    );
  });
});

describe("ingressValue: other types and content types", () => {
  it("takes the bytes of a type it does not know as they are", () => {
    const body = new Uint8Array([0, 1, 2, 0xff]);
    expect(ingressValue(vnd("com.example/Blob"), body, none)).toEqual({
      typename: "com.example/Blob",
      value: body,
    });
  });

  it("checks a registry type with its validator, and names the type in the 400", () => {
    const greet = makeJsonType<{ name: string }>(typeNameFrom("com.example/Greet"));
    const validators = validatorsFromTypes([greet]);
    expect([...validators.keys()]).toEqual(["com.example/Greet"]);
    const ok = text('{"name":"Bob"}');
    expect(ingressValue(vnd("com.example/Greet"), ok, validators).value).toBe(ok);
    const error = ingressErrorOf(() =>
      ingressValue(vnd("com.example/Greet"), text("{not json"), validators),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/^the body is not a valid com\.example\/Greet: .+/);
  });

  it.each([undefined, "", "application/json", "application/octet-stream", "text/html"])(
    "refuses the Content-Type %j with a 415 saying what to use",
    (contentType) => {
      const error = ingressErrorOf(() => ingressValue(contentType, text("x"), none));
      expect(error.status).toBe(415);
      expect(error.message).toBe(
        `Content-Type ${JSON.stringify(contentType ?? "")} is not supported: use "application/vnd.<typename>" (e.g. application/vnd.com.example/GreetRequest) or "text/plain" for a string`,
      );
    },
  );

  it("gives the typename parser's own reason for a typename without a namespace", () => {
    const reason = parseTypeName("nsonly");
    expect(reason).toBeInstanceOf(Error);
    expect(
      ingressErrorOf(() => ingressValue("application/vnd.nsonly", text("x"), none)).message,
    ).toBe(`Content-Type "application/vnd.nsonly": ${(reason as Error).message}`);
  });

  it("accepts application/vnd. in any case, with parameters", () => {
    expect(ingressValue("Application/VND.io.statefun.types/int; x=1", text("1"), none)).toEqual({
      typename: "io.statefun.types/int",
      value: Int32Type.serialize(1),
    });
  });

  it.each([
    ["application/vnd.nsonly", /^Content-Type "application\/vnd\.nsonly": .+/],
    [
      "application/vnd.ns/a b",
      /^Content-Type "application\/vnd\.ns\/a b": typename "ns\/a b" is not valid: it contains whitespace$/,
    ],
    [
      "application/vnd.ns/*",
      /^Content-Type "application\/vnd\.ns\/\*": typename "ns\/\*" is not valid: a wildcard/,
    ],
  ])("refuses the typename of %j with a 400", (contentType, message) => {
    const error = ingressErrorOf(() => ingressValue(contentType, text("x"), none));
    expect(error.status).toBe(400);
    expect(error.message).toMatch(message);
  });
});
