// The `runtime` part of `npm run bench` (issue 16): end-to-end messages per second through the
// local runtime (`statefun-ts dev`, durable SQLite state, group commit) and through the real
// Flink StateFun runtime (tools/flink-runtime, C2 JIT) in the same run, on the same function
// (runtime-counter.mjs: int state + one Kafka egress record per message). Load: wrk, 64
// connections, 50 ids; a round is wrk for `durationMs`, then waiting until every accepted message
// produced its egress record ("drained"); rate = accepted / (load + drain time). Rounds alternate
// ours / Flink / ceiling. p99 is wrk's ingress latency (request to 202). The ceiling is a bare
// node:http server answering 202 (runtime-ceiling.mjs) under the same load: no runtime built on
// node:http can accept faster on this machine.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const root = join(here, "../../..");
const CLI = join(root, "libs/runtime/dist/cli/main.js");
const IDS = 50;
const TYPENAME = "bench.types/tick";

/** CPU seconds (user + system) a process and its threads used so far; 0 when unreadable. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

function which(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Spawns a child and resolves with the first stdout line matching `pattern`. */
function startChild(command, args, pattern, options = {}) {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${command} did not start:\n${output}`)),
      120_000,
    );
    const onData = (chunk) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => {
      output += c.toString();
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output.slice(-3000)}`));
    });
  });
}

function wrkScript(dir, pathPrefix) {
  const file = join(dir, `wrk-${pathPrefix.replaceAll("/", "_")}.lua`);
  writeFileSync(
    file,
    `local n = 0
request = function()
  n = n + 1
  return wrk.format("PUT", "${pathPrefix}" .. (n % ${IDS}), {["Content-Type"] = "application/vnd.${TYPENAME}"}, "m")
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(99), latency:percentile(50)))
end
`,
  );
  return file;
}

