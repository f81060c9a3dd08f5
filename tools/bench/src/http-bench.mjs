// HTTP benchmark: our node:http adapter and our dedicated server (createStatefunServer) vs a bare
// node:http server with a fixed reply of the same size. Each server runs in its own process pinned to CPU 0 (taskset, when present); the load
// generator runs in another process pinned to CPU 1.

import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { greeterRequest, ourHandler } from "./greeter.mjs";

const here = fileURLToPath(new URL(".", import.meta.url));
const hasTaskset = spawnSync("taskset", ["-c", "0", "true"]).status === 0;
const cores = availableParallelism();

function pinned(cpu, args) {
  return hasTaskset && cpu < cores
    ? ["taskset", ["-c", String(cpu), ...args]]
    : [args[0], args.slice(1)];
}

async function startServer(kind) {
  const [cmd, args] = pinned(0, [process.execPath, join(here, "server.mjs"), kind]);
  const child = spawn(cmd, args, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
    lines.once("line", (line) => resolve(JSON.parse(line).port));
  });
  return {
    port,
    /** CPU seconds the server process has used so far (Linux /proc; NaN elsewhere). */
    cpuSeconds: () => {
      try {
        const stat = readFileSync(`/proc/${child.pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
      } catch {
        return Number.NaN;
      }
    },
    stop: () =>
      new Promise((resolve) => {
        child.removeAllListeners("exit");
        child.once("exit", resolve);
        child.stdin.end();
      }),
  };
}

function runClient(port, connections, durationMs, files) {
  const [cmd, args] = pinned(1, [
    process.execPath,
    join(here, "load-client.mjs"),
    String(port),
    String(connections),
    String(durationMs),
    files.request,
    files.reply,
  ]);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.once("exit", (code) => {
      if (code !== 0) return reject(new Error(`load client exited with ${code}`));
      const result = JSON.parse(out);
      if (result.failed > 0)
        return reject(new Error(`${result.failed} requests failed: ${result.firstFailure}`));
      resolve(result);
    });
  });
}

/**
 * Alternates bare and ours for `rounds` rounds of `durationMs` each (after a 1 s warm-up of each).
 * @returns {{ bare, ours, ratio, clientCpu, pinned }} mean requests/s.
 */
export async function benchHttp({
  rounds = 2,
  durationMs = 5000,
  connections = 32,
  log = () => {},
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), "statefun-bench-"));
  const request = greeterRequest(1);
  const files = { request: join(dir, "request.bin"), reply: join(dir, "reply.bin") };
  writeFileSync(files.request, request);
  writeFileSync(files.reply, await ourHandler().invoke(request));
  const kinds = ["bare", "ours", "server"];
  const servers = {};
  for (const kind of kinds) servers[kind] = await startServer(kind);
  try {
    const results = Object.fromEntries(kinds.map((k) => [k, []]));
    const cpu = Object.fromEntries(kinds.map((k) => [k, { seconds: 0, requests: 0 }]));
    let clientCpu = 0;
    for (const kind of kinds) await runClient(servers[kind].port, connections, 1000, files);
    for (let r = 0; r < rounds; r++) {
      for (const kind of r % 2 ? [...kinds].reverse() : kinds) {
        const cpuBefore = servers[kind].cpuSeconds();
        const result = await runClient(servers[kind].port, connections, durationMs, files);
        cpu[kind].seconds += servers[kind].cpuSeconds() - cpuBefore;
        cpu[kind].requests += result.completed;
        results[kind].push(result.rps);
        clientCpu = Math.max(clientCpu, result.clientCpu);
        log(`  http ${kind.padEnd(6)} round ${r + 1}: ${Math.round(result.rps)} req/s`);
      }
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const bare = mean(results.bare);
    const ours = mean(results.ours);
    const server = mean(results.server);
    // Requests per CPU-second of the server: its throughput on one saturated core, whatever
    // else the machine runs.
    const bareCpu = cpu.bare.requests / cpu.bare.seconds;
    const oursCpu = cpu.ours.requests / cpu.ours.seconds;
    const serverCpu = cpu.server.requests / cpu.server.seconds;
    return {
      bare,
      ours,
      server,
      ratio: ours / bare,
      serverRatio: server / bare,
      bareCpu,
      oursCpu,
      serverCpu,
      cpuRatio: oursCpu / bareCpu,
      serverCpuRatio: serverCpu / bareCpu,
      clientCpu,
      pinned: hasTaskset && cores > 1,
      rounds: results,
    };
  } finally {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
