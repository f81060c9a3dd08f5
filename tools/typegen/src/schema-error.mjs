/**
 * A schema that breaks a registry rule. The message names the file, the JSON pointer inside it,
 * the rule, and how to fix it, e.g.
 * `schemas/compat/Sample.schema.json#/properties/pair: unsupported-keyword: "prefixItems" ...`.
 */
export class SchemaError extends Error {
  name = "SchemaError";

  /**
   * @param {string} file path of the schema, relative to the workspace root
   * @param {string} pointer JSON pointer inside the file ("" for the root)
   * @param {string} rule the rule's id (missing-typename, duplicate-typename, ...)
   * @param {string} detail what is wrong and how to fix it
   */
  constructor(file, pointer, rule, detail) {
    super(`${file}#${pointer}: ${rule}: ${detail}`);
    this.file = file;
    this.pointer = pointer;
    this.rule = rule;
    this.detail = detail;
  }
}

/** Several schema errors at once (generation reports them all, not only the first). */
export class SchemaErrors extends Error {
  name = "SchemaErrors";

  /** @param {SchemaError[]} errors */
  constructor(errors) {
    super(
      `${errors.length} schema error${errors.length === 1 ? "" : "s"}:\n${errors.map((e) => `  ${e.message}`).join("\n")}`,
    );
    this.errors = errors;
  }
}

/** Appends a key to a JSON pointer (RFC 6901 escaping). */
export function pointerJoin(pointer, key) {
  return `${pointer}/${String(key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
}