function runWrk(url, script, durationMs) {
  return new Promise((resolve, reject) => {
    const wrk = spawn(
      "wrk",
      ["-t2", "-c64", `-d${Math.round(durationMs / 1000)}s`, "-s", script, url],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    wrk.stdout.on("data", (c) => {
      out += c.toString();
    });
    wrk.stderr.on("data", (c) => {
      out += c.toString();
    });
    wrk.once("exit", (code) => {
      const m = /RESULT (\d+) (\d+) (\d+) (\d+)/.exec(out);
      if (code !== 0 || !m) reject(new Error(`wrk failed (${code}):\n${out}`));
      else
        resolve({
          requests: Number(m[1]),
          errors: Number(m[2]),
          p99Us: Number(m[3]),
          p50Us: Number(m[4]),
        });
    });
  });
}

async function waitUntil(what, check, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One system under load: how to reach its ingress and how many egress records it holds. */
async function round(system, durationMs) {
  const before = await system.records();
  const cpuBefore = system.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const started = performance.now();
  const load = await runWrk(system.url, system.script, durationMs);
  const accepted = load.requests - load.errors;
  await waitUntil(
    `${system.name} to drain`,
    async () => (await system.records()) >= before + accepted,
  );
  const seconds = (performance.now() - started) / 1000;
  const cpu = system.pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0) - cpuBefore;
  return {
    rate: accepted / seconds,
    perCpu: cpu > 0 ? accepted / cpu : Number.NaN,
    cpu,
    accepted,
    errors: load.errors,
    p99Ms: load.p99Us / 1000,
    p50Ms: load.p50Us / 1000,
    seconds,
    // The 1-minute load average at the end of the round: how busy the machine was meanwhile.
    load: loadavg()[0] ?? 0,
  };
}

/**
 * Runs the runtime benchmark; resolves with ours, Flink's (when Java is there) and the bare
 * node:http ceiling, each the median round.
 */
export async function benchRuntime({ rounds = 3, durationMs = 8000, log = console.log } = {}) {
  if (!which("wrk")) throw new Error("wrk is not installed (apt-get install -y wrk)");
  const dir = mkdtempSync(join(tmpdir(), "statefun-bench-runtime-"));
  const children = [];
  try {
    const { child: service, match } = await startChild(
      process.execPath,
      [join(here, "runtime-counter.mjs")],
      /\{"port":(\d+)\}/,
    );
    children.push(service);
    const moduleFile = join(dir, "module.yaml");
    writeFileSync(
      moduleFile,
      `kind: io.statefun.endpoints.v2/http
spec:
  functions: bench.fns/*
  urlPathTemplate: http://127.0.0.1:${match[1]}/statefun
  maxNumBatchRequests: 1000
---
kind: io.statefun.kafka.v1/egress
spec:
  id: bench.io/out
  address: kafka:9092
`,
    );
    const ours = await startChild(
      process.execPath,
      [
        CLI,
        "dev",
        "--no-inspector",
        "--module",
        moduleFile,
        "--state-file",
        join(dir, "state.db"),
        "--ingress-port",
        "0",
        "--egress-port",
        "0",
      ],
      /ready: ingress (http:\/\/\S+), egress (http:\/\/\S+),/,
      { cwd: dir },
    );
    children.push(ours.child);
    ours.child.stdout.resume();
    ours.child.stderr.resume();
    const egressUrl = ours.match[2];
    const systems = [
      {
        name: "ours",
        pids: [ours.child.pid, service.pid],
        url: ours.match[1],
        script: wrkScript(dir, "/bench.fns/counter/"),
        records: async () => {
          const { topics } = await (await fetch(`${egressUrl}/topics`)).json();
          return topics.find((t) => t.topic === "counts")?.records ?? 0;
        },
      },
    ];
    let flink;
    if (which("java") && which("mvn")) {
      process.env.FLINK_RUNTIME_JAVA_OPTS ??= "-XX:TieredStopAtLevel=4";
      const { startFlinkRuntime } = await import(
        join(root, "tools/flink-runtime/flink-runtime.mjs")
      );
      flink = await startFlinkRuntime({ moduleYaml: moduleFile, checkpointInterval: "1s" });
      systems.push({
        name: "flink",
        pids: [flink.pid, service.pid],
        url: flink.controlUrl,
        script: wrkScript(dir, "/in/bench.fns/counter/"),
        records: async () =>
          (await (await fetch(`${flink.controlUrl}/egress`)).json())["bench.io/out"] ?? 0,
      });
    } else {
      log("  runtime: java/mvn missing, the Flink runtime is not measured");
    }
    const { child: bare, match: bareMatch } = await startChild(
      process.execPath,
      [join(here, "runtime-ceiling.mjs")],
      /\{"port":(\d+)\}/,
    );
    children.push(bare);
    const bareUrl = `http://127.0.0.1:${bareMatch[1]}`;
    systems.push({
      name: "bare",
      pids: [bare.pid],
      url: bareUrl,
      script: wrkScript(dir, "/bench.fns/counter/"),
      records: async () => Number(await (await fetch(`${bareUrl}/count`)).json()),
    });
    const results = Object.fromEntries(systems.map((s) => [s.name, []]));
    // Warm-up (JIT, connections, state registration), then alternating rounds.
    // 8 s each: after 3 s the runtime's first round still ran at half its later CPU efficiency
    // (JIT tiers), and on a busy machine Flink's C2 needs as long.
    for (const system of systems) await round(system, 8000);
    for (let r = 0; r < rounds; r += 1) {
      for (const system of r % 2 === 0 ? systems : [...systems].reverse()) {
        const result = await round(system, durationMs);
        results[system.name].push(result);
        log(
          `  runtime round ${r + 1} ${system.name}: ${Math.round(result.rate).toLocaleString("en-US")} msg/s end to end (${result.accepted} accepted, ${result.errors} errors, drained in ${result.seconds.toFixed(1)} s; ${Math.round(result.perCpu).toLocaleString("en-US")} msg per CPU-second of runtime + function), ingress p50 ${result.p50Ms.toFixed(1)} ms, p99 ${result.p99Ms.toFixed(1)} ms; load average ${result.load.toFixed(1)}`,
        );
      }
    }
    const median = (list, key) => {
      const sorted = list.map((x) => x[key]).sort((a, b) => a - b);
      return sorted[Math.floor((sorted.length - 1) / 2)];
    };
    const summary = (name) =>
      results[name] && results[name].length > 0
        ? {
            rate: median(results[name], "rate"),
            perCpu: median(results[name], "perCpu"),
            p99Ms: median(results[name], "p99Ms"),
          }
        : undefined;
    if (flink) await flink.stop();
    return { ours: summary("ours"), flink: summary("flink"), bare: summary("bare") };
  } finally {
    for (const child of children) {
      child.stdin?.end();
      child.kill("SIGTERM");
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
