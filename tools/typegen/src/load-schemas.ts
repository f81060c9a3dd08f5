// Step 1 of the pipeline, load and resolve: finds schemas/<namespace>/<Name>.schema.json, parses
// each file, and resolves every typename to an identity (needed to resolve `$ref`s). Checks only
// the rules about files and typenames; the rules about a schema's content live in schema-rules.ts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { pointerJoin, SchemaError } from "./schema-error.js";
import { isJsonObject, type JsonValue, type ResolvedSchema } from "./schema-model.js";

/** The JSON Schema draft every registry schema declares. */
export const DRAFT = "https://json-schema.org/draft/2020-12/schema";
/** The keyword that names a schema's StateFun typename. */
export const TYPENAME_KEYWORD = "x-statefun-typename";
/** The root keyword naming the typename(s) a new version of a type replaces (see schemas/README.md). */
export const SUPERSEDES_KEYWORD = "x-statefun-supersedes";

const TYPE_NAME = /^[A-Z][A-Za-z0-9]*$/;
const NAMESPACE = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;

/** Every `*.schema.json` below `dir`, sorted by path. */
export function findSchemaFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...findSchemaFiles(path));
    else if (entry.endsWith(".schema.json")) out.push(path);
  }
  return out;
}

/** A schema file as read from disk. */
export interface ParsedFile {
  readonly file: string;
  readonly path: string;
  readonly schema: JsonValue;
}

/** Reads and parses every schema file; unparsable files become `invalid-json` errors. */
export function readSchemaFiles(
  paths: readonly string[],
  root: string,
  errors: SchemaError[],
): ParsedFile[] {
  const parsed: ParsedFile[] = [];
  for (const path of paths) {
    const file = relative(root, path).split(sep).join("/");
    try {
      parsed.push({ file, path, schema: JSON.parse(readFileSync(path, "utf8")) as JsonValue });
    } catch (error) {
      errors.push(
        new SchemaError(file, "", "invalid-json", `not valid JSON: ${(error as Error).message}`),
      );
    }
  }
  return parsed;
}

/**
 * Resolves each file's typename into an identity: checks that it is present, well formed, unique,
 * matches the file's path, and that its Name is unique across namespaces. Files that break one of
 * these rules are left out (their errors are pushed).
 */
export function resolveIdentities(
  files: readonly ParsedFile[],
  errors: SchemaError[],
): ResolvedSchema[] {
  const byTypeName = new Map<string, string>(); // typename -> file
  const byName = new Map<string, string>(); // Name -> typename
  const resolved: ResolvedSchema[] = [];
  for (const { file, path, schema } of files) {
    const fail = (pointer: string, rule: string, detail: string): void => {
      errors.push(new SchemaError(file, pointer, rule, detail));
    };
    if (!isJsonObject(schema)) {
      fail("", "not-an-object", "a schema file must hold a JSON object");
      continue;
    }
    const typeName = schema[TYPENAME_KEYWORD];
    const ptr = pointerJoin("", TYPENAME_KEYWORD);
    if (typeName === undefined) {
      fail(
        "",
        "missing-typename",
        `add "${TYPENAME_KEYWORD}": "<namespace>/<Name>" (the file's folder and name)`,
      );
      continue;
    }
    const parts = typeof typeName === "string" ? typeName.split("/") : [];
    const [namespace, name] = parts;
    if (
      typeof typeName !== "string" ||
      parts.length !== 2 ||
      namespace === undefined ||
      name === undefined ||
      !NAMESPACE.test(namespace) ||
      !TYPE_NAME.test(name)
    ) {
      fail(
        ptr,
        "invalid-typename",
        `${JSON.stringify(typeName)} must be "<namespace>/<Name>" with exactly one "/", a lower-case dotted namespace and a PascalCase Name, e.g. "com.example/User"`,
      );
      continue;
    }
    const previous = byTypeName.get(typeName);
    if (previous !== undefined) {
      fail(
        ptr,
        "duplicate-typename",
        `${typeName} is already declared by ${previous}: typenames must be unique`,
      );
      continue;
    }
    byTypeName.set(typeName, file);
    const expected = `${namespace}/${name}.schema.json`;
    if (!file.endsWith(`/${expected}`) && file !== expected) {
      fail(
        ptr,
        "typename-path-mismatch",
        `typename ${typeName} must live in ${expected} under the schemas folder: rename the file or fix the typename`,
      );
      continue;
    }
    const clash = byName.get(name);
    if (clash !== undefined) {
      fail(
        ptr,
        "duplicate-name",
        `the Name "${name}" is already used by ${clash}: generated code puts every type in one package, so Names must be unique across namespaces`,
      );
      continue;
    }
    byName.set(name, typeName);
    resolved.push({ file, path, schema, namespace, name, typeName });
  }
  return resolved;
}
