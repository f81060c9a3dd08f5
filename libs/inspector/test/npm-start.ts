// Runs `npm start` (the greeter on the local runtime, as a developer does) on free ports with a
// fresh state file, and reads the URLs from its start banner.
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../../..");

/** A running `npm start`. */
export interface NpmStart {
  readonly inspectorUrl: string;
  readonly ingressUrl: string;
  readonly egressUrl: string;
  /** Everything it printed so far. */
  output(): string;
  /** Stops it (SIGTERM to its process group) and waits for it to exit. */
  stop(): Promise<void>;
}

function banner(text: string, name: string): string | undefined {
  return new RegExp(`^\\s+${name}\\s+(http://\\S+)`, "m").exec(text)?.[1];
}

/** Starts `npm start` with `env` added; resolves once the banner shows the URLs. */
export async function npmStart(
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<NpmStart> {
  const child: ChildProcess = spawn("npm", ["start"], {
    cwd: ROOT,
    env: { ...process.env, NX_DAEMON: "false", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.pid !== undefined) {
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
        } catch {
          // already gone
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const inspectorUrl = banner(output, "inspector");
    const ingressUrl = banner(output, "ingress");
    const egressUrl = banner(output, "egress");
    if (inspectorUrl && ingressUrl && egressUrl) {
      return { inspectorUrl, ingressUrl, egressUrl, output: () => output, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`npm start did not print its banner (exit ${child.exitCode}):\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
