import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { TypeJson } from "./api-types.js";
import { checkValue } from "./schema-check.js";

// The schemas as the runtime serves them (GET /api/types): each with its $id.
function registry(...names: string[]): TypeJson[] {
  return names.map((name) => {
    const schema = JSON.parse(
      readFileSync(
        fileURLToPath(new URL(`../../../schemas/${name}.schema.json`, import.meta.url)),
        "utf8",
      ),
    );
    return {
      typename: schema["x-statefun-typename"],
      kind: "registry",
      schema: { ...schema, $id: `https://statefun-ts.local/schemas/${name}.schema.json` },
    };
  });
}

const types = registry("com.example/GreetRequest", "compat/Sample", "compat/PostalAddress");
const pointers = (typename: string, text: string) =>
  checkValue(typename, text, types).violations.map((v) => `${v.pointer} ${v.message}`);

describe("checkValue (the send form's check, in the page)", () => {
  it("accepts a value that matches its schema", () => {
    expect(checkValue("com.example/GreetRequest", '{ "name": "Bob" }', types)).toEqual({
      ok: true,
      violations: [],
    });
  });

  it("names the JSON pointer of each violation", () => {
    expect(pointers("com.example/GreetRequest", '{ "name": 42 }')).toEqual([
      "/name must be string, not number",
    ]);
    expect(pointers("com.example/GreetRequest", '{ "nam": "Bob" }')).toEqual([
      "/name is required",
      "/nam is not allowed (the schema has additionalProperties: false)",
    ]);
    expect(pointers("com.example/GreetRequest", '{ "name": "" }')[0]).toMatch(/^\/name /);
    expect(pointers("com.example/GreetRequest", "[]")).toEqual([" must be object, not array"]);
  });

  it("follows $refs between schemas and points into nested values", () => {
    const sample = JSON.parse(
      readFileSync(
        fileURLToPath(new URL("../../../schemas/compat/Sample.schema.json", import.meta.url)),
        "utf8",
      ),
    ).examples[0];
    expect(checkValue("compat/Sample", JSON.stringify(sample), types)).toEqual({
      ok: true,
      violations: [],
    });
    const broken = { ...sample, home: { ...sample.home, city: 7 } };
    expect(
      pointers("compat/Sample", JSON.stringify(broken)).some((v) => v.startsWith("/home/city ")),
    ).toBe(true);
  });

  it("says when the text is not JSON", () => {
    const result = checkValue("com.example/GreetRequest", "{ name: Bob }", types);
    expect(result.ok).toBe(false);
    expect(result.violations[0]?.pointer).toBe("");
    expect(result.violations[0]?.message).toMatch(/^is not JSON/);
  });

  it("checks the text forms of built-in types", () => {
    expect(checkValue("io.statefun.types/int", "42", types).ok).toBe(true);
    expect(
      checkValue("io.statefun.types/int", "2147483648", types).violations[0]?.message,
    ).toContain("32-bit");
    expect(checkValue("io.statefun.types/long", "-9223372036854775808", types).ok).toBe(true);
    expect(checkValue("io.statefun.types/long", "9223372036854775808", types).ok).toBe(false);
    expect(checkValue("io.statefun.types/bool", "yes", types).ok).toBe(false);
    expect(checkValue("io.statefun.types/double", "1.5e3", types).ok).toBe(true);
    expect(checkValue("io.statefun.types/string", "anything at all", types).ok).toBe(true);
  });
});
