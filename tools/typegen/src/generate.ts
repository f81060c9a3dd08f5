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
import { compileValidators } from "./compile-validators.js";
import { emitGo } from "./emit-go.js";
import { emitJava } from "./emit-java.js";
import { emitPython } from "./emit-python.js";
import { emitTypeScript } from "./emit-typescript.js";
import { loadSchemas } from "./load-registry.js";
import {
  CONFIG_FILE,
  type Language,
  type RegistryConfig,
  readRegistryConfig,
} from "./registry-config.js";
import type { SchemaModel } from "./schema-model.js";

/** The workspace root (tools/typegen/src/../../..; the bundled CLI sits at the same depth). */
export const WORKSPACE_ROOT = resolve(import.meta.dirname, "../../..");

/** Options of {@link generate}. */
export interface GenerateOptions {
  /** Folder that relative paths and file names in headers are relative to (default: the workspace). */
  readonly root?: string;
  /** The config (default: root's registry.config.json when there is one). */
  readonly config?: RegistryConfig;
  /** The schemas folder (default: the config's, else `schemas`). */
  readonly schemasDir?: string;
  /**
   * A folder per language (absolute or relative to root), over the config's; `null` or no folder
   * at all skips the language.
   */
  readonly outputs?: Partial<Record<Language, string | null>>;
}

/** Everything one run generates. */
export interface GenerateResult {
  /** Absolute path -> content. */
  readonly files: Map<string, string>;
  readonly outputDirs: string[];
  readonly models: SchemaModel[];
}

const toPosix = (path: string): string => path.split(sep).join("/");

// Formats with the workspace's biome and biome.json, whatever folder is being generated.
function formatTypeScript(source: string): string {
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

function formatGo(source: string, file: string): string {
  try {
    return execFileSync("gofmt", [], {
      input: source,
      encoding: "utf8",
      stdio: ["pipe", "pipe", "pipe"],
    });
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(`gofmt rejected the generated ${file} (a typegen bug): ${stderr ?? message}`);
  }
}

/** Generates every output in memory. */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const root = options.root ?? WORKSPACE_ROOT;
  const config =
    options.config ?? (existsSync(join(root, CONFIG_FILE)) ? readRegistryConfig(root) : undefined);
  const schemasDir = resolve(root, options.schemasDir ?? config?.schemas ?? "schemas");
  const outputs: Partial<Record<Language, string | null>> = {
    ...config?.outputs,
    ...options.outputs,
  };
  const models = loadSchemas(schemasDir, root);
  const allSchemas = `${toPosix(relative(root, schemasDir)) || "."}/**/*.schema.json`;
  const files = new Map<string, string>();
  const outputDirs: string[] = [];
  const put = (
    language: Language,
    generated: Map<string, string>,
    format?: (text: string, path: string) => string,
  ): void => {
    const dir = outputs[language];
    if (dir === null || dir === undefined) return;
    const abs = resolve(root, dir);
    outputDirs.push(abs);
    for (const [path, text] of generated)
      files.set(join(abs, path), format ? format(text, path) : text);
  };

  if (typeof outputs.typescript === "string") {
    const ts = await emitTypeScript(models, compileValidators(models), allSchemas);
    put("typescript", ts, (text, path) =>
      path.endsWith(".ts") && !path.endsWith(".d.ts") ? formatTypeScript(text) : text,
    );
  }
  if (typeof outputs.go === "string")
    put("go", emitGo(models, allSchemas), (text, path) => formatGo(text, path));
  if (typeof outputs.java === "string") put("java", emitJava(models, allSchemas));
  if (typeof outputs.python === "string") put("python", emitPython(models, allSchemas));
  return { files, outputDirs, models };
}

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) {
      // build artifacts of the Python package (pip install), not generated files
      if (entry !== "__pycache__" && !entry.endsWith(".egg-info")) out.push(...listFiles(path));
    } else out.push(path);
  }
  return out;
}

/**
 * Compares generated files with the disk.
 *
 * @returns stale paths (relative to root): changed, missing, or no longer generated
 */
export function findStale(
  { files, outputDirs }: GenerateResult,
  root: string = WORKSPACE_ROOT,
): string[] {
  const stale: string[] = [];
  for (const [path, text] of files) {
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) stale.push(path);
  }
  for (const dir of outputDirs) {
    for (const path of listFiles(dir)) if (!files.has(path)) stale.push(path);
  }
  return stale.map((p) => toPosix(relative(root, p))).sort();
}

/** Writes the generated files and deletes files in the output folders that are no longer generated. */
export function writeGenerated({ files, outputDirs }: GenerateResult): void {
  for (const dir of outputDirs) {
    for (const path of listFiles(dir)) if (!files.has(path)) rmSync(path);
  }
  for (const [path, text] of files) {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path) || readFileSync(path, "utf8") !== text) writeFileSync(path, text);
  }
}
