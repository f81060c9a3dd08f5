// npm run bench: the speed figures of issue 2. Options (after `npm run bench --`):
//   --only in-process|memory|http   run one part
//   --quick                         shorter rounds (a smoke run; figures are less stable)
//   --node <path>                   run on that Node binary (e.g. the one printed by
//                                   `node tools/scripts/with-node.mjs 24 --print-path`)

import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchHttp } from "./http-bench.mjs";
import { benchBatch } from "./in-process.mjs";

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
const parts = values.only ? [values.only] : ["in-process", "memory", "http"];
for (const part of parts) {
  if (!["in-process", "memory", "http"].includes(part)) {
    console.error(`unknown --only ${part}: expected in-process, memory or http`);
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
    ["wall clock", r.ours, r.bare, r.ratio],
    ["per server CPU-second", r.oursCpu, r.bareCpu, r.cpuRatio],
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

const header = ["case", "ours", "baseline", "ratio", "target"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
console.log();
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of rows) console.log(line(row));
if (failedTarget)
  console.log("\nat least one target was missed on this run (the machine may be busy)");
