// Step 2 of the pipeline, validate: checks every registry rule about a schema's content (keywords,
// types, enums, ranges, formats, objects, property names, `$ref`s) and reports each broken rule
// with its JSON pointer. It builds nothing: build-model.ts runs only on schemas that pass.
import { existsSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import {
  COMPAT_MODES,
  IGNORE_KEYWORD,
  isRuleId,
  MODE_KEYWORD,
  RULE_IDS,
} from "./compat/compat-rules.js";
import { DRAFT, SUPERSEDES_KEYWORD, TYPENAME_KEYWORD } from "./load-schemas.js";
import { enumConstant, pascalCase } from "./names.js";
import { pointerJoin, SchemaError } from "./schema-error.js";
import {
  type Identities,
  isJsonObject,
  type JsonObject,
  type JsonValue,
  type ResolvedSchema,
  STRING_FORMATS,
} from "./schema-model.js";

// Keywords the generators understand, by where they may appear.
const ROOT_ONLY: ReadonlySet<string> = new Set([
  "$schema",
  TYPENAME_KEYWORD,
  SUPERSEDES_KEYWORD,
  MODE_KEYWORD,
  IGNORE_KEYWORD,
]);
const ANNOTATIONS: ReadonlySet<string> = new Set(["title", "description", "$comment", "examples"]);
const BY_TYPE = {
  string: new Set(["minLength", "maxLength", "pattern", "format"]),
  integer: new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
  number: new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
  boolean: new Set<string>(),
  array: new Set(["items", "minItems", "maxItems"]),
  object: new Set(["properties", "required", "additionalProperties"]),
} satisfies Record<string, ReadonlySet<string>>;

// Why a known JSON Schema keyword is rejected, and which target languages cannot express it.
const UNSUPPORTED: ReadonlyMap<string, string> = new Map(
  Object.entries({
    prefixItems: "tuples have no Go struct, Java record or Python dataclass form: use an object",
    oneOf: "unions have no Go, Java or Python form: use optional fields of an object",
    allOf: "intersections have no Go, Java or Python form: write the merged object out",
    not: "negation has no Go, Java or Python form",
    if: "conditional schemas have no Go, Java or Python form",
    // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword in a lookup table
    then: "conditional schemas have no Go, Java or Python form",
    else: "conditional schemas have no Go, Java or Python form",
    patternProperties:
      "maps are not supported by the Go, Java and Python generators: use an array of objects",
    propertyNames:
      "maps are not supported by the Go, Java and Python generators: use an array of objects",
    dependentRequired: "Go structs, Java records and Python dataclasses cannot express it",
    dependentSchemas: "Go structs, Java records and Python dataclasses cannot express it",
    unevaluatedProperties: "use additionalProperties: false",
    unevaluatedItems: "use items",
    contains: "Go, Java and Python decoders cannot check it: validate in the function",
    const: "Go, Java and Python decoders cannot check it: use an enum with one value",
    default: "each language's JSON library applies defaults differently: make the field optional",
    uniqueItems: "Go slices, Java lists and Python lists do not enforce it",
    multipleOf: "Go, Java and Python decoders cannot check it",
    $defs: "put each type in its own file and $ref it, so every language gets one named type",
    definitions: "put each type in its own file and $ref it, so every language gets one named type",
    $id: "the generator derives the id from the file path",
    $anchor: "refer to whole files",
    $dynamicRef: "refer to whole files with $ref",
    $dynamicAnchor: "refer to whole files with $ref",
  }),
);

/** Property names: they become field names in every language. */
export const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Enum values: they become constants in every language. */
export const ENUM_VALUE = /^[A-Za-z][A-Za-z0-9_-]*$/;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

// Words no property may be named, because at least one target language reserves them.
const RESERVED: ReadonlySet<string> = new Set(
  (
    "abstract assert boolean break byte case catch char class const continue default do double else " +
    "enum extends final finally float for goto if implements import instanceof int interface long " +
    "native new package private protected public return short static strictfp super switch " +
    "synchronized this throw throws transient try void volatile while record var yield sealed permits " +
    "False None True and as async await def del elif except from global in is lambda nonlocal not or " +
    "pass raise with chan defer fallthrough func go map range select struct type " +
    "TYPE TYPENAME self cls typename to_dict from_dict hashCode toString equals getClass notify " +
    "notifyAll wait clone finalize"
  ).split(" "),
);

/**
 * The shape of a schema node once its nullability is peeled off, shared by the rules and the
 * model builder so both read nodes the same way.
 */
export type NodeForm =
  | { readonly form: "ref"; readonly ref: JsonValue }
  | { readonly form: "nullable"; readonly inner: JsonValue; readonly innerIndex: number }
  | {
      readonly form: "enum";
      readonly values: JsonValue;
      readonly nullable: boolean;
      readonly type: JsonValue | undefined;
    }
  | { readonly form: "typed"; readonly type: JsonValue | undefined; readonly nullable: boolean };

/** Reads a node's form; `undefined` when an `anyOf` or a type list is not a nullable wrapper. */
export function nodeForm(node: JsonObject): NodeForm | "bad-anyOf" | "bad-type-list" {
  if (node.$ref !== undefined) return { form: "ref", ref: node.$ref };
  if (node.anyOf !== undefined) {
    const options = node.anyOf;
    const nullIndex = Array.isArray(options)
      ? options.findIndex(
          (o) => isJsonObject(o) && o.type === "null" && Object.keys(o).length === 1,
        )
      : -1;
    if (!Array.isArray(options) || options.length !== 2 || nullIndex < 0) return "bad-anyOf";
    const innerIndex = 1 - nullIndex;
    return { form: "nullable", inner: options[innerIndex] as JsonValue, innerIndex };
  }
  let type: JsonValue | undefined = node.type;
  let nullable = false;
  if (Array.isArray(type)) {
    const nonNull = type.filter((t) => t !== "null");
    if (type.length !== 2 || nonNull.length !== 1) return "bad-type-list";
    type = nonNull[0];
    nullable = true;
  }
  if (node.enum !== undefined) return { form: "enum", values: node.enum, nullable, type };
  return { form: "typed", type, nullable };
}

/** Checks one resolved schema against every content rule; returns the broken ones. */
export function checkSchema(resolved: ResolvedSchema, identities: Identities): SchemaError[] {
  const { file, path, schema, name, typeName } = resolved;
  const errors: SchemaError[] = [];
  const fail = (pointer: string, rule: string, detail: string): void => {
    errors.push(new SchemaError(file, pointer, rule, detail));
  };
  checkRootKeywords(schema, name, typeName, fail);
  checkSupersedes(schema, typeName, identities, fail);
  const context: NodeContext = { path, identities, fail };
  checkNode(schema, "", true, context);
  return errors;
}

type Fail = (pointer: string, rule: string, detail: string) => void;

interface NodeContext {
  readonly path: string;
  readonly identities: Identities;
  readonly fail: Fail;
}

// The keywords only the root has: draft, title, description, examples, and "type": "object".
function checkRootKeywords(schema: JsonObject, name: string, typeName: string, fail: Fail): void {
  if (schema.$schema !== DRAFT) {
    fail("/$schema", "wrong-draft", `set "$schema": "${DRAFT}" (the registry uses draft 2020-12)`);
  }
  for (const keyword of ["title", "description"]) {
    const value = schema[keyword];
    if (typeof value !== "string" || value.length === 0) {
      fail("", "missing-keyword", `add a non-empty "${keyword}"`);
    }
  }
  if (schema.title !== undefined && schema.title !== name) {
    fail(
      "/title",
      "title-mismatch",
      `"title" must be the Name "${name}" (generators name the type after it)`,
    );
  }
  if (!Array.isArray(schema.examples) || schema.examples.length === 0) {
    fail(
      "",
      "missing-keyword",
      `add "examples": [ ... ] with at least one valid ${typeName} value (tests round-trip them)`,
    );
  }
  if (schema.type !== "object") {
    fail("/type", "root-not-object", `a registry type must be "type": "object"`);
  }
  checkCompatKeywords(schema, fail);
}

/** The typenames a schema's `x-statefun-supersedes` names (a string or an array of strings). */
export function supersededBy(schema: JsonObject): string[] {
  const value = schema[SUPERSEDES_KEYWORD];
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === "string");
  return [];
}

