// npm run bench: the speed figures of issues 2, 11 and 16. Options (after `npm run bench --`):
//   --only in-process|memory|http|go|peers|runtime   run one part (go: in process against the Go
//                                            SDK; peers: HTTP table with the official Go, Java,
//                                            Python and JS SDKs, wrk on CPU 1; runtime: the local
//                                            runtime end to end beside the Flink runtime)
//   --only observability              the in-process cost of HandlerOptions.metrics (and tracing)
//   --quick                         shorter rounds (a smoke run; figures are less stable)
//   --node <path>                   run on that Node binary (e.g. the one printed by
//                                   `node tools/scripts/with-node.mjs 24 --print-path`)

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchHttp } from "./http-bench.mjs";
import { benchBatch } from "./in-process.mjs";
import { benchOverhead, OBSERVABILITY_VARIANTS } from "./observability-overhead.mjs";
import { benchGoInProcess, benchPeersHttp } from "./peers.mjs";
import { benchRuntime } from "./runtime-bench.mjs";

const { values } = parseArgs({
  options: {
    only: { type: "string" },
    quick: { type: "boolean", default: false },
    node: { type: "string" },
  },
});
// --node: the whole run (and every process it starts, which use process.execPath) on that Node.
if (values.node !== undefined && values.node !== process.execPath) {
  const args = process.argv
    .slice(2)
    .filter(
      (arg, i, all) => arg !== "--node" && all[i - 1] !== "--node" && !arg.startsWith("--node="),
    );
  const run = spawnSync(
    values.node,
    [...process.execArgv, fileURLToPath(import.meta.url), ...args, "--node", values.node],
    { stdio: "inherit" },
  );
  if (run.error) {
    console.error(
      `--node ${values.node}: cannot run it (${run.error.message}); give the path of a node binary`,
    );
    process.exit(2);
  }
  process.exit(run.status ?? 1);
}
const ALL = ["in-process", "observability", "memory", "http", "go", "peers", "runtime"];
const parts = values.only ? [values.only] : ALL;
for (const part of parts) {
  if (!ALL.includes(part)) {
    console.error(`unknown --only ${part}: expected one of ${ALL.join(", ")}`);
    process.exit(2);
  }
}
const quick = values.quick;
const here = fileURLToPath(new URL(".", import.meta.url));
const fmt = (n) => Math.round(n).toLocaleString("en-US");
const rows = [];
let failedTarget = false;

console.log(`statefun-ts bench: node ${process.version}, ${new Date().toISOString()}`);

if (parts.includes("in-process")) {
  for (const batch of [1, 100]) {
    const r = await benchBatch(batch, quick ? { rounds: 3, roundMs: 250, warmupMs: 300 } : {});
    console.log(
      `  in-process batch ${batch}: ours ${fmt(r.ours)} req/s, official ${fmt(r.official)} req/s (wall); ours ${fmt(r.oursCpu)}, official ${fmt(r.officialCpu)} per CPU-second`,
    );
    for (const [label, o, b, ratio] of [
      ["wall clock", r.ours, r.official, r.ratio],
      ["per CPU-second", r.oursCpu, r.officialCpu, r.cpuRatio],
    ]) {
      const met = ratio >= 10;
      failedTarget ||= !met;
      rows.push([
        `in-process, batch of ${batch}, ${label}`,
        `${fmt(o)} req/s (${fmt(o * batch)} inv/s)`,
        `official JS SDK ${fmt(b)} req/s`,
        `${ratio.toFixed(1)}x`,
        `>= 10x ${met ? "met" : "MISSED"}`,
      ]);
    }
  }
}

if (parts.includes("observability")) {
  for (const [label, options] of OBSERVABILITY_VARIANTS) {
    for (const batch of [1, 100]) {
      const r = await benchOverhead(batch, options(), quick ? { rounds: 7 } : {});
      const pct = r.overhead * 100;
      const met = pct <= 3;
      failedTarget ||= !met;
      console.log(
        `  ${label}, batch ${batch}: ${fmt(r.observed)} vs ${fmt(r.plain)} req per CPU-second, overhead ${pct.toFixed(1)}% (median of paired rounds)`,
      );
      rows.push([
        `in-process, batch of ${batch}, ${label}, per CPU-second`,
        `${fmt(r.observed)} req/s`,
        `off ${fmt(r.plain)} req/s`,
        `${pct.toFixed(1)}% overhead`,
        `<= 3% ${met ? "met" : "MISSED"}`,
      ]);
    }
  }
}

