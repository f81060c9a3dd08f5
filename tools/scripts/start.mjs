#!/usr/bin/env node
// `npm start`: builds the greeter (and the libraries it uses), then runs the greeter service and
// the local runtime in this process tree. Ctrl-C stops both. Arguments are passed on
// (`npm start -- --reset` wipes the state).
import { execFileSync, spawn } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
const script = process.argv[2] === "--demo" ? "demo.js" : "start.js";
const args = process.argv.slice(2).filter((a) => a !== "--demo");

// STATEFUN_START_NO_BUILD=1 skips the build (tests whose Nx target already built the greeter:
// a nested build would rewrite dist/ folders under other tests running in parallel).
if (process.env.STATEFUN_START_NO_BUILD !== "1") {
  console.log("building the greeter...");
  execFileSync("npx", ["nx", "run", "@statefun-ts/greeter:build", "--outputStyle=static"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });
}

const child = spawn(process.execPath, [join(root, "apps/greeter/dist", script), ...args], {
  cwd: root,
  stdio: "inherit",
});
// The terminal's Ctrl-C reaches the child too; forward signals sent to this process alone.
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
