// Import cycles, between files and between packages (Tarjan's strongly connected components).
// Holds no other rule.

import type { ImportGraph } from "./import-graph.js";
import type { Violation } from "./violation.js";
import { packageOf } from "./workspace.js";

/** The strongly connected components of a directed graph with more than one node or a self-loop. */
export function cyclicComponents(
  nodes: readonly string[],
  next: ReadonlyMap<string, readonly string[]>,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  // Iterative, so that a long chain of imports cannot overflow the call stack.
  for (const start of nodes) {
    if (index.has(start)) continue;
    const work: { node: string; edge: number }[] = [{ node: start, edge: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = next.get(frame.node) ?? [];
      if (frame.edge < targets.length) {
        const target = targets[frame.edge++]!;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, edge: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (next.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component.sort());
      }
    }
  }
  return components;
}

/** One cycle through `start` inside `members`, as a path `a -> b -> ... -> a`. */
function cyclePath(
  start: string,
  members: ReadonlySet<string>,
  next: ReadonlyMap<string, readonly string[]>,
): string {
  // Breadth-first search back to `start`: the shortest cycle, the easiest to read.
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of next.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let at = node; at !== start; at = previous.get(at)!) path.unshift(at);
        path.unshift(start);
        return path.join(" -> ");
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return start;
}

function adjacency(pairs: Iterable<readonly [string, string]>): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const [from, to] of pairs) {
    const list = next.get(from);
    if (list === undefined) next.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  }
  return next;
}

/** Every cycle of imports between files. */
export function fileCycles(graph: ImportGraph): Violation[] {
  const next = adjacency(graph.edges.map((e) => [e.from, e.to] as const));
  return cyclicComponents(graph.files, next).map((component) => ({
    rule: "import-cycle",
    file: component[0]!,
    message: `import cycle of ${component.length} file(s): ${cyclePath(component[0]!, new Set(component), next)}; move what both sides need into a module below them`,
  }));
}

/** Every cycle of imports between packages. */
export function packageCycles(graph: ImportGraph): Violation[] {
  const pairs: [string, string][] = [];
  for (const edge of graph.edges) {
    const from = packageOf(graph.packages, edge.from);
    const to = packageOf(graph.packages, edge.to);
    if (from && to && from !== to) pairs.push([from.name, to.name]);
  }
  const next = adjacency(pairs);
  const names = graph.packages.map((p) => p.name);
  return cyclicComponents(names, next).map((component) => ({
    rule: "package-cycle",
    file: graph.packages.find((p) => p.name === component[0])?.dir ?? component[0]!,
    message: `packages import each other: ${cyclePath(component[0]!, new Set(component), next)}; a package must not depend on a package that depends on it`,
  }));
}
