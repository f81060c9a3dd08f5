// Runs the schema steps in order: load and resolve (load-schemas.ts), validate the rules
// (schema-rules.ts), build the model (build-model.ts), then checks the names across models.
// The result is every registry type, or a SchemaErrors listing every broken rule.
import { buildModel } from "./build-model.js";
import { findSchemaFiles, readSchemaFiles, resolveIdentities } from "./load-schemas.js";
import { SchemaError, SchemaErrors } from "./schema-error.js";
import type { SchemaIdentity, SchemaModel } from "./schema-model.js";
import { checkSchema } from "./schema-rules.js";

/**
 * Loads and checks every schema under `schemasDir`. Throws {@link SchemaErrors} listing every
 * broken rule (file, JSON pointer, rule).
 *
 * @param schemasDir absolute path of the schemas folder
 * @param root absolute path that file names in messages are relative to
 * @returns the models, sorted by typename
 */
export function loadSchemas(schemasDir: string, root: string): SchemaModel[] {
  const errors: SchemaError[] = [];
  const files = readSchemaFiles(findSchemaFiles(schemasDir), root, errors);
  const resolved = resolveIdentities(files, errors);
  const identities = new Map<string, SchemaIdentity>(resolved.map((r) => [r.path, r]));
  const models: SchemaModel[] = [];
  for (const schema of resolved) {
    const schemaErrors = checkSchema(schema, identities);
    errors.push(...schemaErrors);
    if (schemaErrors.length === 0) models.push(buildModel(schema, identities));
  }
  errors.push(...checkNestedNames(resolved, models));
  if (errors.length > 0) throw new SchemaErrors(errors);
  return models.sort((a, b) => (a.typeName < b.typeName ? -1 : a.typeName > b.typeName ? 1 : 0));
}

// Names of nested types must not collide with top-level names or with each other.
function checkNestedNames(
  resolved: readonly SchemaIdentity[],
  models: readonly SchemaModel[],
): SchemaError[] {
  const errors: SchemaError[] = [];
  const taken = new Map(resolved.map((r) => [r.name, r.typeName]));
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
  return errors;
}