// x-statefun-supersedes names other typenames of the registry: the old versions a state of this
// type is upgraded from. They must stay in the registry (their values are still read).
function checkSupersedes(
  schema: JsonObject,
  typeName: string,
  identities: Identities,
  fail: Fail,
): void {
  const value = schema[SUPERSEDES_KEYWORD];
  if (value === undefined) return;
  const at = pointerJoin("", SUPERSEDES_KEYWORD);
  const list = typeof value === "string" ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    list.some((v) => typeof v !== "string") ||
    new Set(list).size !== list.length
  ) {
    fail(
      at,
      "invalid-supersedes",
      `must be the typename of the older version, or an array of distinct typenames, e.g. "x-statefun-supersedes": "com.example/User"`,
    );
    return;
  }
  const known = new Set([...identities.values()].map((i) => i.typeName));
  for (const old of list as string[]) {
    if (old === typeName) {
      fail(at, "invalid-supersedes", `${typeName} cannot supersede itself`);
    } else if (!known.has(old)) {
      fail(
        at,
        "invalid-supersedes",
        `${old} is not in the registry: keep the old version's schema (its stored values are still read and migrated), or fix the typename`,
      );
    }
  }
}

// x-statefun-compatibility is one of the modes; x-statefun-compat-ignore maps rule ids to reasons.
function checkCompatKeywords(schema: JsonObject, fail: Fail): void {
  const mode = schema[MODE_KEYWORD];
  if (
    mode !== undefined &&
    (typeof mode !== "string" || !(COMPAT_MODES as readonly string[]).includes(mode))
  ) {
    fail(
      pointerJoin("", MODE_KEYWORD),
      "invalid-compatibility",
      `${JSON.stringify(mode)} is not a mode: use one of ${COMPAT_MODES.join(", ")} (default backward)`,
    );
  }
  const ignore = schema[IGNORE_KEYWORD];
  if (ignore === undefined) return;
  if (!isJsonObject(ignore)) {
    fail(
      pointerJoin("", IGNORE_KEYWORD),
      "invalid-compat-ignore",
      `must map rule ids to the reason they are skipped, e.g. {"FIELD_REMOVED": "never written: added and removed in 1.4"}`,
    );
    return;
  }
  for (const [rule, reason] of Object.entries(ignore)) {
    const at = pointerJoin(pointerJoin("", IGNORE_KEYWORD), rule);
    if (!isRuleId(rule)) {
      fail(at, "invalid-compat-ignore", `${rule} is not a rule id (rules: ${RULE_IDS.join(", ")})`);
    } else if (typeof reason !== "string" || reason.trim().length < 10) {
      fail(
        at,
        "invalid-compat-ignore",
        "record why the rule is skipped: a reason of at least 10 characters",
      );
    }
  }
}

