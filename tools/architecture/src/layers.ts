// The floors of a layered package (a `layers.json` beside its package.json) and the imports that
// go up them. Holds no other rule.

import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { ImportGraph } from "./import-graph.js";
import type { Violation } from "./violation.js";
import type { WorkspacePackage } from "./workspace.js";

/** One floor: a name, what it holds, and the files on it (globs relative to the package). */
export interface Floor {
  readonly name: string;
  readonly holds: string;
  readonly files: readonly string[];
  /** When set, only files on these floors (and on this one) may import this floor's files. */
  readonly onlyFrom?: readonly string[];
}

/** The content of a `layers.json`: the floors from the ground up, and the files they cover. */
export interface LayerList {
  /** Globs of the files that must each be on a floor, e.g. `["src/**"]`. */
  readonly scope: readonly string[];
  /** Globs of files in scope that are not part of the tower (tests). */
  readonly exclude: readonly string[];
  /** Ground floor first; a file may import only files on its own floor or below. */
  readonly floors: readonly Floor[];
}

/** The name of the layer list, kept beside the package.json of a layered package. */
export const LAYER_LIST = "layers.json";

/** A glob as a regular expression: `**` any path, `*` any name part, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      i++;
      if (glob[i + 1] === "/") {
        i++;
        source += "(?:.*/)?";
      } else source += ".*";
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Reads and checks the layer list of a package; `undefined` when it has none. */
export function readLayerList(root: string, pkg: WorkspacePackage): LayerList | undefined {
  const path = join(root, pkg.dir, LAYER_LIST);
  if (!existsSync(path)) return undefined;
  const list = JSON.parse(readFileSync(path, "utf8")) as Partial<LayerList>;
  const strings = (value: unknown): value is string[] =>
    Array.isArray(value) && value.every((v) => typeof v === "string");
  if (!strings(list.scope) || !strings(list.exclude ?? []) || !Array.isArray(list.floors)) {
    throw new Error(
      `${pkg.dir}/${LAYER_LIST}: expected { scope: string[], exclude?: string[], floors: { name, holds, files: string[] }[] }`,
    );
  }
  for (const floor of list.floors) {
    if (
      typeof floor?.name !== "string" ||
      !strings(floor.files) ||
      !(floor.onlyFrom === undefined || strings(floor.onlyFrom))
    ) {
      throw new Error(
        `${pkg.dir}/${LAYER_LIST}: floor ${JSON.stringify(floor?.name)} needs a name, files (globs) and optionally onlyFrom (floor names)`,
      );
    }
  }
  return { scope: list.scope, exclude: list.exclude ?? [], floors: list.floors };
}

/** A layered package with its floors resolved to files. */
export interface LayeredPackage {
  readonly pkg: WorkspacePackage;
  readonly list: LayerList;
  /** The floor number (0 = ground) of every file in scope that is on a floor. */
  readonly floorOf: ReadonlyMap<string, number>;
  /** Files in scope on no floor. */
  readonly unlisted: readonly string[];
}

/** Places every file of the package in scope on its floor (the lowest floor whose glob matches). */
export function placeFiles(
  graph: ImportGraph,
  pkg: WorkspacePackage,
  list: LayerList,
): LayeredPackage {
  const inPackage = (globs: readonly string[]) => globs.map(globToRegExp);
  const scope = inPackage(list.scope);
  const exclude = inPackage(list.exclude);
  const floors = list.floors.map((floor) => inPackage(floor.files));
  const floorOf = new Map<string, number>();
  const unlisted: string[] = [];
  const prefix = `${pkg.dir}/`;
  for (const file of graph.files) {
    if (!file.startsWith(prefix)) continue;
    const local = file.slice(prefix.length);
    if (!scope.some((r) => r.test(local)) || exclude.some((r) => r.test(local))) continue;
    const floor = floors.findIndex((globs) => globs.some((r) => r.test(local)));
    if (floor < 0) unlisted.push(file);
    else floorOf.set(file, floor);
  }
  // Imported files in scope that are not scanned sources (the generated .d.ts) get a floor too.
  for (const edge of graph.edges) {
    if (!edge.to.startsWith(prefix) || floorOf.has(edge.to)) continue;
    const local = edge.to.slice(prefix.length);
    const floor = floors.findIndex((globs) => globs.some((r) => r.test(local)));
    if (floor >= 0) floorOf.set(edge.to, floor);
  }
  return { pkg, list, floorOf, unlisted };
}

/** Imports from a floor to a higher one, and files in scope on no floor. */
export function layerViolations(graph: ImportGraph, layered: LayeredPackage): Violation[] {
  const { pkg, list, floorOf } = layered;
  const violations: Violation[] = layered.unlisted.map((file) => ({
    rule: "unlisted-file",
    file,
    message: `${file} is on no floor of ${pkg.dir}/${LAYER_LIST}; add it to the floor that says what it holds`,
  }));
  for (const edge of graph.edges) {
    const from = floorOf.get(edge.from);
    const to = floorOf.get(edge.to);
    if (from === undefined || to === undefined) continue;
    const only = list.floors[to]!.onlyFrom;
    if (to < from && only !== undefined && !only.includes(list.floors[from]!.name)) {
      violations.push({
        rule: "reserved-floor",
        file: edge.from,
        message: `${edge.from} (floor "${list.floors[from]!.name}") imports ${edge.to}, but floor "${list.floors[to]!.name}" may only be imported from ${only.map((f) => `"${f}"`).join(", ")}; go through those floors instead`,
      });
    }
    if (to <= from) continue;
    violations.push({
      rule: "upward-import",
      file: edge.from,
      message: `upward import: ${edge.from} (floor ${from} "${list.floors[from]!.name}") imports ${edge.to} (floor ${to} "${list.floors[to]!.name}"); move what it needs down to floor ${from} or below`,
    });
  }
  return violations;
}

/** The longest import chain among the files of a layered package (its files, importer first). */
export function longestChain(graph: ImportGraph, layered: LayeredPackage): string[] {
  const next = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!layered.floorOf.has(edge.from) || !layered.floorOf.has(edge.to)) continue;
    const list = next.get(edge.from);
    if (list) list.push(edge.to);
    else next.set(edge.from, [edge.to]);
  }
  const chains = new Map<string, string[]>();
  const visiting = new Set<string>();
  const measure = (file: string): string[] => {
    const known = chains.get(file);
    if (known !== undefined) return known;
    if (visiting.has(file)) return []; // a cycle: reported by the cycle rule
    visiting.add(file);
    let best: string[] = [];
    for (const target of next.get(file) ?? []) {
      const chain = measure(target);
      if (chain.length > best.length) best = chain;
    }
    visiting.delete(file);
    const chain = [file, ...best];
    chains.set(file, chain);
    return chain;
  };
  let tallest: string[] = [];
  for (const file of [...layered.floorOf.keys()].sort()) {
    const chain = measure(file);
    if (chain.length > tallest.length) tallest = chain;
  }
  return tallest;
}