if (parts.includes("memory")) {
  for (const batch of [1, 100]) {
    const m = {};
    for (const impl of ["ours", "official"]) {
      const run = spawnSync(
        process.execPath,
        [
          "--expose-gc",
          "--min-semi-space-size=256",
          "--max-semi-space-size=256",
          join(here, "alloc.mjs"),
          impl,
          String(batch),
        ],
        { encoding: "utf8" },
      );
      if (run.status !== 0) throw new Error(`alloc.mjs ${impl} ${batch} failed: ${run.stderr}`);
      m[impl] = JSON.parse(run.stdout);
    }
    const note = m.ours.gcDuringMeasure + m.official.gcDuringMeasure > 0 ? " (a GC ran: low)" : "";
    rows.push([
      `allocated per request, batch of ${batch}`,
      `${fmt(m.ours.bytesPerOp)} B`,
      `official JS SDK ${fmt(m.official.bytesPerOp)} B`,
      `${(m.official.bytesPerOp / m.ours.bytesPerOp).toFixed(1)}x less`,
      `retained ~0${note}`,
    ]);
  }
}

if (parts.includes("http")) {
  const r = await benchHttp({
    rounds: quick ? 1 : 4,
    durationMs: quick ? 1500 : 2500,
    log: (line) => console.log(line),
  });
  for (const [label, o, b, ratio] of [
    ["node:http adapter, wall clock", r.ours, r.bare, r.ratio],
    ["node:http adapter, per server CPU-second", r.oursCpu, r.bareCpu, r.cpuRatio],
    ["createStatefunServer, wall clock", r.server, r.bare, r.serverRatio],
    ["createStatefunServer, per server CPU-second", r.serverCpu, r.bareCpu, r.serverCpuRatio],
  ]) {
    if (!Number.isFinite(ratio)) continue;
    const met = ratio >= 0.9;
    failedTarget ||= !met;
    rows.push([
      `HTTP, batch of 1, 32 conns${r.pinned ? ", server on 1 core" : ""}, ${label}`,
      `${fmt(o)} req/s`,
      `bare node:http ${fmt(b)} req/s`,
      `${(ratio * 100).toFixed(0)}%`,
      `>= 90% ${met ? "met" : "MISSED"}`,
    ]);
  }
  if (r.clientCpu > 0.9)
    console.log("  note: the load client used a whole core; the HTTP figures may be client-bound");
}

if (parts.includes("runtime")) {
  const r = await benchRuntime({
    rounds: quick ? 1 : 3,
    durationMs: quick ? 3000 : 8000,
    log: (line) => console.log(line),
  });
  if (r.ours) {
    const ratio = r.flink ? r.ours.rate / r.flink.rate : Number.NaN;
    const met = r.ours.rate >= 20_000 && ratio >= 2;
    failedTarget ||= !met;
    rows.push([
      "runtime end to end, wrk 64 conns, 50 ids, counter + Kafka egress, drained",
      `${fmt(r.ours.rate)} msg/s, p99 ${r.ours.p99Ms.toFixed(1)} ms`,
      r.flink
        ? `Flink StateFun ${fmt(r.flink.rate)} msg/s, p99 ${r.flink.p99Ms.toFixed(1)} ms`
        : "Flink not measured",
      Number.isFinite(ratio) ? `${ratio.toFixed(1)}x` : "-",
      `>= 20,000 msg/s and >= 2x ${met ? "met" : "MISSED"}`,
    ]);
    if (r.flink) {
      rows.push([
        "runtime, per CPU-second of runtime + function service",
        `${fmt(r.ours.perCpu)} msg`,
        `Flink StateFun ${fmt(r.flink.perCpu)} msg`,
        `${(r.ours.perCpu / r.flink.perCpu).toFixed(1)}x`,
        "(fair under a busy machine)",
      ]);
    }
    if (r.bare) {
      rows.push([
        "runtime ingress ceiling: bare node:http 202, same wrk load",
        `${fmt(r.ours.rate)} msg/s`,
        `bare node:http ${fmt(r.bare.rate)} req/s, p99 ${r.bare.p99Ms.toFixed(1)} ms`,
        `${(r.ours.rate / r.bare.rate).toFixed(2)}x`,
        "(no runtime on node:http accepts faster here)",
      ]);
    }
  }
}