// Keywords that are never allowed, or only at the root, or unknown extensions.
function checkKeywordPlacement(
  node: JsonObject,
  pointer: string,
  isRoot: boolean,
  fail: Fail,
): void {
  for (const keyword of Object.keys(node)) {
    const why = UNSUPPORTED.get(keyword);
    if (why !== undefined) {
      fail(
        pointerJoin(pointer, keyword),
        "unsupported-keyword",
        `"${keyword}" is not supported: ${why}`,
      );
    } else if (ROOT_ONLY.has(keyword) && !isRoot) {
      fail(
        pointerJoin(pointer, keyword),
        "misplaced-keyword",
        `"${keyword}" belongs at the top of the file only`,
      );
    } else if (keyword.startsWith("x-") && !ROOT_ONLY.has(keyword)) {
      fail(pointerJoin(pointer, keyword), "unsupported-keyword", `unknown extension "${keyword}"`);
    }
  }
}

// Keywords that exist but do not belong to this node's type.
function checkAllowed(
  node: JsonObject,
  pointer: string,
  allowed: ReadonlySet<string>,
  fail: Fail,
): void {
  for (const keyword of Object.keys(node)) {
    if (UNSUPPORTED.has(keyword) || keyword.startsWith("x-") || ROOT_ONLY.has(keyword)) continue;
    if (!ANNOTATIONS.has(keyword) && keyword !== "type" && !allowed.has(keyword)) {
      fail(
        pointerJoin(pointer, keyword),
        "unsupported-keyword",
        `"${keyword}" is not supported here (allowed: ${[...allowed].sort().join(", ") || "annotations only"})`,
      );
    }
  }
}

/** What a checked node turned out to be: enough for the parent's own checks. */
interface Checked {
  readonly nullable: boolean;
}

