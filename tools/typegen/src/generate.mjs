// Runs the whole pipeline: load and check schemas, compile validators, emit every language,
// format, then write the files or (check mode) compare them with what is on disk.
import { execFileSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { compileValidators } from "./compile-validators.mjs";
import { emitGo } from "./emit-go.mjs";
import { emitJava } from "./emit-java.mjs";
import { emitPython } from "./emit-python.mjs";
import { emitTypeScript } from "./emit-typescript.mjs";
import { loadSchemas } from "./load-schemas.mjs";

/** The workspace root (tools/typegen/src/../../..). */
export const WORKSPACE_ROOT = resolve(import.meta.dirname, "../../..");

/** Where each language's output goes by default, relative to the workspace root. */
export const DEFAULT_OUTPUTS = {
  typescript: "libs/registry/src/generated",
  go: "apps/compat/fixtures/go/generated/registry",
  java: "apps/compat/fixtures/java/generated",
  python: "apps/compat/fixtures/python/generated",
};

const toPosix = (path) => path.split(sep).join("/");

// Formats with the workspace's biome and biome.json, whatever folder is being generated.
function formatTypeScript(source) {
  const root = WORKSPACE_ROOT;
  return execFileSync(
    join(root, "node_modules/.bin/biome"),
    ["format", "--stdin-file-path=tools/typegen/generated.ts"],
    {
      cwd: root,
      input: source,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

function formatGo(source, file) {
  try {
    return execFileSync("gofmt", [], {
      input: source,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (error) {
    throw new Error(
      `gofmt rejected the generated ${file} (a typegen bug): ${error.stderr ?? error.message}`,
    );
  }
}

/**
 * Generates every output in memory.
 *
 * @param {{root?: string, schemasDir?: string, outputs?: Partial<typeof DEFAULT_OUTPUTS>}} [options]
 *   `outputs` maps a language to a folder (absolute or relative to root); a language mapped to
 *   `null` is skipped
 * @returns {Promise<{files: Map<string, string>, outputDirs: string[], models: import("./load-schemas.mjs").SchemaModel[]}>}
 *   absolute path -> content
 */
export async function generate(options = {}) {
  const root = options.root ?? WORKSPACE_ROOT;
  const schemasDir = resolve(root, options.schemasDir ?? "schemas");
  const outputs = { ...DEFAULT_OUTPUTS, ...options.outputs };
  const models = loadSchemas(schemasDir, root);
  const allSchemas = `${toPosix(relative(root, schemasDir)) || "."}/**/*.schema.json`;
  /** @type {Map<string, string>} */
  const files = new Map();
  const outputDirs = [];
  const put = (language, generated, format) => {
    const dir = outputs[language];
    if (dir === null || dir === undefined) return;
    const abs = resolve(root, dir);
    outputDirs.push(abs);
    for (const [path, text] of generated)
      files.set(join(abs, path), format ? format(text, path) : text);
  };

  if (outputs.typescript !== null) {
    const ts = await emitTypeScript(models, compileValidators(models), allSchemas);
    put("typescript", ts, (text, path) =>
      path.endsWith(".ts") && !path.endsWith(".d.ts") ? formatTypeScript(text) : text,
    );
  }
  put("go", emitGo(models, allSchemas), (text, path) => formatGo(text, path));
  put("java", emitJava(models, allSchemas));
  put("python", emitPython(models, allSchemas));
  return { files, outputDirs, models };
}

function listFiles(dir) {
  if (!existsSync(dir)) return [];
  const out = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      if (entry !== "__pycache__") out.push(...listFiles(path));
    } else out.push(path);
  }
  return out;
}

/**
 * Compares generated files with the disk.
 *
 * @returns {string[]} stale paths (relative to root): changed, missing, or no longer generated
 */
export function findStale({ files, outputDirs }, root = WORKSPACE_ROOT) {
  const stale = [];
  for (const [path, text] of files) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(path);
  }
  for (const dir of outputDirs) {
    for (const path of listFiles(dir)) if (!files.has(path)) stale.push(path);
  }
  return stale.map((p) => toPosix(relative(root, p))).sort();
}

/** Writes the generated files and deletes files in the output folders that are no longer generated. */
export function writeGenerated({ files, outputDirs }) {
  for (const dir of outputDirs) {
    for (const path of listFiles(dir)) if (!files.has(path)) rmSync(path);
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileSync(path, text);
  }
}
