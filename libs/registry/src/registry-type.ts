import { SerializationError, type SimpleType, typeNameFrom } from "@statefun-ts/sdk";
import { RegistryValidationError, type Violation } from "./registry-validation-error.js";
import type { Validator, ValidatorError } from "./validator.js";

/**
 * A registry type: a {@link SimpleType} whose values travel as UTF-8 JSON and are checked against
 * their JSON Schema. `deserialize` always validates (bytes come from elsewhere); `serialize`
 * validates too, unless you take {@link RegistryType.withoutValidation}.
 */
export interface RegistryType<T> extends SimpleType<T> {
  /** Whether `value` matches the schema. */
  is(value: unknown): value is T;
  /** Throws a {@link RegistryValidationError} listing every violation when `value` does not match. */
  validate(value: unknown): asserts value is T;
  /**
   * The same type (same typename, same bytes) without the schema check in `serialize`, for hot
   * paths whose values are known to be valid. `deserialize` still validates.
   */
  withoutValidation(): SimpleType<T>;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function violations(errors: readonly ValidatorError[] | null | undefined): Violation[] {
  return (errors ?? []).map((e) => {
    const missing = e.params.missingProperty;
    if (e.keyword === "required" && typeof missing === "string") {
      return { pointer: `${e.instancePath}/${escapePointer(missing)}`, message: "is required" };
    }
    const extra = e.params.additionalProperty;
    if (e.keyword === "additionalProperties" && typeof extra === "string") {
      return {
        pointer: `${e.instancePath}/${escapePointer(extra)}`,
        message: "is not allowed (the schema has additionalProperties: false)",
      };
    }
    const allowed = e.params.allowedValues;
    if (e.keyword === "enum" && Array.isArray(allowed)) {
      return {
        pointer: e.instancePath,
        message: `must be one of ${allowed.map((v) => JSON.stringify(v)).join(", ")}`,
      };
    }
    return { pointer: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
  });
}

function escapePointer(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Builds a registry type from its typename and its compiled validator. Generated code calls
 * this; you rarely need it yourself.
 */
export function makeRegistryType<T>(typeName: string, validator: Validator): RegistryType<T> {
  const name = typeNameFrom(typeName);
  const check = (value: unknown, direction: RegistryValidationError["direction"]): void => {
    if (!validator(value)) {
      throw new RegistryValidationError(typeName, direction, violations(validator.errors));
    }
  };
  const encode = (value: T): Uint8Array => {
    const json = JSON.stringify(value);
    if (json === undefined) {
      throw new SerializationError(
        `${typeName}: cannot serialize ${String(value)}: it has no JSON form`,
      );
    }
    return Buffer.from(json, "utf8");
  };
  const deserialize = (bytes: Uint8Array): T => {
    let value: unknown;
    try {
      // Go's encoder appends "\n"; JSON.parse ignores surrounding whitespace.
      value = JSON.parse(decoder.decode(bytes));
    } catch (error) {
      throw new SerializationError(
        `${typeName}: cannot deserialize ${bytes.length} bytes: not UTF-8 JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    check(value, "deserialize");
    return value as T;
  };
  const unchecked: SimpleType<T> = { typeName: name, serialize: encode, deserialize };
  return {
    typeName: name,
    serialize(value: T): Uint8Array {
      check(value, "serialize");
      return encode(value);
    },
    deserialize,
    is(value: unknown): value is T {
      return validator(value);
    },
    validate(value: unknown): asserts value is T {
      check(value, "validate");
    },
    withoutValidation: () => unchecked,
  };
}
