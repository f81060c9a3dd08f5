// Runs a TypeScript script of this project on Node 20: esbuild bundles it (workspace packages
// resolved through their "development" condition, i.e. from source) into a temporary ESM file.
import { rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const [script, ...rest] = process.argv.slice(2);
if (!script) {
  console.error("usage: node scripts/run-ts.mjs <script.ts> [args...]");
  process.exit(2);
}
// inside the project, so that Node resolves the external packages from node_modules
const outfile = join(import.meta.dirname, "..", "dist", `run-${process.pid}.mjs`);
await build({
  entryPoints: [resolve(script)],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["development"],
  plugins: [
    {
      name: "workspace-from-source",
      setup(b) {
        // bundle @statefun-ts/* (TypeScript sources); leave every other package to Node
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@statefun-ts/") ? undefined : { external: true },
        );
      },
    },
  ],
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: "warning",
});
process.argv = [process.argv[0], resolve(script), ...rest];
try {
  await import(pathToFileURL(outfile).href);
} finally {
  await rm(outfile, { force: true });
}
