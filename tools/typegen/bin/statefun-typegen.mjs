#!/usr/bin/env node
// Runs the TypeScript generator (src/<script>.ts, default cli) on plain Node 20: bundles it with
// the workspace's esbuild (tools/scripts/bundle-ts.mjs) into dist/, at the same depth as src/.
// Usage: statefun-typegen [--check] | statefun-typegen --script check-languages [go] [java] [python]
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleTs } from "../../scripts/bundle-ts.mjs";

const args = process.argv.slice(2);
const at = args.indexOf("--script");
const script = at >= 0 ? args.splice(at, 2)[1] : "cli";
const project = join(import.meta.dirname, "..");
const outfile = join(project, "dist", `${script}-${process.pid}.mjs`);
await bundleTs(join(project, "src", `${script}.ts`), outfile);
process.argv = [process.argv[0], join(project, "src", `${script}.ts`), ...args];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(outfile, { force: true });
}
