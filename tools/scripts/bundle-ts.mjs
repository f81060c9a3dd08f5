// Bundles a TypeScript entry of this workspace into one ES module that plain Node 20 runs:
// workspace packages (@statefun-ts/*) are bundled from source (their "development" condition),
// every other package stays external and Node resolves it from node_modules.
import { build } from "esbuild";

/**
 * @param {string} entry the .ts entry file
 * @param {string} outfile where to write the bundle (keep it inside the workspace, so that Node
 *   finds the external packages)
 * @returns {Promise<string>} outfile
 */
export async function bundleTs(entry, outfile) {
  await build({
    entryPoints: [entry],
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
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@statefun-ts/") ? undefined : { external: true },
          );
        },
      },
    ],
    // bundled CommonJS dependencies may call require()
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: "warning",
  });
  return outfile;
}
