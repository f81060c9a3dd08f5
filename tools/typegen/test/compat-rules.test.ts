// Every compatibility rule in every mode, from before/after pairs of schemas: a change is
// reported exactly when the mode checks a direction it breaks. The expected directions are
// written out here (from reasoning about readers and writers), not read from the rule table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareVersions } from "../src/compat/check-compat.js";
import {
  COMPAT_MODES,
  type CompatMode,
  compatTable,
  RULE_IDS,
  type RuleId,
} from "../src/compat/compat-rules.js";
import type { JsonObject } from "../src/schema-model.js";

const DRAFT = "https://json-schema.org/draft/2020-12/schema";

/** A schema of t/A with the given properties; `required` names, `closed` sets additionalProperties. */
function schema(
  properties: JsonObject,
  required: string[] = [],
  closed = true,
  extra: JsonObject = {},
): JsonObject {
  return {
    $schema: DRAFT,
    "x-statefun-typename": "t/A",
    title: "A",
    description: "A test type.",
    type: "object",
    ...(closed ? { additionalProperties: false } : {}),
    required,
    properties,
    examples: [{}],
    ...extra,
  };
}

const str = { type: "string" };
interface Pair {
  readonly name: string;
  readonly rule: RuleId;
  readonly before: JsonObject;
  readonly after: JsonObject;
  /** Which directions the change breaks: [backward (new reads old), forward (old reads new)]. */
  readonly breaks: readonly [boolean, boolean];
  readonly pointer: string;
}

