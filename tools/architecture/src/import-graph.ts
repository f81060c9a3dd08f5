// The import graph of the workspace's source files, resolved as TypeScript resolves them (with
// the `development` condition, so a workspace package resolves to its sources). Holds no rule.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import {
  findPackages,
  packageOf,
  relativePath,
  sourceFiles,
  type WorkspacePackage,
} from "./workspace.js";

/** One import of a file of the workspace by another. */
export interface ImportEdge {
  /** The importing file, workspace-relative. */
  readonly from: string;
  /** The imported file, workspace-relative (a `.d.ts` for generated JavaScript). */
  readonly to: string;
  /** The module specifier as written. */
  readonly specifier: string;
}

/** The files of the workspace and the imports between them. */
export interface ImportGraph {
  readonly root: string;
  readonly packages: readonly WorkspacePackage[];
  /** Every scanned source file, workspace-relative. */
  readonly files: readonly string[];
  /** Imports that resolve to a file of the workspace (not to node_modules). */
  readonly edges: readonly ImportEdge[];
}

/** The compiler options of the workspace (tsconfig.base.json), for module resolution. */
export function workspaceCompilerOptions(root: string): ts.CompilerOptions {
  const configPath = join(root, "tsconfig.base.json");
  const { config, error } = ts.readConfigFile(configPath, ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, "\n"));
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, root, undefined, configPath);
  // Resolution must also find .mjs files (tools) and the generated protobufjs JavaScript.
  return { ...parsed.options, allowJs: true, noEmit: true };
}

/** Scans every package under `root` and resolves the imports of each source file. */
export function buildImportGraph(root: string): ImportGraph {
  const packages = findPackages(root);
  const options = workspaceCompilerOptions(root);
  const host = ts.createCompilerHost(options);
  const cache = ts.createModuleResolutionCache(root, (f) => f, options);
  const files: string[] = [];
  const edges: ImportEdge[] = [];
  for (const pkg of packages) {
    for (const file of sourceFiles(root, pkg)) {
      const from = relativePath(root, file);
      files.push(from);
      const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
      for (const { fileName: specifier } of importedFiles) {
        // Every package of the workspace is an ES module package ("type": "module").
        const resolved = ts.resolveModuleName(
          specifier,
          file,
          options,
          host,
          cache,
          undefined,
          ts.ModuleKind.ESNext,
        ).resolvedModule;
        if (resolved === undefined) continue;
        // A workspace package resolves through its node_modules link to its real folder.
        const to = relativePath(root, resolved.resolvedFileName);
        if (to.includes("node_modules/") || packageOf(packages, to) === undefined) continue;
        edges.push({ from, to, specifier });
      }
    }
  }
  return { root, packages, files, edges };
}
