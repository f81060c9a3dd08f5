// Reads schemas/<namespace>/<Name>.schema.json, checks every registry rule, and builds the
// language-neutral model that the emitters turn into TypeScript, Go, Java and Python.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { pointerJoin, SchemaError, SchemaErrors } from "./schema-error.mjs";

export const DRAFT = "https://json-schema.org/draft/2020-12/schema";
export const TYPENAME_KEYWORD = "x-statefun-typename";

/**
 * @typedef {{kind: "string"} | {kind: "int64"} | {kind: "int32"} | {kind: "double"} | {kind: "boolean"}
 *   | {kind: "enum", name: string, values: string[]}
 *   | {kind: "array", items: TypeRef}
 *   | ObjectType
 *   | {kind: "ref", name: string, typeName: string}} TypeRef
 * @typedef {{jsonName: string, type: TypeRef, required: boolean, nullable: boolean, description: string | undefined}} Field
 * @typedef {{kind: "object", name: string, description: string | undefined, fields: Field[]}} ObjectType
 * @typedef {{file: string, path: string, namespace: string, name: string, typeName: string,
 *   schema: Record<string, unknown>, root: ObjectType, nested: Array<ObjectType | {kind: "enum", name: string, values: string[]}>,
 *   refs: string[], examples: unknown[]}} SchemaModel
 */

// Keywords the generators understand, by where they may appear.
const ROOT_ONLY = new Set(["$schema", TYPENAME_KEYWORD]);
const ANNOTATIONS = new Set(["title", "description", "$comment", "examples"]);
const BY_TYPE = {
  string: new Set(["minLength", "maxLength", "pattern", "format"]),
  integer: new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
  number: new Set(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
  boolean: new Set(),
  array: new Set(["items", "minItems", "maxItems"]),
  object: new Set(["properties", "required", "additionalProperties"]),
};

// Why a known JSON Schema keyword is rejected, and which target languages cannot express it.
const UNSUPPORTED = new Map(
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

const IDENT = /^[A-Za-z][A-Za-z0-9_]*$/;
const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const NAMESPACE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;
// Words no property may be named, because at least one target language reserves them.
const RESERVED = new Set(
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

/** Upper-cases the first character: `favoriteColor` -> `FavoriteColor`, `postal_code` -> `PostalCode`. */
export function pascalCase(text) {
  return text
    .split("_")
    .filter((part) => part.length > 0)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join("");
}

function findSchemaFiles(dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findSchemaFiles(path));
    else if (entry.endsWith(".schema.json")) out.push(path);
  }
  return out;
}

/**
 * Loads and checks every schema under `schemasDir`. Throws {@link SchemaErrors} listing every
 * broken rule (file, JSON pointer, rule).
 *
 * @param {string} schemasDir absolute path of the schemas folder
 * @param {string} root absolute path that file names in messages are relative to
 * @returns {SchemaModel[]} sorted by typename
 */
export function loadSchemas(schemasDir, root) {
  /** @type {SchemaError[]} */
  const errors = [];
  const files = findSchemaFiles(schemasDir);
  /** @type {Map<string, {file: string, path: string, schema: any}>} */
  const parsed = new Map();
  for (const path of files) {
    const file = relative(root, path).split(sep).join("/");
    try {
      parsed.set(path, { file, path, schema: JSON.parse(readFileSync(path, "utf8")) });
    } catch (error) {
      errors.push(new SchemaError(file, "", "invalid-json", `not valid JSON: ${error.message}`));
    }
  }

  // Pass 1: typenames (needed to resolve $ref in pass 2).
  /** @type {Map<string, string>} typename -> file */
  const byTypeName = new Map();
  /** @type {Map<string, string>} Name -> typename */
  const byName = new Map();
  /** @type {Map<string, {namespace: string, name: string, typeName: string}>} path -> identity */
  const identities = new Map();
  for (const { file, path, schema } of parsed.values()) {
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      errors.push(
        new SchemaError(file, "", "not-an-object", "a schema file must hold a JSON object"),
      );
      continue;
    }
    const typeName = schema[TYPENAME_KEYWORD];
    const ptr = pointerJoin("", TYPENAME_KEYWORD);
    if (typeName === undefined) {
      errors.push(
        new SchemaError(
          file,
          "",
          "missing-typename",
          `add "${TYPENAME_KEYWORD}": "<namespace>/<Name>" (the file's folder and name)`,
        ),
      );
      continue;
    }
    const parts = typeof typeName === "string" ? typeName.split("/") : [];
    if (parts.length !== 2 || !NAMESPACE.test(parts[0]) || !TYPE_NAME.test(parts[1])) {
      errors.push(
        new SchemaError(
          file,
          ptr,
          "invalid-typename",
          `${JSON.stringify(typeName)} must be "<namespace>/<Name>" with exactly one "/", a lower-case dotted namespace and a PascalCase Name, e.g. "com.example/User"`,
        ),
      );
      continue;
    }
    const previous = byTypeName.get(typeName);
    if (previous !== undefined) {
      errors.push(
        new SchemaError(
          file,
          ptr,
          "duplicate-typename",
          `${typeName} is already declared by ${previous}: typenames must be unique`,
        ),
      );
      continue;
    }
    byTypeName.set(typeName, file);
    const [namespace, name] = parts;
    const expected = `${namespace}/${name}.schema.json`;
    if (!file.endsWith(`/${expected}`) && file !== expected) {
      errors.push(
        new SchemaError(
          file,
          ptr,
          "typename-path-mismatch",
          `typename ${typeName} must live in ${expected} under the schemas folder: rename the file or fix the typename`,
        ),
      );
      continue;
    }
    const clash = byName.get(name);
    if (clash !== undefined) {
      errors.push(
        new SchemaError(
          file,
          ptr,
          "duplicate-name",
          `the Name "${name}" is already used by ${clash}: generated code puts every type in one package, so Names must be unique across namespaces`,
        ),
      );
      continue;
    }
    byName.set(name, typeName);
    identities.set(path, { namespace, name, typeName });
  }

  /** @type {SchemaModel[]} */
  const models = [];
  for (const [path, identity] of identities) {
    const { file, schema } = /** @type {{file: string, schema: any}} */ (parsed.get(path));
    const fileErrors = [];
    const model = buildModel({ file, path, schema, ...identity }, identities, fileErrors);
    errors.push(...fileErrors);
    if (fileErrors.length === 0) models.push(model);
  }
  // Names of nested types must not collide with top-level names or with each other.
  const taken = new Map([...byName.keys()].map((n) => [n, byName.get(n)]));
  for (const model of models) {
    for (const nested of model.nested) {
      const owner = taken.get(nested.name);
      if (owner !== undefined) {
        errors.push(
          new SchemaError(
            model.file,
            "",
            "name-collision",
            `the nested type name "${nested.name}" (derived from the property path) is already used by ${owner}: rename the property or the other type`,
          ),
        );
      } else taken.set(nested.name, model.typeName);
    }
  }
  if (errors.length > 0) throw new SchemaErrors(errors);
  return models.sort((a, b) => (a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0));
}