const PAIRS: Pair[] = [
  {
    name: "typename changed",
    rule: "TYPENAME_CHANGED",
    before: schema({ a: str }),
    after: { ...schema({ a: str }), "x-statefun-typename": "t/B" },
    breaks: [true, true],
    pointer: "/x-statefun-typename",
  },
  {
    name: "optional field removed from a closed object",
    rule: "FIELD_REMOVED",
    before: schema({ a: str, b: str }, ["a"]),
    after: schema({ a: str }, ["a"]),
    breaks: [true, false],
    pointer: "/properties/b",
  },
  {
    name: "required field removed from a closed object",
    rule: "FIELD_REMOVED",
    before: schema({ a: str, b: str }, ["a", "b"]),
    after: schema({ a: str }, ["a"]),
    breaks: [true, true],
    pointer: "/properties/b",
  },
  {
    name: "optional field removed from an open object",
    rule: "FIELD_REMOVED",
    before: schema({ a: str, b: str }, ["a"], false),
    after: schema({ a: str }, ["a"], false),
    breaks: [false, false],
    pointer: "/properties/b",
  },
  {
    name: "required field removed from an open object",
    rule: "FIELD_REMOVED",
    before: schema({ a: str, b: str }, ["b"], false),
    after: schema({ a: str }, [], false),
    breaks: [false, true],
    pointer: "/properties/b",
  },
  {
    name: "optional field added to a closed object",
    rule: "FIELD_ADDED",
    before: schema({ a: str }),
    after: schema({ a: str, b: str }),
    breaks: [false, true],
    pointer: "/properties/b",
  },
  {
    name: "optional field added to an open object",
    rule: "FIELD_ADDED",
    before: schema({ a: str }, [], false),
    after: schema({ a: str, b: str }, [], false),
    breaks: [false, false],
    pointer: "/properties/b",
  },
  {
    name: "required field added to a closed object",
    rule: "REQUIRED_FIELD_ADDED",
    before: schema({ a: str }),
    after: schema({ a: str, b: str }, ["b"]),
    breaks: [true, true],
    pointer: "/properties/b",
  },
  {
    name: "required field added to an open object",
    rule: "REQUIRED_FIELD_ADDED",
    before: schema({ a: str }, [], false),
    after: schema({ a: str, b: str }, ["b"], false),
    breaks: [true, false],
    pointer: "/properties/b",
  },
  {
    name: "field made required",
    rule: "FIELD_MADE_REQUIRED",
    before: schema({ a: str }),
    after: schema({ a: str }, ["a"]),
    breaks: [true, false],
    pointer: "/properties/a",
  },
  {
    name: "field made optional",
    rule: "FIELD_MADE_OPTIONAL",
    before: schema({ a: str }, ["a"]),
    after: schema({ a: str }),
    breaks: [false, true],
    pointer: "/properties/a",
  },
  {
    name: "string became integer",
    rule: "FIELD_TYPE_CHANGED",
    before: schema({ a: str }),
    after: schema({ a: { type: "integer" } }),
    breaks: [true, true],
    pointer: "/properties/a",
  },
  {
    name: "int32 became int64",
    rule: "FIELD_TYPE_CHANGED",
    before: schema({ a: { type: "integer" } }),
    after: schema({ a: { type: "string", format: "int64" } }),
    breaks: [true, true],
    pointer: "/properties/a",
  },
  {
    name: "array items changed type",
    rule: "FIELD_TYPE_CHANGED",
    before: schema({ a: { type: "array", items: str } }),
    after: schema({ a: { type: "array", items: { type: "boolean" } } }),
    breaks: [true, true],
    pointer: "/properties/a/items",
  },
  {
    name: "integer became number",
    rule: "TYPE_WIDENED",
    before: schema({ a: { type: "integer" } }),
    after: schema({ a: { type: "number" } }),
    breaks: [false, true],
    pointer: "/properties/a",
  },
  {
    name: "number became integer",
    rule: "TYPE_NARROWED",
    before: schema({ a: { type: "number" } }),
    after: schema({ a: { type: "integer" } }),
    breaks: [true, false],
    pointer: "/properties/a",
  },
  {
    name: "value made nullable",
    rule: "NULLABLE_ADDED",
    before: schema({ a: str }, ["a"]),
    after: schema({ a: { type: ["string", "null"] } }, ["a"]),
    breaks: [false, true],
    pointer: "/properties/a",
  },
  {
    name: "value no longer nullable",
    rule: "NULLABLE_REMOVED",
    before: schema({ a: { anyOf: [str, { type: "null" }] } }, ["a"]),
    after: schema({ a: str }, ["a"]),
    breaks: [true, false],
    pointer: "/properties/a",
  },
  {
    name: "enum value removed",
    rule: "ENUM_VALUE_REMOVED",
    before: schema({ a: { enum: ["x", "y"] } }),
    after: schema({ a: { enum: ["x"] } }),
    breaks: [true, false],
    pointer: "/properties/a/enum",
  },
  {
    name: "enum value added",
    rule: "ENUM_VALUE_ADDED",
    before: schema({ a: { enum: ["x"] } }),
    after: schema({ a: { enum: ["x", "y"] } }),
    breaks: [false, true],
    pointer: "/properties/a/enum",
  },
  ...(
    [
      [
        "maxLength lowered",
        { type: "string", maxLength: 10 },
        { type: "string", maxLength: 5 },
        "/maxLength",
      ],
      ["minLength added", str, { type: "string", minLength: 1 }, "/minLength"],
      ["pattern added", str, { type: "string", pattern: "^[a-z]+$" }, "/pattern"],
      ["format added", str, { type: "string", format: "email" }, "/format"],
      [
        "minimum raised",
        { type: "integer", minimum: 0 },
        { type: "integer", minimum: 1 },
        "/minimum",
      ],
      [
        "maximum lowered",
        { type: "number", maximum: 10 },
        { type: "number", maximum: 9.5 },
        "/maximum",
      ],
      [
        "exclusiveMinimum added",
        { type: "number" },
        { type: "number", exclusiveMinimum: 0 },
        "/exclusiveMinimum",
      ],
      [
        "maxItems lowered",
        { type: "array", items: str, maxItems: 3 },
        { type: "array", items: str, maxItems: 2 },
        "/maxItems",
      ],
      [
        "minItems added",
        { type: "array", items: str },
        { type: "array", items: str, minItems: 1 },
        "/minItems",
      ],
      ["free string became an enum", str, { enum: ["x"] }, ""],
    ] as [string, JsonObject, JsonObject, string][]
  ).map(
    ([name, before, after, at]): Pair => ({
      name,
      rule: "CONSTRAINT_NARROWED",
      before: schema({ a: before }),
      after: schema({ a: after }),
      breaks: [true, false],
      pointer: `/properties/a${at}`,
    }),
  ),
  ...(
    [
      [
        "maxLength raised",
        { type: "string", maxLength: 5 },
        { type: "string", maxLength: 10 },
        "/maxLength",
      ],
      ["pattern removed", { type: "string", pattern: "^[a-z]+$" }, str, "/pattern"],
      [
        "minimum lowered",
        { type: "integer", minimum: 1 },
        { type: "integer", minimum: 0 },
        "/minimum",
      ],
      [
        "maxItems removed",
        { type: "array", items: str, maxItems: 3 },
        { type: "array", items: str },
        "/maxItems",
      ],
      ["enum became a free string", { enum: ["x"] }, str, ""],
    ] as [string, JsonObject, JsonObject, string][]
  ).map(
    ([name, before, after, at]): Pair => ({
      name,
      rule: "CONSTRAINT_WIDENED",
      before: schema({ a: before }),
      after: schema({ a: after }),
      breaks: [false, true],
      pointer: `/properties/a${at}`,
    }),
  ),
  {
    name: "open object closed",
    rule: "ADDITIONAL_PROPERTIES_CLOSED",
    before: schema({ a: str }, [], false),
    after: schema({ a: str }, [], true),
    breaks: [true, false],
    pointer: "",
  },
  {
    name: "closed object opened",
    rule: "ADDITIONAL_PROPERTIES_OPENED",
    before: schema({ a: str }, [], true),
    after: schema({ a: str }, [], false),
    breaks: [false, true],
    pointer: "",
  },
  {
    name: "nested object field removed",
    rule: "FIELD_REMOVED",
    before: schema({
      o: { type: "object", additionalProperties: false, properties: { x: str, y: str } },
    }),
    after: schema({ o: { type: "object", additionalProperties: false, properties: { x: str } } }),
    breaks: [true, false],
    pointer: "/properties/o/properties/y",
  },
];