// Checks a node and everything below it; `undefined` when it cannot become a type at all.
function checkNode(
  node: JsonValue | undefined,
  pointer: string,
  isRoot: boolean,
  context: NodeContext,
): Checked | undefined {
  const { fail } = context;
  if (!isJsonObject(node)) {
    fail(pointer, "not-a-schema", "expected a schema object");
    return undefined;
  }
  checkKeywordPlacement(node, pointer, isRoot, fail);
  const form = nodeForm(node);
  if (form === "bad-anyOf" || (form !== "bad-type-list" && form.form === "nullable")) {
    checkAllowed(node, pointer, new Set(["anyOf"]), fail);
  } else if (form !== "bad-type-list" && form.form === "ref") {
    checkAllowed(node, pointer, new Set(["$ref"]), fail);
  }
  if (form === "bad-anyOf") {
    fail(
      pointerJoin(pointer, "anyOf"),
      "unsupported-keyword",
      `"anyOf" is only supported as [<schema>, {"type": "null"}] (a nullable value)`,
    );
    return undefined;
  }
  if (form === "bad-type-list") {
    fail(
      pointerJoin(pointer, "type"),
      "unsupported-type",
      `a type list must be ["<type>", "null"]`,
    );
    return undefined;
  }
  switch (form.form) {
    case "ref":
      checkRef(form.ref, pointerJoin(pointer, "$ref"), context);
      return { nullable: false };
    case "nullable": {
      const inner = checkNode(
        form.inner,
        pointerJoin(pointerJoin(pointer, "anyOf"), form.innerIndex),
        false,
        context,
      );
      if (inner === undefined) return undefined;
      if (inner.nullable)
        fail(pointer, "unsupported-keyword", "nested nullability is not supported");
      return { nullable: true };
    }
    case "enum":
      return checkEnum(node, form.values, form.type, pointer, fail)
        ? { nullable: form.nullable }
        : undefined;
    case "typed":
      return checkTyped(node, form.type, pointer, isRoot, context)
        ? { nullable: form.nullable }
        : undefined;
  }
}

function checkEnum(
  node: JsonObject,
  values: JsonValue,
  type: JsonValue | undefined,
  pointer: string,
  fail: Fail,
): boolean {
  checkAllowed(node, pointer, new Set(["enum", "type"]), fail);
  if (
    (type !== undefined && type !== "string") ||
    !Array.isArray(values) ||
    values.length === 0 ||
    !values.every((v) => typeof v === "string" && ENUM_VALUE.test(v)) ||
    new Set(values.map((v) => enumConstant(v as string))).size !== values.length
  ) {
    fail(
      pointerJoin(pointer, "enum"),
      "unsupported-enum",
      "an enum must be a non-empty list of distinct identifier-like strings (letters, digits, _ and -)",
    );
    return false;
  }
  return true;
}

function checkTyped(
  node: JsonObject,
  type: JsonValue | undefined,
  pointer: string,
  isRoot: boolean,
  context: NodeContext,
): boolean {
  const { fail } = context;
  switch (type) {
    case "string":
      checkAllowed(node, pointer, BY_TYPE.string, fail);
      if (
        node.format !== undefined &&
        node.format !== "int64" &&
        !(STRING_FORMATS as readonly JsonValue[]).includes(node.format)
      ) {
        fail(
          pointerJoin(pointer, "format"),
          "unsupported-format",
          `format ${JSON.stringify(node.format)} is not supported on strings (supported: int64, ${STRING_FORMATS.join(", ")})`,
        );
      }
      return true;
    case "integer":
      checkAllowed(node, pointer, BY_TYPE.integer, fail);
      for (const keyword of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
        const v = node[keyword];
        if (
          v !== undefined &&
          (typeof v !== "number" || !Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX)
        ) {
          fail(
            pointerJoin(pointer, keyword),
            "int32-range",
            `"type": "integer" is an int32; ${keyword} must be an integer within int32`,
          );
        }
      }
      if (node.format !== undefined) {
        fail(
          pointerJoin(pointer, "format"),
          "unsupported-format",
          node.format === "int64"
            ? 'int64 travels in JSON as a decimal string: declare {"type": "string", "format": "int64"}'
            : `"type": "integer" is always an int32; drop "format"`,
        );
      }
      return true;
    case "number":
      checkAllowed(node, pointer, BY_TYPE.number, fail);
      return true;
    case "boolean":
      checkAllowed(node, pointer, BY_TYPE.boolean, fail);
      return true;
    case "array": {
      checkAllowed(node, pointer, BY_TYPE.array, fail);
      if (node.items === undefined) {
        fail(pointer, "missing-keyword", `an array needs "items"`);
        return false;
      }
      const items = checkNode(node.items, pointerJoin(pointer, "items"), false, context);
      if (items === undefined) return false;
      if (items.nullable)
        fail(pointerJoin(pointer, "items"), "unsupported-type", "array items cannot be nullable");
      return true;
    }
    case "object":
      checkAllowed(node, pointer, BY_TYPE.object, fail);
      return checkObject(node, pointer, isRoot, context);
    case undefined:
      fail(
        pointer,
        "missing-type",
        `add "type" (string, integer, number, boolean, array, object), "enum" or "$ref"`,
      );
      return false;
    default:
      fail(
        pointerJoin(pointer, "type"),
        "unsupported-type",
        `type ${JSON.stringify(type)} is not supported`,
      );
      return false;
  }
}

