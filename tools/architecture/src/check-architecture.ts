// Runs every architecture rule over a workspace and gathers the facts of its import graph.
// Holds no rule of its own.

import { fileCycles, packageCycles } from "./cycles.js";
import { buildImportGraph } from "./import-graph.js";
import { layerViolations, longestChain, placeFiles, readLayerList } from "./layers.js";
import { internalMemberUses, libraryImportsOfApps } from "./package-boundaries.js";
import type { Violation } from "./violation.js";

/** The import-graph facts of one layered package. */
export interface TowerFacts {
  readonly package: string;
  /** Floors in its layers.json. */
  readonly floors: number;
  /** The longest import chain among its layered files, importer first. */
  readonly chain: readonly string[];
  readonly upwardImports: number;
}

/** The outcome of a check: every broken rule, and the facts of the graph. */
export interface ArchitectureReport {
  readonly violations: readonly Violation[];
  readonly files: number;
  readonly imports: number;
  readonly towers: readonly TowerFacts[];
}

/** Which rules to run; the `@internal` rule type-checks every library, the slowest part. */
export interface CheckOptions {
  readonly internalMembers?: boolean;
}

/** Checks the workspace at `root` against every rule. */
export function checkArchitecture(root: string, options: CheckOptions = {}): ArchitectureReport {
  const graph = buildImportGraph(root);
  const violations: Violation[] = [...fileCycles(graph), ...packageCycles(graph)];
  const towers: TowerFacts[] = [];
  for (const pkg of graph.packages) {
    const list = readLayerList(root, pkg);
    if (list === undefined) continue;
    const layered = placeFiles(graph, pkg, list);
    const found = layerViolations(graph, layered);
    violations.push(...found);
    towers.push({
      package: pkg.name,
      floors: list.floors.length,
      chain: longestChain(graph, layered),
      upwardImports: found.filter((v) => v.rule === "upward-import").length,
    });
  }
  violations.push(...libraryImportsOfApps(graph));
  if (options.internalMembers !== false) violations.push(...internalMemberUses(graph));
  return { violations, files: graph.files.length, imports: graph.edges.length, towers };
}

/** A report as text, one violation per line, then the facts. */
export function formatReport(report: ArchitectureReport): string {
  const lines = report.violations.map((v) => `${v.rule}: ${v.message}`);
  lines.push(
    `${report.violations.length} violation(s); ${report.files} files, ${report.imports} imports inside the workspace`,
  );
  for (const t of report.towers) {
    lines.push(
      `${t.package}: ${t.floors} floors in layers.json, ${t.upwardImports} upward import(s), longest import chain ${t.chain.length} files: ${t.chain.map((f) => f.replace(/^.*\/src\//, "")).join(" -> ")}`,
    );
  }
  return lines.join("\n");
}
