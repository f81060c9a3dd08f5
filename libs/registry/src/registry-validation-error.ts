import { SerializationError } from "@statefun-ts/sdk";

/** One schema violation: where (a JSON pointer into the value) and what. */
export interface Violation {
  /** JSON pointer of the offending value, e.g. `/home/city`; `""` is the whole value. */
  readonly pointer: string;
  /** What is wrong, e.g. `must be string` or `is required`. */
  readonly message: string;
}

/**
 * A value or document that does not match its registry schema. The message names the typename,
 * the direction, and the JSON pointer and message of each violation, e.g.
 * `com.example/User: cannot deserialize: /favoriteColor is required; /age is not allowed ...`.
 */
export class RegistryValidationError extends SerializationError {
  override name = "RegistryValidationError";

  constructor(
    /** The typename whose schema was violated. */
    readonly typeName: string,
    /** `serialize` (a value the function produced), `deserialize` (bytes that arrived) or `validate`. */
    readonly direction: "serialize" | "deserialize" | "validate",
    /** Every violation found. */
    readonly violations: readonly Violation[],
  ) {
    const where =
      direction === "serialize"
        ? "cannot serialize the value"
        : direction === "deserialize"
          ? "cannot deserialize"
          : "invalid value";
    const list = violations.map((v) => `${v.pointer === "" ? "(root)" : v.pointer} ${v.message}`);
    super(
      `${typeName}: ${where}: it does not match its schema: ${list.join("; ")}` +
        (direction === "deserialize"
          ? " (the sender wrote a different shape: check that both sides use the same schema version)"
          : " (fix the value; the type's definition is in schemas/)"),
    );
  }
}
