// The boundaries between packages: a library imports no app or tool, and uses no member another
// package marks `@internal`. Holds no other rule.

import ts from "typescript";
import { type ImportGraph, workspaceCompilerOptions } from "./import-graph.js";
import type { Violation } from "./violation.js";
import { packageOf, relativePath } from "./workspace.js";

/** Imports from a library into an app or a tool. */
export function libraryImportsOfApps(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const edge of graph.edges) {
    const from = packageOf(graph.packages, edge.from);
    const to = packageOf(graph.packages, edge.to);
    if (from?.kind !== "library" || to === undefined || to.kind === "library") continue;
    violations.push({
      rule: "library-imports-app",
      file: edge.from,
      message: `library ${from.name} imports ${to.kind} ${to.name} (${edge.from} -> ${edge.to}); a library must not depend on an ${to.kind}: move the code into a library, or the test into ${to.dir}`,
    });
  }
  return violations;
}

function isExported(node: ts.InterfaceDeclaration): boolean {
  return (ts.getCombinedModifierFlags(node) & ts.ModifierFlags.Export) !== 0;
}

function isInternal(declaration: ts.Declaration): boolean {
  return ts.getJSDocTags(declaration).some((tag) => tag.tagName.text === "internal");
}

/**
 * Uses, in the files of the libraries, of a declaration marked `@internal` in another package: a
 * name (type, function, class, member) or a constructor or call signature. Type-checks the
 * libraries once.
 */
export function internalMemberUses(graph: ImportGraph): Violation[] {
  const libraries = graph.packages.filter((p) => p.kind === "library");
  const rootNames = graph.files
    .filter((f) => libraries.some((p) => f.startsWith(`${p.dir}/`)) && /\.(ts|mts)$/.test(f))
    .map((f) => `${graph.root}/${f}`);
  const program = ts.createProgram({ rootNames, options: workspaceCompilerOptions(graph.root) });
  const checker = program.getTypeChecker();
  const violations: Violation[] = [];
  const seen = new Set<string>();

  for (const source of program.getSourceFiles()) {
    const file = relativePath(graph.root, source.fileName);
    const user = packageOf(libraries, file);
    if (user === undefined || file.startsWith("..")) continue;
    const report = (node: ts.Node, declarations: readonly ts.Declaration[] | undefined): void => {
      for (const declaration of declarations ?? []) {
        if (!isInternal(declaration)) continue;
        const where = relativePath(graph.root, declaration.getSourceFile().fileName);
        const owner = packageOf(graph.packages, where);
        if (owner === undefined || owner === user) continue;
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        const key = `${file}:${line}:${where}`;
        if (seen.has(key)) continue;
        seen.add(key);
        violations.push({
          rule: "internal-member",
          file,
          message: `${file}:${line + 1} uses ${node.getText(source)}, which ${owner.name} marks @internal (${where}); use a public, documented API of ${owner.name} instead`,
        });
      }
    };
    const visit = (node: ts.Node): void => {
      // An exported interface is a contract others implement and call: no member of it may be
      // hidden from them.
      if (ts.isInterfaceDeclaration(node) && isExported(node) && !/\.test\.ts$/.test(file)) {
        for (const member of node.members) {
          if (!isInternal(member)) continue;
          const { line } = source.getLineAndCharacterOfPosition(member.getStart(source));
          violations.push({
            rule: "internal-on-interface",
            file,
            message: `${file}:${line + 1}: member ${member.name?.getText(source) ?? "(unnamed)"} of the exported interface ${node.name.text} is marked @internal; document it as public or take it off the interface`,
          });
        }
      }
      if (ts.isIdentifier(node) || ts.isPrivateIdentifier(node)) {
        let symbol = checker.getSymbolAtLocation(node);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias)
          symbol = checker.getAliasedSymbol(symbol);
        report(node, symbol?.declarations);
      } else if (ts.isNewExpression(node) || ts.isCallExpression(node)) {
        const declaration = checker.getResolvedSignature(node)?.declaration;
        const callee = ts.isPropertyAccessExpression(node.expression)
          ? node.expression.name
          : node.expression;
        if (declaration && !ts.isJSDocSignature(declaration)) report(callee, [declaration]);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return violations;
}
