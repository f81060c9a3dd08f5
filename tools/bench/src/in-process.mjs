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

/** Runs `ops` invocations one after the other; returns the elapsed nanoseconds. */
async function timeOps(invoke, bytes, ops) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) await invoke(bytes);
  return Number(process.hrtime.bigint() - start);
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
 * @returns {{ batch, ours, official, ratio }} median ops/s (one op = one request).
 */
export async function benchBatch(batch, { rounds = 7, roundMs = 500, warmupMs = 1000 } = {}) {
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
  const rates = { ours: [], official: [] };
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so neither side always runs right after the other's garbage.
    const order = r % 2 ? ["official", "ours"] : ["ours", "official"];
    for (const name of order) {
      const ns = await timeOps(impls[name], bytes, ops[name]);
      rates[name].push((ops[name] * 1e9) / ns);
    }
  }
  const ours = median(rates.ours);
  const official = median(rates.official);
  return { batch, ours, official, ratio: ours / official, rounds: rates };
}
