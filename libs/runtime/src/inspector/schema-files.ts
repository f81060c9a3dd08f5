// Loads the registry's JSON Schema files (schemas/**/*.schema.json) for the inspector, which
// hands them to the page to validate values before they are sent.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describeError, RuntimeError } from "../errors.js";

/** The base of the `$id` a schema file gets when it has none (as the type generator does). */
export const SCHEMA_ID_BASE = "https://statefun-ts.local/schemas/";

/** A JSON Schema document. */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * Reads every `*.schema.json` under `dir`: typename (`x-statefun-typename`) to schema. A schema
 * without `$id` gets `https://statefun-ts.local/schemas/<path under dir>`, so that relative
 * `$ref`s between files resolve. Throws a {@link RuntimeError} naming the file that cannot be used.
 */
export function loadJsonSchemas(dir: string): Map<string, JsonSchema> {
  const schemas = new Map<string, JsonSchema>();
  let files: string[];
  try {
    files = (readdirSync(dir, { recursive: true }) as string[]).filter((f) =>
      f.endsWith(".schema.json"),
    );
  } catch (error) {
    throw new RuntimeError(`cannot read the schema folder ${dir}: ${describeError(error)}`);
  }
  for (const file of files.sort()) {
    const path = join(dir, file);
    let schema: unknown;
    try {
      schema = JSON.parse(readFileSync(path, "utf8"));
    } catch (error) {
      throw new RuntimeError(`schema file ${path} is not JSON: ${describeError(error)}`);
    }
    if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
      throw new RuntimeError(`schema file ${path} is not a JSON Schema object`);
    }
    const typename = (schema as Record<string, unknown>)["x-statefun-typename"];
    if (typeof typename !== "string" || typename === "") {
      throw new RuntimeError(
        `schema file ${path} has no "x-statefun-typename"; every registry schema names its typename`,
      );
    }
    const id = (schema as Record<string, unknown>).$id;
    schemas.set(
      typename,
      typeof id === "string"
        ? (schema as JsonSchema)
        : {
            ...(schema as JsonSchema),
            $id: SCHEMA_ID_BASE + relative(dir, path).split(sep).join("/"),
          },
    );
  }
  return schemas;
}