function checkObject(
  node: JsonObject,
  pointer: string,
  _isRoot: boolean,
  context: NodeContext,
): boolean {
  const { fail } = context;
  if (node.additionalProperties !== false) {
    fail(pointer, "additional-properties", `every object needs "additionalProperties": false`);
  }
  const properties = node.properties ?? {};
  const required = node.required ?? [];
  if (!isJsonObject(properties)) {
    fail(pointerJoin(pointer, "properties"), "not-a-schema", "properties must be an object");
    return false;
  }
  const requiredList = Array.isArray(required) ? required : undefined;
  if (
    requiredList === undefined ||
    !requiredList.every((r) => typeof r === "string" && r in properties)
  ) {
    fail(
      pointerJoin(pointer, "required"),
      "unknown-required",
      "required must list names declared in properties",
    );
  }
  const seen = new Map<string, string>(); // field name in Go/Java -> JSON name
  for (const [jsonName, propertySchema] of Object.entries(properties)) {
    const propertyPointer = pointerJoin(pointerJoin(pointer, "properties"), jsonName);
    if (!IDENT.test(jsonName)) {
      fail(
        propertyPointer,
        "invalid-property-name",
        "property names must match ^[A-Za-z][A-Za-z0-9_]*$ (they become field names in every language)",
      );
      continue;
    }
    if (RESERVED.has(jsonName)) {
      fail(
        propertyPointer,
        "reserved-name",
        `"${jsonName}" is reserved in Go, Java or Python: choose another name`,
      );
      continue;
    }
    const fieldName = pascalCase(jsonName);
    const other = seen.get(fieldName);
    if (other !== undefined) {
      fail(
        propertyPointer,
        "name-collision",
        `"${jsonName}" and "${other}" map to the same field name ${fieldName}`,
      );
      continue;
    }
    seen.set(fieldName, jsonName);
    const checked = checkNode(propertySchema, propertyPointer, false, context);
    if (checked === undefined) continue;
    if (checked.nullable && !(requiredList?.includes(jsonName) ?? false)) {
      fail(
        propertyPointer,
        "optional-nullable",
        `"${jsonName}" is both optional and nullable: Go, Java and Python cannot tell an absent field from null, so make it required (and nullable) or non-nullable (and optional)`,
      );
    }
  }
  return true;
}

/** Resolves a `$ref` to the absolute path of the file it names (undefined when it is not a relative file path). */
export function refTarget(ref: JsonValue, fromPath: string): string | undefined {
  if (
    typeof ref !== "string" ||
    ref.includes("#") ||
    !ref.endsWith(".schema.json") ||
    /^[a-z]+:/.test(ref)
  ) {
    return undefined;
  }
  return resolve(dirname(fromPath), ref);
}

function checkRef(ref: JsonValue, pointer: string, { path, identities, fail }: NodeContext): void {
  const target = refTarget(ref, path);
  if (target === undefined) {
    fail(
      pointer,
      "unresolvable-ref",
      `${JSON.stringify(ref)}: $ref must be a relative path to another schema file, e.g. "./Address.schema.json" (no fragments, no URLs)`,
    );
    return;
  }
  if (!identities.has(target)) {
    fail(
      pointer,
      "unresolvable-ref",
      existsSync(target)
        ? `${String(ref)} exists but is not a valid registry schema (see its own errors)`
        : `${String(ref)} does not exist (resolved to ${relative(dirname(path), target)} relative to this file)`,
    );
  }
}
