// A function service in a child process, bundled from TypeScript with esbuild (workspace packages
// from source) so the test can SIGKILL it and start it again on the same port.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bundleTs } from "../../../scripts/bundle-ts.mjs";

const PROJECT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** Bundles `entry` (a .ts file) into target/e2e/<name>.mjs; returns the bundle's path. */
export async function bundleService(entry: string, name: string): Promise<string> {
  const outDir = join(PROJECT, "target", "e2e");
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.mjs`);
  await bundleTs(entry, outfile);
  return outfile;
}

/** A free TCP port on 127.0.0.1 (the service keeps it across restarts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A running child service. */
export interface ChildService {
  readonly pid: number;
  /** SIGKILLs the process and waits until it is gone. */
  kill(): Promise<void>;
}

/** Starts `node <bundle> <port>` and waits for its `LISTENING` line. */
export async function startService(bundle: string, port: number): Promise<ChildService> {
  const child: ChildProcess = spawn(process.execPath, [bundle, String(port)], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d) => {
    stderr += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`service did not start: ${stderr}`)), 15_000);
    child.stdout?.on("data", (d) => {
      out += String(d);
      if (out.includes("LISTENING")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited early (${code}): ${stderr}`));
    });
  });
  return {
    pid: child.pid ?? 0,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}
