// The errors a broken schema produces: one per broken rule, naming file, JSON pointer and rule,
// and the aggregate that generation throws so every error is reported at once.

/**
 * A schema that breaks a registry rule. The message names the file, the JSON pointer inside it,
 * the rule, and how to fix it, e.g.
 * `schemas/compat/Sample.schema.json#/properties/pair: unsupported-keyword: "prefixItems" ...`.
 */
export class SchemaError extends Error {
  override name = "SchemaError";

  /**
   * @param file path of the schema, relative to the workspace root
   * @param pointer JSON pointer inside the file ("" for the root)
   * @param rule the rule's id (missing-typename, duplicate-typename, ...)
   * @param detail what is wrong and how to fix it
   */
  constructor(
    readonly file: string,
    readonly pointer: string,
    readonly rule: string,
    readonly detail: string,
  ) {
    super(`${file}#${pointer}: ${rule}: ${detail}`);
  }
}

/** Several schema errors at once (generation reports them all, not only the first). */
export class SchemaErrors extends Error {
  override name = "SchemaErrors";

  constructor(readonly errors: readonly SchemaError[]) {
    super(
      `${errors.length} schema error${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  ${e.message}`).join("\n")}`,
    );
  }
}

/** Appends a key to a JSON pointer (RFC 6901 escaping). */
export function pointerJoin(pointer: string, key: string | number): string {
  return `${pointer}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
