// Tests of typename parsing: the last '/' splits, malformed names are errors.

import { describe, expect, it } from "vitest";
import { TypeNameError } from "./errors.js";
import { parseTypeName, typeNameFrom } from "./type-name.js";

describe("typeNameFrom", () => {
  it("splits namespace and name", () => {
    const t = typeNameFrom("namespace/tpe");
    expect(t.namespace).toBe("namespace");
    expect(t.name).toBe("tpe");
    expect(t.toString()).toBe("namespace/tpe");
    expect(`${t}`).toBe("namespace/tpe");
    expect(JSON.stringify({ t })).toBe('{"t":"namespace/tpe"}');
  });

  it("splits at the last '/' like every official SDK", () => {
    const t = typeNameFrom("type.googleapis.com/com.example/User");
    expect(t.namespace).toBe("type.googleapis.com/com.example");
    expect(t.name).toBe("User");
  });

  it.each(["/bar", "n/", "/", "", "no-slash"])(
    "rejects %j with a message saying the format",
    (text) => {
      expect(() => typeNameFrom(text)).toThrow(TypeNameError);
      expect(() => typeNameFrom(text)).toThrow(/<namespace>\/<name>/);
    },
  );
});

describe("parseTypeName", () => {
  it("returns the TypeName or the error, without throwing", () => {
    const ok = parseTypeName("com.example/greeter");
    expect(ok).not.toBeInstanceOf(Error);
    const bad = parseTypeName("greeter");
    expect(bad).toBeInstanceOf(TypeNameError);
    expect((bad as TypeNameError).message).toContain('"greeter"');
  });
});
