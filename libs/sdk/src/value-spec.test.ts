// Tests of value-spec validation: names, value types and expirations, with errors naming the
// function and state.

import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { ConfigurationError } from "./errors.js";
import { expireAfterCall, expireAfterWrite } from "./expiration.js";
import { BoolType, Int32Type, StringType } from "./types/built-in-types.js";
import { makeJsonType } from "./types/json-type.js";
import { makeProtobufType } from "./types/protobuf-type.js";
import { validateValueSpec } from "./value-spec.js";

describe("state names", () => {
  it.each(["seen_count", "Seen", "_", "_1", "a1b2", "X"])("accepts %j", (name) => {
    expect(() => validateValueSpec({ name, valueType: Int32Type }, "a/b")).not.toThrow();
  });

  it.each(["", "1abc", "bad state name", "bad!_state_name", "café", "a-b", "a.b"])(
    "rejects %j naming the rule",
    (name) => {
      expect(() => validateValueSpec({ name, valueType: Int32Type }, "com.example/fn")).toThrow(
        ConfigurationError,
      );
      expect(() => validateValueSpec({ name, valueType: Int32Type }, "com.example/fn")).toThrow(
        new RegExp(
          `function com\\.example/fn: invalid state name "${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}": a state name must start with a letter or '_'`,
        ),
      );
    },
  );
});

describe("state value types", () => {
  it("rejects a typename with more than one '/' because the runtime would", () => {
    expect(() =>
      validateValueSpec({ name: "user", valueType: makeJsonType("com.example/v1/User") }, "a/b"),
    ).toThrow(/state value typename "com\.example\/v1\/User" must contain exactly one '\/'/);
  });

  it("accepts protobuf typenames", () => {
    const Point = protobuf
      .parse("syntax='proto3'; package p; message Point { int32 x = 1; }")
      .root.lookupType("p.Point");
    expect(() =>
      validateValueSpec({ name: "p", valueType: makeProtobufType(Point) }, "a/b"),
    ).not.toThrow();
  });

  it("rejects a missing type", () => {
    expect(() => validateValueSpec({ name: "x" } as never, "a/b")).toThrow(
      /state x: valueType must be a SimpleType/,
    );
  });
});

describe("expiration", () => {
  it("builds after-call and after-write in milliseconds", () => {
    expect(expireAfterCall(30 * 60_000)).toEqual({ mode: "after-call", durationMs: 1_800_000 });
    expect(expireAfterWrite(1)).toEqual({ mode: "after-write", durationMs: 1 });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("rejects a duration of %s", (ms) => {
    expect(() => expireAfterCall(ms)).toThrow(ConfigurationError);
    expect(() => expireAfterWrite(ms)).toThrow(/whole number of milliseconds greater than 0/);
  });

  it("checks a hand-built expiration at declaration", () => {
    const bad = {
      name: "s",
      valueType: StringType,
      expiration: { mode: "after-read", durationMs: 5 },
    } as never;
    expect(() => validateValueSpec(bad, "a/b")).toThrow(/expiration mode "after-read"/);
    const zero = {
      name: "s",
      valueType: BoolType,
      expiration: { mode: "after-write", durationMs: 0 },
    } as const;
    expect(() => validateValueSpec(zero, "a/b")).toThrow(/state s: expireAfterWrite/);
  });
});
