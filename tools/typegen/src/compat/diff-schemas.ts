// Compares two versions of one schema file, node by node, and lists every change as a rule id
// with its JSON pointer and the facts that decide which way it breaks. Knows nothing of modes,
// git or files: check-compat.ts decides what breaks.
import { posix } from "node:path";
import { pointerJoin } from "../schema-error.js";
import { isJsonObject, type JsonObject, type JsonValue } from "../schema-model.js";
import type { ChangeFacts, RuleId } from "./compat-rules.js";

/** One change between two versions of a schema. */
export interface SchemaChange {
  /** JSON pointer in the new schema (or the old one, for what is gone). */
  readonly pointer: string;
  readonly rule: RuleId;
  /** What changed, e.g. `"nickname" was removed`. */
  readonly detail: string;
  readonly facts: ChangeFacts;
}

// A node with its nullability peeled off, and its kind.
interface Shape {
  readonly nullable: boolean;
  readonly kind: string;
  readonly node: JsonObject;
}

function shapeOf(value: JsonValue | undefined, file: string): Shape {
  if (!isJsonObject(value)) return { nullable: false, kind: "unknown", node: {} };
  if (Array.isArray(value.anyOf)) {
    const inner = value.anyOf.find((o) => !(isJsonObject(o) && o.type === "null"));
    const shape = shapeOf(inner, file);
    return { ...shape, nullable: true };
  }
  let type = value.type;
  let nullable = false;
  if (Array.isArray(type)) {
    nullable = type.includes("null");
    type = type.find((t) => t !== "null") ?? "unknown";
  }
  if (typeof value.$ref === "string") {
    // Refs are compared by the file they name, relative to the schemas folder.
    return { nullable, kind: `ref:${posix.join(posix.dirname(file), value.$ref)}`, node: value };
  }
  if (value.enum !== undefined) return { nullable, kind: "enum", node: value };
  if (type === "string" && value.format === "int64")
    return { nullable, kind: "int64", node: value };
  return { nullable, kind: typeof type === "string" ? type : "unknown", node: value };
}

const KIND_NAMES: Readonly<Record<string, string>> = {
  int64: "an int64 (decimal string)",
  integer: "an int32 integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  array: "an array",
  object: "an object",
  enum: "an enum",
};

const kindName = (kind: string): string =>
  KIND_NAMES[kind] ?? (kind.startsWith("ref:") ? `a $ref to ${kind.slice(4)}` : kind);

/** Finds a schema file of one side by its path relative to the schemas folder. */
export type SchemaLookup = (file: string) => JsonObject | undefined;

/** How `$ref`s are followed: the files of the old side and of the new side. */
export interface RefLookups {
  readonly before: SchemaLookup;
  readonly after: SchemaLookup;
}

const NO_LOOKUP: RefLookups = { before: () => undefined, after: () => undefined };

// Both sides of a comparison: the file each `$ref` is relative to, and how to follow it.
interface Sides {
  readonly fileBefore: string;
  readonly fileAfter: string;
  readonly lookups: RefLookups;
  /** Ref pairs being compared (a cycle guard). */
  readonly visiting: ReadonlySet<string>;
}

/**
 * Lists the changes from `before` to `after` (both whole schema files). A `$ref` that points to
 * another file than before is followed on both sides and compared by content (nested objects
 * carry no typename on the wire); a `$ref` to the same file is left to that file's own check.
 *
 * @param file the schema's path relative to the schemas folder (resolves `$ref`s)
 */
export function diffSchemas(
  before: JsonObject,
  after: JsonObject,
  file: string,
  lookups: RefLookups = NO_LOOKUP,
): SchemaChange[] {
  const changes: SchemaChange[] = [];
  const oldName = before["x-statefun-typename"];
  const newName = after["x-statefun-typename"];
  if (oldName !== newName) {
    changes.push({
      pointer: "/x-statefun-typename",
      rule: "TYPENAME_CHANGED",
      detail: `the typename changed from ${JSON.stringify(oldName)} to ${JSON.stringify(newName)}`,
      facts: {},
    });
  }
  diffNode(
    before,
    after,
    "",
    { fileBefore: file, fileAfter: file, lookups, visiting: new Set() },
    changes,
  );
  return changes;
}

