// The real CLI in a child process, for tests that SIGKILL it, watch it exit, or run two of them
// on one state file. Built by the `build` target this project's `test` target depends on.
import { type ChildProcess, type SpawnOptions, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { waitFor } from "./harness.js";

/** The built CLI entry point. */
export const CLI = fileURLToPath(new URL("../dist/cli/main.js", import.meta.url));

/** A CLI child process. */
export interface Child {
  process: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** A ready runtime in a child process. */
export interface ReadyChild extends Child {
  ingressUrl: string;
  egressUrl: string;
}

/** Spawns `statefun-ts <args>`, collecting its output. */
export function spawnCli(args: string[], options: SpawnOptions = {}): Child {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing: build first with "npx nx build @statefun-ts/runtime"`);
  // The inspector's default port (8092) is fixed; tests run side by side, so any free port.
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
    ...options,
    env: { STATEFUN_INSPECTOR_PORT: "0", ...(options.env ?? process.env) },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { process: child, output: () => output, exited };
}

/** Starts `statefun-ts dev` on free ports and waits until it is ready. */
export async function startChild(
  moduleFile: string,
  stateFile: string,
  extra: string[] = [],
  options: SpawnOptions = {},
): Promise<ReadyChild> {
  const child = spawnCli(
    [
      "dev",
      "--module",
      moduleFile,
      "--state-file",
      stateFile,
      "--ingress-port",
      "0",
      "--egress-port",
      "0",
      "--no-inspector",
      ...extra,
    ],
    options,
  );
  const match = await waitFor(
    "the runtime to be ready",
    () => {
      if (child.process.exitCode !== null)
        throw new Error(`the runtime exited with ${child.process.exitCode}:\n${child.output()}`);
      return (
        /ready: ingress (http:\/\/\S+), egress (http:\/\/\S+),/.exec(child.output()) ?? undefined
      );
    },
    20_000,
  );
  return { ...child, ingressUrl: match[1] ?? "", egressUrl: match[2] ?? "" };
}
