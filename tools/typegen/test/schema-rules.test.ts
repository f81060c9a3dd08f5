// Every registry rule: a schema that breaks it fails with its file, JSON pointer and rule id.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generate } from "../src/generate.js";
import { loadSchemas } from "../src/load-registry.js";
import { SchemaErrors } from "../src/schema-error.js";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** A valid schema of `<ns>/<Name>`; `patch` overrides or adds keywords. */
function schema(typeName: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  const name = typeName.split("/").pop();
  return {
    $schema: DRAFT,
    "x-statefun-typename": typeName,
    title: name,
    description: `The ${name} test type.`,
    type: "object",
    additionalProperties: false,
    required: ["id"],
    properties: { id: { type: "string" } },
    examples: [{ id: "a" }],
    ...patch,
  };
}

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});

/** Writes files (path -> object or raw text) into a fresh schemas folder and loads it. */
function load(files: Record<string, unknown>): { root: string; run: () => unknown } {
  const root = mkdtempSync(join(tmpdir(), "typegen-rules-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, "schemas", path);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, typeof content === "string" ? content : JSON.stringify(content));
  }
  return { root, run: () => loadSchemas(join(root, "schemas"), root) };
}

/** The errors a set of schema files produces, as {file, pointer, rule}. */
function errorsOf(
  files: Record<string, unknown>,
): { file: string; pointer: string; rule: string; message: string }[] {
  try {
    load(files).run();
  } catch (error) {
    if (!(error instanceof SchemaErrors)) throw error;
    return error.errors.map((e) => ({
      file: e.file,
      pointer: e.pointer,
      rule: e.rule,
      message: e.message,
    }));
  }
  return [];
}

const ok = { "t/Ok.schema.json": schema("t/Ok") };

describe("bad schemas fail with the file, the JSON pointer and the rule", () => {
  it("accepts a valid registry", () => {
    expect(errorsOf(ok)).toEqual([]);
  });

  it("accepts a compatibility mode and recorded ignores at the top", () => {
    const compat = {
      "x-statefun-compatibility": "full_transitive",
      "x-statefun-compat-ignore": { FIELD_REMOVED: "never written: added and removed in 1.4" },
    };
    expect(errorsOf({ "t/Ok.schema.json": schema("t/Ok", compat) })).toEqual([]);
  });

  const cases: [string, Record<string, unknown>, string, string][] = [
    ["invalid-json", { "t/A.schema.json": "{ not json" }, "schemas/t/A.schema.json", ""],
    [
      "missing-typename",
      {
        "t/A.schema.json": (() => {
          const s = schema("t/A");
          delete s["x-statefun-typename"];
          return s;
        })(),
      },
      "schemas/t/A.schema.json",
      "",
    ],
    [
      "invalid-typename",
      { "t/A.schema.json": schema("t/x/A") },
      "schemas/t/A.schema.json",
      "/x-statefun-typename",
    ],
    [
      "invalid-typename",
      { "t/A.schema.json": schema("A") },
      "schemas/t/A.schema.json",
      "/x-statefun-typename",
    ],
    [
      "duplicate-typename",
      { "t/A.schema.json": schema("t/A"), "t/B.schema.json": schema("t/A", { title: "A" }) },
      "schemas/t/B.schema.json",
      "/x-statefun-typename",
    ],
    [
      "typename-path-mismatch",
      { "t/A.schema.json": schema("t/B") },
      "schemas/t/A.schema.json",
      "/x-statefun-typename",
    ],
    [
      "duplicate-name",
      { "t/A.schema.json": schema("t/A"), "u/A.schema.json": schema("u/A") },
      "schemas/u/A.schema.json",
      "/x-statefun-typename",
    ],
    [
      "unsupported-keyword",
      {
        "t/A.schema.json": schema("t/A", {
          properties: {
            id: { type: "string" },
            pair: { type: "array", prefixItems: [{ type: "string" }] },
          },
        }),
      },
      "schemas/t/A.schema.json",
      "/properties/pair/prefixItems",
    ],
    [
      "unsupported-keyword",
      {
        "t/A.schema.json": schema("t/A", {
          properties: { id: { oneOf: [{ type: "string" }, { type: "integer" }] } },
        }),
      },
      "schemas/t/A.schema.json",
      "/properties/id/oneOf",
    ],
    [
      "unresolvable-ref",
      {
        "t/A.schema.json": schema("t/A", { properties: { id: { $ref: "./Missing.schema.json" } } }),
      },
      "schemas/t/A.schema.json",
      "/properties/id/$ref",
    ],
    [
      "unresolvable-ref",
      { "t/A.schema.json": schema("t/A", { properties: { id: { $ref: "#/$defs/X" } } }) },
      "schemas/t/A.schema.json",
      "/properties/id/$ref",
    ],
    [
      "additional-properties",
      { "t/A.schema.json": schema("t/A", { additionalProperties: true }) },
      "schemas/t/A.schema.json",
      "",
    ],
    [
      "missing-keyword",
      { "t/A.schema.json": schema("t/A", { examples: undefined }) },
      "schemas/t/A.schema.json",
      "",
    ],
    [
      "unsupported-format",
      {
        "t/A.schema.json": schema("t/A", {
          properties: { id: { type: "integer", format: "int64" } },
          examples: [{ id: 1 }],
        }),
      },
      "schemas/t/A.schema.json",
      "/properties/id/format",
    ],
    [
      "optional-nullable",
      {
        "t/A.schema.json": schema("t/A", {
          properties: { id: { type: "string" }, n: { type: ["string", "null"] } },
        }),
      },
      "schemas/t/A.schema.json",
      "/properties/n",
    ],
    [
      "reserved-name",
      {
        "t/A.schema.json": schema("t/A", {
          properties: { id: { type: "string" }, class: { type: "string" } },
        }),
      },
      "schemas/t/A.schema.json",
      "/properties/class",
    ],
    [
      "invalid-compatibility",
      { "t/A.schema.json": schema("t/A", { "x-statefun-compatibility": "sideways" }) },
      "schemas/t/A.schema.json",
      "/x-statefun-compatibility",
    ],
    [
      "invalid-compat-ignore",
      {
        "t/A.schema.json": schema("t/A", {
          "x-statefun-compat-ignore": { FIELD_GONE: "a good long reason" },
        }),
      },
      "schemas/t/A.schema.json",
      "/x-statefun-compat-ignore/FIELD_GONE",
    ],
    [
      "invalid-compat-ignore",
      { "t/A.schema.json": schema("t/A", { "x-statefun-compat-ignore": { FIELD_REMOVED: "" } }) },
      "schemas/t/A.schema.json",
      "/x-statefun-compat-ignore/FIELD_REMOVED",
    ],
    [
      "misplaced-keyword",
      {
        "t/A.schema.json": schema("t/A", {
          properties: { id: { type: "string", "x-statefun-compatibility": "none" } },
        }),
      },
      "schemas/t/A.schema.json",
      "/properties/id/x-statefun-compatibility",
    ],
    [
      "wrong-draft",
      { "t/A.schema.json": schema("t/A", { $schema: "http://json-schema.org/draft-07/schema#" }) },
      "schemas/t/A.schema.json",
      "/$schema",
    ],
  ];

  for (const [rule, files, file, pointer] of cases) {
    it(`${rule} at ${file}#${pointer}`, () => {
      const errors = errorsOf({ ...ok, ...files });
      expect(errors).toContainEqual(expect.objectContaining({ file, pointer, rule }));
      const error = errors.find((e) => e.rule === rule);
      expect(error?.message.startsWith(`${file}#${pointer}: ${rule}: `)).toBe(true);
    });
  }

  it("invalid-example: an example that breaks its own schema fails generation", async () => {
    const { root } = load({
      ...ok,
      "t/A.schema.json": schema("t/A", { examples: [{ id: "a" }, { id: 5 }] }),
    });
    const error = await generate({
      root,
      outputs: { typescript: join(root, "out/ts"), go: null, java: null, python: null },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaErrors);
    if (!(error instanceof SchemaErrors)) return;
    expect(error.errors.map((e) => [e.file, e.pointer, e.rule])).toEqual([
      ["schemas/t/A.schema.json", "/examples/1", "invalid-example"],
    ]);
    expect(error.message).toContain("/id must be string");
  });

  it("reports every broken file at once", () => {
    const errors = errorsOf({ "t/A.schema.json": schema("t/B"), "t/C.schema.json": "[" });
    expect(errors.map((e) => e.rule).sort()).toEqual(["invalid-json", "typename-path-mismatch"]);
  });
});

describe("string formats", () => {
  it("accepts int64, date-time, date, uuid, email and uri, and names the supported ones otherwise", () => {
    const formats = ["date-time", "date", "uuid", "email", "uri"];
    const properties = Object.fromEntries(
      formats.map((f, i) => [`f${i}`, { type: "string", format: f }]),
    );
    expect(
      errorsOf({
        "t/A.schema.json": schema("t/A", { properties: { id: { type: "string" }, ...properties } }),
      }),
    ).toEqual([]);
    const [error] = errorsOf({
      "t/A.schema.json": schema("t/A", {
        properties: { id: { type: "string", format: "hostname" } },
      }),
    });
    expect(error?.message).toBe(
      'schemas/t/A.schema.json#/properties/id/format: unsupported-format: format "hostname" is not supported on strings (supported: int64, date-time, date, uuid, email, uri)',
    );
  });
});
