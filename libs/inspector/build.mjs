#!/usr/bin/env node
// Builds the inspector page into dist/: index.html, inspector.js (Preact, signals and the page,
// bundled and minified with esbuild), inspector.css and favicon.svg. No CDN, no network font:
// the runtime serves these files as they are.
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = import.meta.dirname;
const out = join(root, "dist");
mkdirSync(out, { recursive: true });
await build({
  // main.tsx imports styles.css, so esbuild writes inspector.css beside inspector.js.
  entryPoints: { inspector: join(root, "src/main.tsx") },
  outdir: out,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: ["chrome110", "firefox115", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  minify: true,
  sourcemap: false,
  legalComments: "eof",
  logLevel: "warning",
  entryNames: "[name]",
});
for (const file of ["index.html", "favicon.svg"])
  copyFileSync(join(root, "src", file), join(out, file));
const kib = (file) => `${(statSync(join(out, file)).size / 1024).toFixed(1)} KiB`;
console.log(
  `inspector page built in ${out}: inspector.js ${kib("inspector.js")}, inspector.css ${kib("inspector.css")}`,
);
