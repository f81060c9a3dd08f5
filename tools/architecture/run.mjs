// Runs src/cli.ts with plain Node: bundles it with the workspace's esbuild helper first.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { bundleTs } from "../scripts/bundle-ts.mjs";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const bundle = await bundleTs(here("src/cli.ts"), here("dist/cli.mjs"));
const root = process.argv[2] ?? fileURLToPath(new URL("../..", import.meta.url));
const run = spawnSync(process.execPath, [bundle, root], { stdio: "inherit" });
process.exit(run.status ?? 1);
