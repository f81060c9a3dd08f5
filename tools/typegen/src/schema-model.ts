// The typed, language-neutral model of the registry that every emitter reads: the JSON shapes
// of schema files as parsed, and the types built from them. No logic lives here.

/** A parsed JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A parsed JSON object (a schema node, or a whole schema file). */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** A string enum; nested in the schema that declares it. */
export interface EnumType {
  readonly kind: "enum";
  /** Generated type name, derived from the property path (e.g. `UserFavoriteColor`). */
  readonly name: string;
  readonly values: readonly string[];
}

/** An object type: the schema's root, or a nested object declared inline. */
export interface ObjectType {
  readonly kind: "object";
  readonly name: string;
  readonly description: string | undefined;
  readonly fields: readonly Field[];
}

/** A reference to another schema file's root type. */
export interface RefType {
  readonly kind: "ref";
  /** The referenced type's Name. */
  readonly name: string;
  readonly typeName: string;
}

/** An array of one item type (items are never nullable). */
export interface ArrayType {
  readonly kind: "array";
  readonly items: TypeRef;
  readonly constraints?: Constraints;
}

/** The string formats the registry supports besides int64 (a kind of its own). */
export const STRING_FORMATS = ["date-time", "date", "uuid", "email", "uri"] as const;

/** One of {@link STRING_FORMATS}. */
export type StringFormat = (typeof STRING_FORMATS)[number];

/**
 * The validation keywords of a node, as the schema states them (absent = unconstrained). Every
 * language checks them; TypeScript through ajv, the others through generated checks.
 */
export interface Constraints {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly exclusiveMaximum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** The keywords of {@link Constraints}. */
export const CONSTRAINT_KEYWORDS = [
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
] as const satisfies readonly (keyof Constraints)[];

/** A scalar: int64 travels as a decimal string, int32 is JSON Schema's "integer". */
export interface ScalarType {
  readonly kind: "int64" | "int32" | "double" | "boolean";
  readonly constraints?: Constraints;
}

/** A string, possibly of a format; every language keeps the text as written (see README). */
export interface StringType {
  readonly kind: "string";
  readonly format?: StringFormat;
  readonly constraints?: Constraints;
}

/** Every type a field, an array item or a root can have. */
export type TypeRef = ScalarType | StringType | EnumType | ArrayType | ObjectType | RefType;

/** A property of an object type. */
export interface Field {
  readonly jsonName: string;
  readonly type: TypeRef;
  readonly required: boolean;
  readonly nullable: boolean;
  readonly description: string | undefined;
}

/** Where a schema lives and what it is called: the result of resolving its typename. */
export interface SchemaIdentity {
  readonly namespace: string;
  readonly name: string;
  readonly typeName: string;
}

/** A schema file that parsed as a JSON object and has a valid, unique typename. */
export interface ResolvedSchema extends SchemaIdentity {
  /** Path relative to the workspace root, with "/" separators (used in messages and headers). */
  readonly file: string;
  /** Absolute path. */
  readonly path: string;
  readonly schema: JsonObject;
}

/** One registry type, ready for the emitters. */
export interface SchemaModel extends ResolvedSchema {
  readonly root: ObjectType;
  /** Nested objects and enums, in declaration order (depth first). */
  readonly nested: readonly (ObjectType | EnumType)[];
  /** Typenames of the schemas this one references, sorted. */
  readonly refs: readonly string[];
  readonly examples: readonly JsonValue[];
  /** Typenames of the older versions this type supersedes (`x-statefun-supersedes`), sorted. */
  readonly supersedes: readonly string[];
}

/** Absolute schema path -> identity: how `$ref`s are resolved. */
export type Identities = ReadonlyMap<string, SchemaIdentity>;

/** True for a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
