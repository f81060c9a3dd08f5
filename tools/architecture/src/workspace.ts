// The workspace as the architecture test sees it: its packages (libraries, apps, tools) and their
// source files. Holds no rule; the rules are in the other files of this folder.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";

/** What a package is, from the folder it lives in. */
export type PackageKind = "library" | "app" | "tool";

/** A workspace package: `libs/<name>`, `apps/<name>` or `tools/<name>`. */
export interface WorkspacePackage {
  /** The package name from its package.json, e.g. `@statefun-ts/sdk`. */
  readonly name: string;
  readonly kind: PackageKind;
  /** The folder relative to the workspace root, with `/`, e.g. `libs/sdk`. */
  readonly dir: string;
}

const KINDS: Readonly<Record<string, PackageKind>> = {
  libs: "library",
  apps: "app",
  tools: "tool",
};

/** Folders never scanned: installed, built, generated elsewhere or not source. */
const SKIPPED_DIRS = new Set(["node_modules", "dist", "out-tsc", "coverage", "target", "vendor"]);

/** Source files the import graph covers. */
const SOURCE = /\.(ts|mts|cts|tsx|mjs)$/;

/** The packages under `libs/`, `apps/` and `tools/` (a folder with a package.json). */
export function findPackages(root: string): WorkspacePackage[] {
  const packages: WorkspacePackage[] = [];
  for (const [folder, kind] of Object.entries(KINDS)) {
    const base = join(root, folder);
    if (!existsSync(base)) continue;
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifest = join(base, entry.name, "package.json");
      if (!existsSync(manifest)) continue;
      const { name } = JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown };
      packages.push({
        name: typeof name === "string" ? name : `${folder}/${entry.name}`,
        kind,
        dir: `${folder}/${entry.name}`,
      });
    }
  }
  return packages;
}

/** The source files of a package (absolute paths), sorted; skips installed and built folders. */
export function sourceFiles(root: string, pkg: WorkspacePackage): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".")) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) {
        files.push(path);
      }
    }
  };
  walk(join(root, pkg.dir));
  return files.sort();
}

/** `path` relative to `root`, with `/` separators (the form every report uses). */
export function relativePath(root: string, path: string): string {
  return relative(root, path).split(sep).join("/");
}

/** The package holding a workspace-relative path, if any. */
export function packageOf(
  packages: readonly WorkspacePackage[],
  path: string,
): WorkspacePackage | undefined {
  return packages.find((p) => path === p.dir || path.startsWith(`${p.dir}/`));
}
