// Typenames `<namespace>/<name>`: parsing (cached), building and recognising them. Holds no
// address or value type.

import { TypeNameError } from "./errors.js";

/** A logical type name `<namespace>/<name>`, used for function types, value types and egresses. */
export interface TypeName {
  /** Everything before the last `/`. */
  readonly namespace: string;
  /** Everything after the last `/`. */
  readonly name: string;
  /** The canonical `<namespace>/<name>` string. */
  toString(): string;
}

class ParsedTypeName implements TypeName {
  readonly #text: string;
  constructor(
    readonly namespace: string,
    readonly name: string,
    text: string,
  ) {
    this.#text = text;
  }
  toString(): string {
    return this.#text;
  }
  toJSON(): string {
    return this.#text;
  }
}

const cache = new Map<string, TypeName>();

/**
 * Parses `<namespace>/<name>`, splitting at the last `/` (as every official SDK does). Returns a
 * {@link TypeNameError} instead of throwing, like the Go SDK's `ParseTypeName`.
 */
export function parseTypeName(text: string): TypeName | TypeNameError {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  if (typeof text !== "string" || text.length === 0) {
    return new TypeNameError(
      `typename ${JSON.stringify(text)} is empty: a typename must be of the form <namespace>/<name>, e.g. "com.example/greeter"`,
    );
  }
  const slash = text.lastIndexOf("/");
  if (slash <= 0 || slash === text.length - 1) {
    return new TypeNameError(
      `typename ${JSON.stringify(text)} does not conform to the <namespace>/<name> format: ` +
        "it needs a '/' with a non-empty namespace before it and a non-empty name after it, " +
        'e.g. "com.example/greeter"',
    );
  }
  const typeName = new ParsedTypeName(text.slice(0, slash), text.slice(slash + 1), text);
  // Bounded: a stream of distinct typenames (e.g. from requests) cannot grow memory for ever.
  if (cache.size < 10_000) cache.set(text, typeName);
  return typeName;
}

/** Parses `<namespace>/<name>` and throws a {@link TypeNameError} when it is malformed. */
export function typeNameFrom(text: string): TypeName {
  const parsed = parseTypeName(text);
  if (parsed instanceof TypeNameError) throw parsed;
  return parsed;
}

/** Whether `value` is a {@link TypeName} (an object with namespace, name and toString). */
export function isTypeName(value: unknown): value is TypeName {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as TypeName).namespace === "string" &&
    typeof (value as TypeName).name === "string"
  );
}
