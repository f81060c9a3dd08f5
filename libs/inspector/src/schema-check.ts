// Validates a value typed into the send form, in the page, before anything is sent: built-ins
// by their text form, registry types as JSON against their JSON Schema (draft 2020-12, with the
// `$ref`s between schemas), each violation named by its JSON pointer.
import { type OutputUnit, Validator } from "@cfworker/json-schema";
import type { JsonValue, TypeJson, ViolationJson } from "./api-types.js";

/** The outcome of checking a value: the violations, none when it may be sent. */
export interface CheckResult {
  readonly ok: boolean;
  readonly violations: readonly ViolationJson[];
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$|^[-+]?(Infinity|NaN)$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function fail(pointer: string, message: string): CheckResult {
  return { ok: false, violations: [{ pointer, message }] };
}

function checkBuiltIn(typename: string, text: string): CheckResult | undefined {
  const value = text.trim();
  switch (typename) {
    case "io.statefun.types/string":
      return { ok: true, violations: [] };
    case "io.statefun.types/bool":
      return value === "true" || value === "false"
        ? { ok: true, violations: [] }
        : fail("", "must be true or false");
    case "io.statefun.types/int": {
      if (!INTEGER.test(value)) return fail("", "must be an integer, e.g. 42");
      const n = Number(value);
      return n >= INT32_MIN && n <= INT32_MAX
        ? { ok: true, violations: [] }
        : fail("", `must be between ${INT32_MIN} and ${INT32_MAX} (a 32-bit int)`);
    }
    case "io.statefun.types/long": {
      if (!INTEGER.test(value)) return fail("", "must be an integer, e.g. -9007199254740993");
      const n = BigInt(value.replace(/^\+/, ""));
      return n >= INT64_MIN && n <= INT64_MAX
        ? { ok: true, violations: [] }
        : fail("", "must fit in 64 bits");
    }
    case "io.statefun.types/float":
    case "io.statefun.types/double":
      return NUMBER.test(value)
        ? { ok: true, violations: [] }
        : fail("", "must be a number, e.g. 1.5");
    default:
      return undefined;
  }
}

/** `#/a/b` (the validator's form, URI-encoded) to the JSON pointer `/a/b`. */
function pointerOf(location: string): string {
  const path = location.replace(/^#/, "");
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function escapeToken(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/** Turns the validator's output into one violation per leaf problem. */
export function violationsOf(errors: readonly OutputUnit[]): ViolationJson[] {
  const result: ViolationJson[] = [];
  const seen = new Set<string>();
  const add = (pointer: string, message: string) => {
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) return;
    seen.add(key);
    result.push({ pointer, message });
  };
  for (const error of errors) {
    const pointer = pointerOf(error.instanceLocation);
    // A parent ("does not match schema") whose child error says what is wrong is left out.
    const hasChild = errors.some(
      (other) => other !== error && other.keywordLocation.startsWith(`${error.keywordLocation}/`),
    );
    switch (error.keyword) {
      case "required": {
        const missing = /"([^"]*)"/.exec(error.error)?.[1];
        add(missing === undefined ? pointer : `${pointer}/${escapeToken(missing)}`, "is required");
        break;
      }
      case "false":
        add(pointer, "is not allowed (the schema has additionalProperties: false)");
        break;
      case "additionalProperties":
      case "properties":
      case "items":
      case "prefixItems":
      case "$ref":
      case "allOf":
      case "unevaluatedProperties":
        if (
          !hasChild &&
          !errors.some(
            (o) => o !== error && pointerOf(o.instanceLocation).startsWith(`${pointer}/`),
          )
        ) {
          add(pointer, error.error);
        }
        break;
      case "type": {
        // 'Instance type "number" is invalid. Expected "string".' -> 'must be string, not number'
        const [, actual, expected] =
          /"([^"]+)" is invalid\. Expected "([^"]+)"/.exec(error.error) ?? [];
        add(pointer, actual && expected ? `must be ${expected}, not ${actual}` : error.error);
        break;
      }
      default:
        add(pointer, error.error);
    }
  }
  return result;
}

/**
 * Checks the text of a value of type `typename`. Registry types must be JSON matching their
 * schema; built-ins must have their text form; other types are not checked here.
 */
export function checkValue(
  typename: string,
  text: string,
  types: readonly TypeJson[],
): CheckResult {
  const builtIn = checkBuiltIn(typename, text);
  if (builtIn) return builtIn;
  const type = types.find((t) => t.typename === typename);
  if (type?.kind !== "registry") return { ok: true, violations: [] };
  let value: JsonValue;
  try {
    value = JSON.parse(text) as JsonValue;
  } catch (error) {
    return fail("", `is not JSON: ${(error as Error).message}`);
  }
  if (!type.schema) return { ok: true, violations: [] };
  const validator = new Validator(type.schema as never, "2020-12", false);
  for (const other of types) {
    if (other.schema && other !== type) {
      const id = other.schema.$id;
      if (typeof id === "string") validator.addSchema(other.schema as never, id);
    }
  }
  const result = validator.validate(value);
  return result.valid
    ? { ok: true, violations: [] }
    : { ok: false, violations: violationsOf(result.errors) };
}
