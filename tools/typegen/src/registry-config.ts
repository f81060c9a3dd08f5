// The registry config file (registry.config.json at the workspace root): where the schemas are
// and where each language's output goes. Reading and checking it lives here; nothing else.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { isJsonObject } from "./schema-model.js";

/** The languages the registry generates. */
export type Language = "typescript" | "go" | "java" | "python";

/** Every language, in the order they are generated. */
export const LANGUAGES: readonly Language[] = ["typescript", "go", "java", "python"];

/** The config file's name, at the workspace root. */
export const CONFIG_FILE = "registry.config.json";

/** A checked registry config; paths are relative to the workspace root. */
export interface RegistryConfig {
  /** The schemas folder. */
  readonly schemas: string;
  /** A folder per language; `null` skips the language. */
  readonly outputs: Readonly<Record<Language, string | null>>;
  /** Typenames removed on purpose, each with the reason (the compatibility check skips them). */
  readonly retired: Readonly<Record<string, string>>;
}

/** A config file that cannot be used; the message says what is wrong and how to fix it. */
export class RegistryConfigError extends Error {
  override name = "RegistryConfigError";
}

/** Checks a parsed config; `file` names it in errors. */
export function parseRegistryConfig(value: unknown, file: string): RegistryConfig {
  const fail = (what: string): never => {
    throw new RegistryConfigError(`${file}: ${what}`);
  };
  if (!isJsonObject(value)) return fail("must hold a JSON object");
  for (const key of Object.keys(value)) {
    if (!["$comment", "schemas", "outputs", "retired"].includes(key)) {
      fail(`unknown key "${key}" (allowed: "schemas", "outputs", "retired", "$comment")`);
    }
  }
  const schemas = value.schemas ?? "schemas";
  if (typeof schemas !== "string" || schemas.length === 0) {
    return fail(`"schemas" must be the schemas folder, e.g. "schemas"`);
  }
  const outputs = value.outputs;
  if (!isJsonObject(outputs)) {
    return fail(`"outputs" must map each language (${LANGUAGES.join(", ")}) to a folder or null`);
  }
  const result: Partial<Record<Language, string | null>> = {};
  for (const [language, dir] of Object.entries(outputs)) {
    if (!(LANGUAGES as readonly string[]).includes(language)) {
      fail(
        `"outputs" has the unknown language "${language}" (choose from ${LANGUAGES.join(", ")})`,
      );
    }
    if (dir !== null && (typeof dir !== "string" || dir.length === 0)) {
      fail(
        `"outputs.${language}" must be a folder relative to the workspace root, or null to skip it`,
      );
    }
    result[language as Language] = dir as string | null;
  }
  const missing = LANGUAGES.filter((l) => !(l in result));
  if (missing.length > 0) {
    fail(`"outputs" lacks ${missing.join(", ")}: give each language a folder, or null to skip it`);
  }
  const retired = value.retired ?? {};
  if (
    !isJsonObject(retired) ||
    !Object.values(retired).every((r) => typeof r === "string" && r.trim().length >= 10)
  ) {
    fail(
      `"retired" must map each removed typename to why it could be removed (at least 10 characters)`,
    );
  }
  return {
    schemas,
    outputs: result as Record<Language, string | null>,
    retired: retired as Record<string, string>,
  };
}

/** Reads `registry.config.json` from `root`. */
export function readRegistryConfig(root: string): RegistryConfig {
  const path = join(root, CONFIG_FILE);
  if (!existsSync(path)) {
    throw new RegistryConfigError(
      `${CONFIG_FILE} is missing in ${root}: add it with "schemas" and "outputs" (see tools/typegen/README.md)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new RegistryConfigError(`${CONFIG_FILE}: not valid JSON: ${(error as Error).message}`);
  }
  return parseRegistryConfig(parsed, CONFIG_FILE);
}