if (parts.includes("go")) {
  const r = await benchGoInProcess({
    ...(quick ? { rounds: 1, warmupCalls: 50_000, ms: 500 } : {}),
    log: (line) => console.log(line),
  });
  if (r.skipped) console.log(`  in process vs Go: SKIPPED (${r.skipped})`);
  for (const row of r.rows ?? []) {
    const met = row.ratio >= 3;
    failedTarget ||= !met;
    rows.push([
      `in-process, ${row.scenario}, per CPU-second`,
      `${fmt(row.ours)} req/s`,
      `Go SDK 3.3.0 Invoke ${fmt(row.go)} req/s`,
      `${row.ratio.toFixed(2)}x (wall ${row.wallRatio.toFixed(2)}x)`,
      `>= 3x ${met ? "met" : "MISSED"}`,
    ]);
  }
}

if (parts.includes("peers")) {
  const r = await benchPeersHttp({
    ...(quick ? { rounds: 1, seconds: 2 } : {}),
    log: (line) => console.log(line),
  });
  const ours = r.summary.ours;
  const server = r.summary.server;
  const names = {
    bare: "bare node:http, fixed reply",
    ours: "ours (node:http adapter)",
    server: "ours (createStatefunServer)",
    go: "official Go SDK 3.3.0 (GOMAXPROCS=1)",
    java: "official Java SDK 3.3.0 (JDK HttpServer, TCP_NODELAY)",
    python: "official Python SDK 3.3.0 (aiohttp)",
    official: "official JS SDK 3.3.0",
  };
  console.log(
    `\nHTTP, greeter batch of 1, wrk -c${r.connections} on CPU 1, each server alone on CPU 0, median of ${r.rounds} rounds of ${r.seconds} s:`,
  );
  const ratio = (a, b) => (a && b ? `${(a.rps / b.rps).toFixed(2)}x` : "-");
  const peerRows = Object.entries(r.summary).map(([kind, x]) => [
    names[kind],
    `${fmt(x.rps)} (${fmt(x.rpsRange[0])}-${fmt(x.rpsRange[1])})`,
    `${x.p50.toFixed(2)} ms`,
    `${x.p99.toFixed(2)} ms`,
    Number.isFinite(x.cpuUs) ? `${x.cpuUs.toFixed(1)} µs` : "-",
    kind === "ours" ? "-" : ratio(ours, x),
    kind === "server" ? "-" : ratio(server, x),
  ]);
  printTable(
    ["server", "req/s (range)", "p50", "p99", "CPU/request", "node adapter ÷ it", "server ÷ it"],
    peerRows,
  );
  for (const [kind, reason] of Object.entries(r.skipped))
    if (reason) console.log(`  ${kind}: SKIPPED (${reason})`);
  // The target of issue 11 is met by the recommended server; the node:http adapter is reported.
  for (const [label, x, target] of [
    ["createStatefunServer", server, true],
    ["node:http adapter", ours, false],
  ]) {
    if (r.summary.go) {
      const met = x.rps >= 1.1 * r.summary.go.rps && x.p99 <= r.summary.go.p99;
      if (target) failedTarget ||= !met;
      rows.push([
        `HTTP vs Go, wrk -c50, ${label}, req/s and p99`,
        `${fmt(x.rps)} req/s, p99 ${x.p99.toFixed(2)} ms`,
        `Go ${fmt(r.summary.go.rps)} req/s, p99 ${r.summary.go.p99.toFixed(2)} ms`,
        `${(x.rps / r.summary.go.rps).toFixed(2)}x`,
        target ? `>= 1.10x, p99 no worse ${met ? "met" : "MISSED"}` : "(reported)",
      ]);
    }
    if (r.summary.bare) {
      const ratio = x.rps / r.summary.bare.rps;
      const met = ratio >= 0.92;
      if (target) failedTarget ||= !met;
      rows.push([
        `HTTP vs bare node:http, wrk -c50, ${label}`,
        `${fmt(x.rps)} req/s`,
        `bare ${fmt(r.summary.bare.rps)} req/s`,
        `${(ratio * 100).toFixed(0)}%`,
        target ? `>= 92% ${met ? "met" : "MISSED"}` : "(reported)",
      ]);
    }
  }
}

function printTable(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of body) console.log(line(row));
}

const header = ["case", "ours", "baseline", "ratio", "target"];
console.log();
printTable(header, rows);
if (failedTarget)
  console.log("\nat least one target was missed on this run (the machine may be busy)");
