#!/usr/bin/env node
// Copies files that tsc does not emit (the generated protobufjs JavaScript) into a build output.
// Usage: node tools/scripts/copy-files.mjs <from-dir> <to-dir> <extension>
import { cpSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [from, to, extension] = process.argv.slice(2);
if (!from || !to || !extension) {
  console.error("usage: copy-files.mjs <from-dir> <to-dir> <extension>");
  process.exit(2);
}
mkdirSync(to, { recursive: true });
for (const name of readdirSync(from)) {
  if (name.endsWith(extension)) cpSync(join(from, name), join(to, name));
}
