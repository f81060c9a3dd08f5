// Loads the value types the ingress validates (`--types <module>`): a module exporting
// `registry` (or `types`, or a default export) as an iterable of SDK SimpleTypes. Without the
// flag: none, or this repository's own registry when run from inside its workspace.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { SimpleType } from "@statefun-ts/sdk";
import { describeError } from "../errors.js";

/** The types found, and where they came from (for the log). */
export interface LoadedTypes {
  readonly types: SimpleType<unknown>[];
  readonly source: string | undefined;
}

function isSimpleType(value: unknown): value is SimpleType<unknown> {
  return (
    typeof value === "object" &&
    value !== null &&
    "typeName" in value &&
    typeof (value as { deserialize?: unknown }).deserialize === "function"
  );
}

function typesOf(exports: Record<string, unknown>, source: string): SimpleType<unknown>[] {
  const candidate = exports.registry ?? exports.types ?? exports.default;
  const values =
    candidate instanceof Map
      ? [...candidate.values()]
      : candidate !== null &&
          typeof candidate === "object" &&
          Symbol.iterator in (candidate as object)
        ? [...(candidate as Iterable<unknown>)]
        : Object.values(exports);
  const types = values.filter(isSimpleType);
  if (types.length === 0) {
    throw new Error(
      `--types ${source}: the module exports no types; export \`registry\` (an iterable or Map of SimpleTypes, e.g. from makeRegistryType or makeJsonType)`,
    );
  }
  return types;
}

/** Imports the `--types` module (a path, or a package name resolved from cwd). */
export async function loadTypes(
  specifier: string | undefined,
  cwd = process.cwd(),
): Promise<LoadedTypes> {
  if (specifier === undefined) return workspaceRegistry(cwd);
  let url: string;
  if (specifier.startsWith(".") || isAbsolute(specifier)) {
    const file = resolve(cwd, specifier);
    if (!existsSync(file)) throw new Error(`--types ${specifier}: ${file} does not exist`);
    url = pathToFileURL(file).href;
  } else {
    try {
      url = pathToFileURL(createRequire(join(cwd, "noop.js")).resolve(specifier)).href;
    } catch (error) {
      throw new Error(
        `--types ${specifier}: cannot resolve it from ${cwd}: ${describeError(error)}`,
      );
    }
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new Error(`--types ${specifier}: cannot import it: ${describeError(error)}`);
  }
  return { types: typesOf(exports, specifier), source: specifier };
}

/** This repository's registry (built), when cwd is inside the statefun-ts workspace. */
async function workspaceRegistry(cwd: string): Promise<LoadedTypes> {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const manifest = join(dir, "libs/registry-examples/package.json");
    if (existsSync(manifest)) {
      const { name, main } = JSON.parse(readFileSync(manifest, "utf8")) as {
        name?: string;
        main?: string;
      };
      const entry = join(dir, "libs/registry-examples", main ?? "dist/index.js");
      if (name === "@statefun-ts/registry-examples" && existsSync(entry)) {
        const exports = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
        return { types: typesOf(exports, entry), source: `${name} (this workspace)` };
      }
      return { types: [], source: undefined };
    }
    if (dirname(dir) === dir) return { types: [], source: undefined };
  }
}