function diffNode(
  before: JsonValue | undefined,
  after: JsonValue | undefined,
  pointer: string,
  sides: Sides,
  out: SchemaChange[],
): void {
  const a = shapeOf(before, sides.fileBefore);
  const b = shapeOf(after, sides.fileAfter);
  const push = (rule: RuleId, detail: string, facts: ChangeFacts = {}, at = pointer): void => {
    out.push({ pointer: at, rule, detail, facts });
  };
  if (a.nullable && !b.nullable) push("NULLABLE_REMOVED", "the value may no longer be null");
  if (!a.nullable && b.nullable) push("NULLABLE_ADDED", "the value may now be null");
  if (a.kind !== b.kind && a.kind.startsWith("ref:") && b.kind.startsWith("ref:")) {
    const [targetA, targetB] = [a.kind.slice(4), b.kind.slice(4)];
    const [resolvedA, resolvedB] = [sides.lookups.before(targetA), sides.lookups.after(targetB)];
    const pair = `${targetA}\n${targetB}`;
    if (resolvedA !== undefined && resolvedB !== undefined && !sides.visiting.has(pair)) {
      const visiting = new Set([...sides.visiting, pair]);
      const inner: Sides = {
        fileBefore: targetA,
        fileAfter: targetB,
        lookups: sides.lookups,
        visiting,
      };
      diffNode(resolvedA, resolvedB, pointer, inner, out);
      return;
    }
  }
  if (a.kind !== b.kind) {
    if (a.kind === "integer" && b.kind === "number")
      push("TYPE_WIDENED", "an int32 integer became a number");
    else if (a.kind === "number" && b.kind === "integer")
      push("TYPE_NARROWED", "a number became an int32 integer");
    else if (a.kind === "enum" && b.kind === "string") {
      push("CONSTRAINT_WIDENED", "an enum became a free string");
      diffString(a.node, b.node, pointer, out);
    } else if (a.kind === "string" && b.kind === "enum") {
      push("CONSTRAINT_NARROWED", "a free string became an enum");
    } else push("FIELD_TYPE_CHANGED", `${kindName(a.kind)} became ${kindName(b.kind)}`);
    return;
  }
  switch (a.kind) {
    case "enum":
      diffEnum(a.node, b.node, pointer, out);
      return;
    case "string":
      diffString(a.node, b.node, pointer, out);
      return;
    case "integer":
    case "number":
      diffBounds(
        a.node,
        b.node,
        pointer,
        out,
        ["minimum", "exclusiveMinimum"],
        ["maximum", "exclusiveMaximum"],
      );
      return;
    case "array":
      diffBounds(a.node, b.node, pointer, out, ["minItems"], ["maxItems"]);
      diffNode(a.node.items, b.node.items, pointerJoin(pointer, "items"), sides, out);
      return;
    case "object":
      diffObject(a.node, b.node, pointer, sides, out);
      return;
    default:
      return;
  }
}

function diffEnum(a: JsonObject, b: JsonObject, pointer: string, out: SchemaChange[]): void {
  const before = Array.isArray(a.enum) ? a.enum : [];
  const after = Array.isArray(b.enum) ? b.enum : [];
  const at = pointerJoin(pointer, "enum");
  for (const v of before.filter((x) => !after.includes(x))) {
    out.push({
      pointer: at,
      rule: "ENUM_VALUE_REMOVED",
      detail: `the value ${JSON.stringify(v)} was removed`,
      facts: {},
    });
  }
  for (const v of after.filter((x) => !before.includes(x))) {
    out.push({
      pointer: at,
      rule: "ENUM_VALUE_ADDED",
      detail: `the value ${JSON.stringify(v)} was added`,
      facts: {},
    });
  }
}

function diffString(a: JsonObject, b: JsonObject, pointer: string, out: SchemaChange[]): void {
  diffBounds(a, b, pointer, out, ["minLength"], ["maxLength"]);
  for (const keyword of ["pattern", "format"]) {
    const [x, y] = [a[keyword], b[keyword]];
    if (x === y) continue;
    const at = pointerJoin(pointer, keyword);
    if (x === undefined) {
      out.push({
        pointer: at,
        rule: "CONSTRAINT_NARROWED",
        detail: `${keyword} ${JSON.stringify(y)} was added`,
        facts: {},
      });
    } else if (y === undefined) {
      out.push({
        pointer: at,
        rule: "CONSTRAINT_WIDENED",
        detail: `${keyword} ${JSON.stringify(x)} was removed`,
        facts: {},
      });
    } else {
      // Whether one pattern accepts a subset of the other is undecidable in general: both ways.
      const detail = `${keyword} changed from ${JSON.stringify(x)} to ${JSON.stringify(y)}`;
      out.push({ pointer: at, rule: "CONSTRAINT_NARROWED", detail, facts: {} });
      out.push({ pointer: at, rule: "CONSTRAINT_WIDENED", detail, facts: {} });
    }
  }
}

