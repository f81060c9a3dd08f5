// @statefun-ts/registry: the type registry's TypeScript side. Types, typename constants and
// validated SimpleType constants are generated from schemas/ into src/generated (never edit them;
// run `npm run generate`).

export * from "./generated/index.js";
export { makeRegistryType, type RegistryType } from "./registry-type.js";
export { RegistryValidationError, type Violation } from "./registry-validation-error.js";
export type { Validator, ValidatorError } from "./validator.js";
