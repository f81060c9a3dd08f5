// Runs a TypeScript script of this project on Node 20, bundled into a temporary ES module (see
// tools/scripts/bundle-ts.mjs).
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { bundleTs } from "../../../tools/scripts/bundle-ts.mjs";

const [script, ...rest] = process.argv.slice(2);
if (!script) {
  console.error("usage: node scripts/run-ts.mjs <script.ts> [args...]");
  process.exit(2);
}
// inside the project, so that Node resolves the external packages from node_modules
const outfile = join(import.meta.dirname, "..", "dist", `run-${process.pid}.mjs`);
await bundleTs(resolve(script), outfile);
process.argv = [process.argv[0], resolve(script), ...rest];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(outfile, { force: true });
}
