// Tests of JSON types: round trips, and errors for values JSON cannot hold.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SerializationError } from "../errors.js";
import { typeNameFrom } from "../type-name.js";
import { makeJsonType } from "./json-type.js";

interface User {
  name: string;
  favoriteColor: string;
}

const UserType = makeJsonType<User>(typeNameFrom("com.example/User"));

describe("makeJsonType", () => {
  it("keeps the typename and writes compact UTF-8 JSON", () => {
    expect(UserType.typeName.toString()).toBe("com.example/User");
    const bytes = UserType.serialize({ name: "Åsa", favoriteColor: "blå" });
    expect(Buffer.from(bytes).toString("utf8")).toBe('{"name":"Åsa","favoriteColor":"blå"}');
  });

  it("reads the Go SDK's trailing newline and Python's non-ASCII output", () => {
    expect(UserType.deserialize(Buffer.from('{"name":"Bob","favoriteColor":"red"}\n'))).toEqual({
      name: "Bob",
      favoriteColor: "red",
    });
    expect(
      UserType.deserialize(Buffer.from('{"name": "世界", "favoriteColor": "\\u00e9"}')),
    ).toEqual({
      name: "世界",
      favoriteColor: "é",
    });
  });

  it("accepts a typename string too", () => {
    expect(makeJsonType<number[]>("com.example/Numbers").typeName.name).toBe("Numbers");
  });

  it("round-trips JSON values", () => {
    const AnyType = makeJsonType<unknown>("com.example/Any");
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(AnyType.deserialize(AnyType.serialize(v))).toEqual(JSON.parse(JSON.stringify(v)));
      }),
    );
  });

  it("says which type failed on bad input", () => {
    expect(() => UserType.deserialize(Buffer.from("{nope"))).toThrow(SerializationError);
    expect(() => UserType.deserialize(Buffer.from("{nope"))).toThrow(
      /com\.example\/User cannot deserialize 5 bytes: not valid JSON/,
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => makeJsonType<unknown>("a/b").serialize(cyclic)).toThrow(
      /a\/b cannot serialize the value as JSON/,
    );
    expect(() => makeJsonType<unknown>("a/b").serialize(undefined)).toThrow(/has no JSON form/);
  });
});