// Lower bounds narrow when added or raised; upper bounds narrow when added or lowered.
function diffBounds(
  a: JsonObject,
  b: JsonObject,
  pointer: string,
  out: SchemaChange[],
  lower: readonly string[],
  upper: readonly string[],
): void {
  for (const [keywords, sign] of [
    [lower, 1],
    [upper, -1],
  ] as const) {
    for (const keyword of keywords) {
      const [x, y] = [a[keyword], b[keyword]];
      if (x === y) continue;
      const at = pointerJoin(pointer, keyword);
      const nx = typeof x === "number" ? x : undefined;
      const ny = typeof y === "number" ? y : undefined;
      const narrowed = nx === undefined || (ny !== undefined && (ny - nx) * sign > 0);
      const detail =
        nx === undefined
          ? `${keyword} ${String(y)} was added`
          : ny === undefined
            ? `${keyword} ${String(x)} was removed`
            : `${keyword} changed from ${nx} to ${ny}`;
      out.push({
        pointer: at,
        rule: narrowed ? "CONSTRAINT_NARROWED" : "CONSTRAINT_WIDENED",
        detail,
        facts: {},
      });
    }
  }
}

function diffObject(
  a: JsonObject,
  b: JsonObject,
  pointer: string,
  sides: Sides,
  out: SchemaChange[],
): void {
  const closedBefore = a.additionalProperties === false;
  const closedAfter = b.additionalProperties === false;
  if (!closedBefore && closedAfter) {
    out.push({
      pointer,
      rule: "ADDITIONAL_PROPERTIES_CLOSED",
      detail: "the object became closed",
      facts: {},
    });
  }
  if (closedBefore && !closedAfter) {
    out.push({
      pointer,
      rule: "ADDITIONAL_PROPERTIES_OPENED",
      detail: "the object became open",
      facts: {},
    });
  }
  const propsBefore = isJsonObject(a.properties) ? a.properties : {};
  const propsAfter = isJsonObject(b.properties) ? b.properties : {};
  const requiredBefore = new Set(Array.isArray(a.required) ? a.required : []);
  const requiredAfter = new Set(Array.isArray(b.required) ? b.required : []);
  const at = (name: string): string => pointerJoin(pointerJoin(pointer, "properties"), name);
  for (const name of Object.keys(propsBefore)) {
    if (name in propsAfter) continue;
    const wasRequired = requiredBefore.has(name);
    out.push({
      pointer: at(name),
      rule: "FIELD_REMOVED",
      detail: `${wasRequired ? "the required" : "the optional"} property "${name}" was removed from ${closedAfter ? "a closed" : "an open"} object`,
      // backward breaks when the new reader's object is closed; forward when old readers required it
      facts: { closed: closedAfter, wasRequired },
    });
  }
  for (const name of Object.keys(propsAfter)) {
    if (name in propsBefore) continue;
    const required = requiredAfter.has(name);
    out.push({
      pointer: at(name),
      rule: required ? "REQUIRED_FIELD_ADDED" : "FIELD_ADDED",
      detail: `the ${required ? "required" : "optional"} property "${name}" was added to ${closedBefore ? "a closed" : "an open"} object`,
      // forward breaks when the old reader's object is closed
      facts: { closed: closedBefore },
    });
  }
  for (const name of Object.keys(propsBefore)) {
    if (!(name in propsAfter)) continue;
    if (!requiredBefore.has(name) && requiredAfter.has(name)) {
      out.push({
        pointer: at(name),
        rule: "FIELD_MADE_REQUIRED",
        detail: `"${name}" became required`,
        facts: {},
      });
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name)) {
      out.push({
        pointer: at(name),
        rule: "FIELD_MADE_OPTIONAL",
        detail: `"${name}" became optional`,
        facts: {},
      });
    }
    diffNode(propsBefore[name], propsAfter[name], at(name), sides, out);
  }
}
