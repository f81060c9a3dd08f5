/** One violation reported by a compiled validator (the subset of ajv's ErrorObject we read). */
export interface ValidatorError {
  /** JSON pointer of the offending value ("" for the whole document). */
  readonly instancePath: string;
  /** The JSON Schema keyword that failed, e.g. `required`, `type`, `additionalProperties`. */
  readonly keyword: string;
  /** Keyword-specific details, e.g. `{ missingProperty: "name" }`. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Human-readable message, e.g. `must be string`. */
  readonly message?: string;
}

/**
 * A validator compiled at generation time (ajv standalone code in `generated/validators.js`).
 * Returns whether `data` matches the schema; on failure `errors` lists every violation.
 */
export interface Validator {
  (data: unknown): boolean;
  errors?: readonly ValidatorError[] | null;
}
