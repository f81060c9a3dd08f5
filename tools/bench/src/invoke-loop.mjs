// Our side of the in-process comparison with the Go SDK, in its own process (pinned like the Go
// peer): node invoke-loop.mjs <request-file> <warmup-ms> <ms>
// Loops handler.invoke on the bytes (awaiting each reply) and prints {"ops","seconds","cpuSeconds"}.

import { readFileSync } from "node:fs";
import { ourHandler } from "./greeter.mjs";

const [file, warmupCalls, msText] = process.argv.slice(2);
const payload = new Uint8Array(readFileSync(file));
const handler = ourHandler();

async function loop(ms) {
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(ms) * 1_000_000n;
  for (;;) {
    for (let i = 0; i < 64; i++) await handler.invoke(payload);
    ops += 64;
    if (process.hrtime.bigint() > deadline) break;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const used = process.cpuUsage(cpu);
  return { ops, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

for (let i = Number(warmupCalls); i > 0; i--) await handler.invoke(payload);
console.log(JSON.stringify(await loop(Number(msText))));
