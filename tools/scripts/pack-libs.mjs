#!/usr/bin/env node
// Packs the published libraries into npm tarballs as they would be published: the files npm
// selects (the `files` list), with the manifest stripped of what only the workspace uses (the
// "development" export condition pointing at TypeScript sources, the Nx targets, scripts and dev
// dependencies). Build the libraries first (`npx nx run-many -t build`).
// Usage: node tools/scripts/pack-libs.mjs [--out <dir>] [lib ...]   (default: every published lib)
// Prints the tarball paths, one a line, on stdout.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const root = resolve(import.meta.dirname, "../..");

/** The published libraries, in dependency order. */
export const PUBLISHED_LIBS = ["sdk", "registry", "inspector", "runtime", "testing"];

/** The manifest as published: workspace-only fields and export conditions removed. */
export function publishedManifest(manifest) {
  const { nx: _nx, devDependencies: _dev, scripts: _scripts, ...published } = manifest;
  published.exports = stripCondition(manifest.exports, "development");
  return published;
}

function stripCondition(exports, condition) {
  if (exports === null || typeof exports !== "object") return exports;
  return Object.fromEntries(
    Object.entries(exports)
      .filter(([key]) => key !== condition)
      .map(([key, value]) => [key, stripCondition(value, condition)]),
  );
}

/** Packs one library (libs/<lib>) into `out`; returns the tarball's path. */
export function packLib(lib, out) {
  const dir = join(root, "libs", lib);
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
  for (const entry of manifest.files ?? []) {
    if (!entry.startsWith("!") && !existsSync(join(dir, entry))) {
      throw new Error(
        `${manifest.name}: "${entry}" of its files list does not exist; build it first (npx nx run ${manifest.name}:build)`,
      );
    }
  }
  // The files npm would publish from the workspace directory, copied to a staging directory.
  const [listing] = JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: dir,
      encoding: "utf8",
    }),
  );
  const stage = join(out, "stage", lib);
  rmSync(stage, { recursive: true, force: true });
  mkdirSync(stage, { recursive: true });
  for (const { path } of listing.files) {
    if (path === "package.json") continue;
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    cpSync(join(dir, path), join(stage, path));
  }
  if (!existsSync(join(stage, "LICENSE"))) cpSync(join(root, "LICENSE"), join(stage, "LICENSE"));
  writeFileSync(
    join(stage, "package.json"),
    `${JSON.stringify(publishedManifest(manifest), null, 2)}\n`,
  );
  const [packed] = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", out], {
      cwd: stage,
      encoding: "utf8",
    }),
  );
  return join(out, packed.filename);
}

if (process.argv[1] === import.meta.filename) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { out: { type: "string", default: join(root, "dist/packages") } },
  });
  const libs = positionals.length > 0 ? positionals : PUBLISHED_LIBS;
  const out = resolve(values.out);
  mkdirSync(out, { recursive: true });
  for (const lib of libs) {
    if (!PUBLISHED_LIBS.includes(lib)) {
      console.error(
        `pack-libs: "${lib}" is not a published library (${PUBLISHED_LIBS.join(", ")})`,
      );
      process.exit(2);
    }
    console.log(packLib(lib, out));
  }
}