function buildModel({ file, path, schema, namespace, name, typeName }, identities, errors) {
  const fail = (pointer, rule, detail) => errors.push(new SchemaError(file, pointer, rule, detail));
  if (schema.$schema !== DRAFT) {
    fail("/$schema", "wrong-draft", `set "$schema": "${DRAFT}" (the registry uses draft 2020-12)`);
  }
  for (const keyword of ["title", "description"]) {
    if (typeof schema[keyword] !== "string" || schema[keyword].length === 0) {
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
  /** @type {SchemaModel["nested"]} */
  const nested = [];
  /** @type {Set<string>} */
  const refs = new Set();

  /** @returns {{type: TypeRef, nullable: boolean} | undefined} */
  function parseNode(node, pointer, nameHint, isRoot) {
    if (typeof node !== "object" || node === null || Array.isArray(node)) {
      fail(pointer, "not-a-schema", "expected a schema object");
      return undefined;
    }
    for (const keyword of Object.keys(node)) {
      if (UNSUPPORTED.has(keyword)) {
        fail(
          pointerJoin(pointer, keyword),
          "unsupported-keyword",
          `"${keyword}" is not supported: ${UNSUPPORTED.get(keyword)}`,
        );
      } else if (ROOT_ONLY.has(keyword) && !isRoot) {
        fail(
          pointerJoin(pointer, keyword),
          "misplaced-keyword",
          `"${keyword}" belongs at the top of the file only`,
        );
      } else if (keyword.startsWith("x-") && keyword !== TYPENAME_KEYWORD) {
        fail(
          pointerJoin(pointer, keyword),
          "unsupported-keyword",
          `unknown extension "${keyword}"`,
        );
      }
    }
    const known = (allowed) => {
      for (const keyword of Object.keys(node)) {
        if (UNSUPPORTED.has(keyword) || keyword.startsWith("x-") || ROOT_ONLY.has(keyword))
          continue;
        if (!ANNOTATIONS.has(keyword) && keyword !== "type" && !allowed.has(keyword)) {
          fail(
            pointerJoin(pointer, keyword),
            "unsupported-keyword",
            `"${keyword}" is not supported here (allowed: ${[...allowed].sort().join(", ") || "annotations only"})`,
          );
        }
      }
    };

    if (node.$ref !== undefined) {
      known(new Set(["$ref"]));
      return { type: resolveRef(node.$ref, pointerJoin(pointer, "$ref")), nullable: false };
    }
    if (node.anyOf !== undefined) {
      known(new Set(["anyOf"]));
      const options = node.anyOf;
      const nullIndex = Array.isArray(options)
        ? options.findIndex((o) => o && o.type === "null" && Object.keys(o).length === 1)
        : -1;
      if (!Array.isArray(options) || options.length !== 2 || nullIndex < 0) {
        fail(
          pointerJoin(pointer, "anyOf"),
          "unsupported-keyword",
          `"anyOf" is only supported as [<schema>, {"type": "null"}] (a nullable value)`,
        );
        return undefined;
      }
      const inner = parseNode(
        options[1 - nullIndex],
        pointerJoin(pointerJoin(pointer, "anyOf"), 1 - nullIndex),
        nameHint,
        false,
      );
      if (inner === undefined) return undefined;
      if (inner.nullable)
        fail(pointer, "unsupported-keyword", "nested nullability is not supported");
      return { type: inner.type, nullable: true };
    }
    let type = node.type;
    let nullable = false;
    if (Array.isArray(type)) {
      const nonNull = type.filter((t) => t !== "null");
      if (type.length !== 2 || nonNull.length !== 1) {
        fail(
          pointerJoin(pointer, "type"),
          "unsupported-type",
          `a type list must be ["<type>", "null"]`,
        );
        return undefined;
      }
      type = nonNull[0];
      nullable = true;
    }
    if (node.enum !== undefined) {
      known(new Set(["enum", "type"]));
      const values = node.enum;
      if (
        (type !== undefined && type !== "string") ||
        !Array.isArray(values) ||
        values.length === 0 ||
        !values.every((v) => typeof v === "string" && /^[A-Za-z][A-Za-z0-9_-]*$/.test(v)) ||
        new Set(values.map((v) => enumConstant(v))).size !== values.length
      ) {
        fail(
          pointerJoin(pointer, "enum"),
          "unsupported-enum",
          "an enum must be a non-empty list of distinct identifier-like strings (letters, digits, _ and -)",
        );
        return undefined;
      }
      const enumType = { kind: /** @type {const} */ ("enum"), name: nameHint, values: [...values] };
      nested.push(enumType);
      return { type: enumType, nullable };
    }
    switch (type) {
      case "string": {
        known(BY_TYPE.string);
        if (node.format === "int64") return { type: { kind: "int64" }, nullable };
        if (node.format !== undefined) {
          fail(
            pointerJoin(pointer, "format"),
            "unsupported-format",
            `format ${JSON.stringify(node.format)} is not supported on strings (only "int64")`,
          );
        }
        return { type: { kind: "string" }, nullable };
      }
      case "integer":
        known(BY_TYPE.integer);
        for (const keyword of ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]) {
          const v = node[keyword];
          if (v !== undefined && (!Number.isInteger(v) || v < -2147483648 || v > 2147483647)) {
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
        return { type: { kind: "int32" }, nullable };
      case "number":
        known(BY_TYPE.number);
        return { type: { kind: "double" }, nullable };
      case "boolean":
        known(BY_TYPE.boolean);
        return { type: { kind: "boolean" }, nullable };
      case "array": {
        known(BY_TYPE.array);
        if (node.items === undefined) {
          fail(pointer, "missing-keyword", `an array needs "items"`);
          return undefined;
        }
        const items = parseNode(
          node.items,
          pointerJoin(pointer, "items"),
          `${nameHint}Item`,
          false,
        );
        if (items === undefined) return undefined;
        if (items.nullable) {
          fail(pointerJoin(pointer, "items"), "unsupported-type", "array items cannot be nullable");
        }
        return { type: { kind: "array", items: items.type }, nullable };
      }
      case "object": {
        known(BY_TYPE.object);
        const object = parseObject(node, pointer, nameHint);
        if (object === undefined) return undefined;
        if (!isRoot) nested.push(object);
        return { type: object, nullable };
      }
      case undefined:
        fail(
          pointer,
          "missing-type",
          `add "type" (string, integer, number, boolean, array, object), "enum" or "$ref"`,
        );
        return undefined;
      default:
        fail(
          pointerJoin(pointer, "type"),
          "unsupported-type",
          `type ${JSON.stringify(type)} is not supported`,
        );
        return undefined;
    }
  }

  function parseObject(node, pointer, objectName) {
    if (node.additionalProperties !== false) {
      fail(pointer, "additional-properties", `every object needs "additionalProperties": false`);
    }
    const properties = node.properties ?? {};
    const required = node.required ?? [];
    if (typeof properties !== "object" || Array.isArray(properties)) {
      fail(pointerJoin(pointer, "properties"), "not-a-schema", "properties must be an object");
      return undefined;
    }
    if (
      !Array.isArray(required) ||
      !required.every((r) => typeof r === "string" && r in properties)
    ) {
      fail(
        pointerJoin(pointer, "required"),
        "unknown-required",
        "required must list names declared in properties",
      );
    }
    /** @type {Field[]} */
    const fields = [];
    const seen = new Map();
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
      const goName = pascalCase(jsonName);
      if (seen.has(goName)) {
        fail(
          propertyPointer,
          "name-collision",
          `"${jsonName}" and "${seen.get(goName)}" map to the same field name ${goName}`,
        );
        continue;
      }
      seen.set(goName, jsonName);
      const parsedField = parseNode(
        propertySchema,
        propertyPointer,
        `${objectName}${goName}`,
        false,
      );
      if (parsedField === undefined) continue;
      const isRequired = Array.isArray(required) && required.includes(jsonName);
      if (parsedField.nullable && !isRequired) {
        fail(
          propertyPointer,
          "optional-nullable",
          `"${jsonName}" is both optional and nullable: Go, Java and Python cannot tell an absent field from null, so make it required (and nullable) or non-nullable (and optional)`,
        );
        continue;
      }
      fields.push({
        jsonName,
        type: parsedField.type,
        required: isRequired,
        nullable: parsedField.nullable,
        description:
          typeof propertySchema?.description === "string" ? propertySchema.description : undefined,
      });
    }
    return {
      kind: /** @type {const} */ ("object"),
      name: objectName,
      description: node.description,
      fields,
    };
  }

  function resolveRef(ref, pointer) {
    if (
      typeof ref !== "string" ||
      ref.includes("#") ||
      !ref.endsWith(".schema.json") ||
      /^[a-z]+:/.test(ref)
    ) {
      fail(
        pointer,
        "unresolvable-ref",
        `${JSON.stringify(ref)}: $ref must be a relative path to another schema file, e.g. "./Address.schema.json" (no fragments, no URLs)`,
      );
      return { kind: "string" };
    }
    const target = resolve(dirname(path), ref);
    const identity = identities.get(target);
    if (identity === undefined) {
      fail(
        pointer,
        "unresolvable-ref",
        existsSync(target)
          ? `${ref} exists but is not a valid registry schema (see its own errors)`
          : `${ref} does not exist (resolved to ${relative(dirname(path), target)} relative to this file)`,
      );
      return { kind: "string" };
    }
    refs.add(identity.typeName);
    return { kind: "ref", name: identity.name, typeName: identity.typeName };
  }

  const parsedRoot = parseNode(schema, "", name, true);
  const root =
    parsedRoot?.type.kind === "object"
      ? parsedRoot.type
      : { kind: "object", name, description: "", fields: [] };
  return {
    file,
    path,
    namespace,
    name,
    typeName,
    schema,
    root,
    nested,
    refs: [...refs].sort(),
    examples: Array.isArray(schema.examples) ? schema.examples : [],
  };
}

/** `suspended` -> `SUSPENDED`, `in-progress` -> `IN_PROGRESS`, `camelCase` -> `CAMEL_CASE`. */
export function enumConstant(value) {
  return value
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replaceAll("-", "_")
    .toUpperCase();
}
