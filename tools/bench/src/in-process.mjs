// In-process benchmark: the same request bytes through our `invoke` and the official SDK's
// byte-level `handle`, alternating rounds, timed with process.hrtime.bigint().

import { isDeepStrictEqual } from "node:util";
import {
  checkReply,
  describeReply,
  greeterRequest,
  officialHandler,
  ourHandler,
} from "./greeter.mjs";

/**
 * Runs `ops` invocations one after the other; returns the elapsed wall-clock nanoseconds and the
 * CPU time of this process in nanoseconds (the machine is shared: wall time also counts the time
 * other processes held the core, CPU time does not).
 */
async function runOps(invoke, bytes, ops) {
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await invoke(bytes);
  const wall = Number(process.hrtime.bigint() - start);
  const used = process.cpuUsage(cpu);
  return { wall, cpu: (used.user + used.system) * 1000 };
}

async function timeOps(invoke, bytes, ops) {
  return (await runOps(invoke, bytes, ops)).wall;
}

/** How many ops take about `targetMs`. */
async function calibrate(invoke, bytes, targetMs) {
  let ops = 16;
  for (;;) {
    const ns = await timeOps(invoke, bytes, ops);
    if (ns >= targetMs * 1e6 * 0.25 || ops > 1e7)
      return Math.max(1, Math.round((ops * targetMs * 1e6) / ns));
    ops *= 4;
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Checks both SDKs answer the batch identically and correctly, then times them.
 * @returns median ops/s (one op = one request) by wall clock (`ours`, `official`, `ratio`) and
 *   per CPU-second of this process (`oursCpu`, `officialCpu`, `cpuRatio`).
 */
export async function benchBatch(batch, { rounds = 15, roundMs = 200, warmupMs = 1000 } = {}) {
  const bytes = greeterRequest(batch);
  const impls = { ours: ourHandler().invoke, official: officialHandler().invoke };

  const ourReply = await impls.ours(bytes);
  const officialReply = await impls.official(bytes);
  checkReply(ourReply, batch);
  checkReply(officialReply, batch);
  if (!isDeepStrictEqual(describeReply(ourReply), describeReply(officialReply))) {
    throw new Error(
      `the SDKs disagree on the batch of ${batch}:\nours     ${JSON.stringify(describeReply(ourReply))}\nofficial ${JSON.stringify(describeReply(officialReply))}`,
    );
  }

  const ops = {};
  for (const [name, invoke] of Object.entries(impls)) {
    await timeOps(invoke, bytes, await calibrate(invoke, bytes, warmupMs)); // warm-up
    ops[name] = await calibrate(invoke, bytes, roundMs);
  }
  const wall = { ours: [], official: [] };
  const cpu = { ours: [], official: [] };
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so neither side always runs right after the other's garbage.
    const order = r % 2 ? ["official", "ours"] : ["ours", "official"];
    for (const name of order) {
      const t = await runOps(impls[name], bytes, ops[name]);
      wall[name].push((ops[name] * 1e9) / t.wall);
      cpu[name].push((ops[name] * 1e9) / t.cpu);
    }
  }
  const ours = median(wall.ours);
  const official = median(wall.official);
  const oursCpu = median(cpu.ours);
  const officialCpu = median(cpu.official);
  return {
    batch,
    ours,
    official,
    ratio: ours / official,
    oursCpu,
    officialCpu,
    cpuRatio: oursCpu / officialCpu,
    rounds: { wall, cpu },
  };
}