// What each mode checks: backward = new readers on old data; forward = old readers on new data.
const CHECKS: Record<CompatMode, readonly [boolean, boolean]> = {
  backward: [true, false],
  forward: [false, true],
  full: [true, true],
  none: [false, false],
  backward_transitive: [true, false],
  forward_transitive: [false, true],
  full_transitive: [true, true],
};

describe("every rule in every mode", () => {
  it("has a before/after pair for every rule but SCHEMA_REMOVED (git.test.ts covers it)", () => {
    const covered = new Set(PAIRS.map((p) => p.rule));
    expect(RULE_IDS.filter((r) => !covered.has(r))).toEqual(["SCHEMA_REMOVED"]);
  });

  for (const pair of PAIRS) {
    for (const mode of COMPAT_MODES) {
      const [checksBackward, checksForward] = CHECKS[mode];
      const expected = (checksBackward && pair.breaks[0]) || (checksForward && pair.breaks[1]);
      it(`${pair.rule} (${pair.name}) ${expected ? "fails" : "passes"} in mode ${mode}`, () => {
        const after = { ...pair.after, "x-statefun-compatibility": mode };
        const found = compareVersions(
          pair.before,
          after,
          "schemas/t/A.schema.json",
          "t/A.schema.json",
          "v1",
        );
        const hits = found.filter((v) => v.rule === pair.rule);
        if (!expected) {
          expect(hits).toEqual([]);
          return;
        }
        expect(hits.map((v) => v.pointer)).toContain(pair.pointer);
        const hit = hits.find((v) => v.pointer === pair.pointer);
        expect(hit?.message).toMatch(
          new RegExp(
            `^schemas/t/A\\.schema\\.json#${pair.pointer.replaceAll("/", "\\/")}: ${pair.rule}: .+; to make it compatible: .+`,
          ),
        );
      });
    }
  }
});

describe("x-statefun-compat-ignore", () => {
  it("skips a rule for one schema and keeps the recorded reason", () => {
    const before = schema({ a: str, b: str });
    const after = {
      ...schema({ a: str }),
      "x-statefun-compat-ignore": {
        FIELD_REMOVED: "b was never written: added and removed in one release",
      },
    };
    const [v] = compareVersions(before, after, "f", "t/A.schema.json", "v1");
    expect(v?.ignoredBecause).toBe("b was never written: added and removed in one release");
    expect(v?.message).toContain("[ignored: b was never written");
  });
});

describe("$refs", () => {
  it("compare a renamed target by content, and report what changed inside it", () => {
    const address = (extra: JsonObject) => schema({ street: str, ...extra });
    const before = schema({ home: { $ref: "./Address.schema.json" } });
    const after = schema({ home: { $ref: "./Place.schema.json" } });
    const lookups = (placeProps: JsonObject) => ({
      before: (f: string) => (f === "t/Address.schema.json" ? address({}) : undefined),
      after: (f: string) => (f === "t/Place.schema.json" ? address(placeProps) : undefined),
    });
    expect(compareVersions(before, after, "f", "t/A.schema.json", "v1", lookups({}))).toEqual([]);
    const changed = compareVersions(
      before,
      after,
      "f",
      "t/A.schema.json",
      "v1",
      lookups({ zip: str }),
    );
    expect(changed.map((v) => [v.pointer, v.rule])).toEqual([]);
    const required = compareVersions(
      before,
      { ...after, "x-statefun-compatibility": "full" },
      "f",
      "t/A.schema.json",
      "v1",
      lookups({ zip: str }),
    );
    expect(required.map((v) => [v.pointer, v.rule])).toEqual([
      ["/properties/home/properties/zip", "FIELD_ADDED"],
    ]);
    expect(compareVersions(before, after, "f", "t/A.schema.json", "v1").map((v) => v.rule)).toEqual(
      ["FIELD_TYPE_CHANGED"],
    );
  });
});

describe("the README", () => {
  it("holds the mode x rule table derived from the rules", () => {
    // cells compared trimmed, rule rows only: the markdown formatter pads the columns
    const cells = (text: string): string[] =>
      text
        .split("\n")
        .filter((line) => line.startsWith("| `"))
        .map((line) =>
          line
            .split("|")
            .map((cell) => cell.trim())
            .join("|"),
        );
    const readme = readFileSync(join(import.meta.dirname, "../README.md"), "utf8");
    expect(cells(readme)).toEqual(cells(compatTable()));
  });
});
