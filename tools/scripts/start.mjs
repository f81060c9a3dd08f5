#!/usr/bin/env node
// `npm start`: runs the greeter on the local runtime. Until the greeter app and the local runtime
// land (issue 4), it says what is coming and how to try the SDK today.
import { existsSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");
if (existsSync(join(root, "apps/greeter/package.json"))) {
  const { spawn } = await import("node:child_process");
  const child = spawn("npx", ["nx", "run", "greeter:start", "--outputStyle=stream"], {
    cwd: root,
    stdio: "inherit",
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
} else {
  console.log(`statefun-ts: the greeter on the local runtime is not here yet (issue 4).
Meanwhile, the SDK's examples run with:  npx nx run @statefun-ts/sdk:test
and libs/sdk/examples/serve.ts serves the documented greeter at :8000/statefun.`);
}
