// Bytes allocated per op, measured in a child process started with --expose-gc and a young
// generation large enough that no garbage collection runs while measuring:
//   node --expose-gc --min-semi-space-size=256 --max-semi-space-size=256 alloc.mjs <ours|official> <batch>
// Prints one JSON line: { impl, batch, ops, bytesPerOp, retainedPerOp, gcDuringMeasure }.

import { PerformanceObserver, performance } from "node:perf_hooks";
import { greeterRequest, officialHandler, ourHandler } from "./greeter.mjs";

const [impl, batchText] = process.argv.slice(2);
const batch = Number(batchText);
if (!["ours", "official"].includes(impl) || !Number.isInteger(batch) || batch < 1) {
  console.error("usage: alloc.mjs <ours|official> <batch>");
  process.exit(2);
}
if (typeof globalThis.gc !== "function") {
  console.error("alloc.mjs needs node --expose-gc");
  process.exit(2);
}

const invoke = impl === "ours" ? ourHandler().invoke : officialHandler().invoke;
const bytes = greeterRequest(batch);
for (let i = 0; i < 20000 / batch; i++) await invoke(bytes); // warm-up (JIT)

const gcTimes = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcTimes.push(entry.startTime);
});
observer.observe({ entryTypes: ["gc"] });

const ops = Math.max(20, Math.round(2000 / batch));
globalThis.gc();
globalThis.gc();
await new Promise((r) => setImmediate(r));
const t0 = performance.now();
const before = process.memoryUsage().heapUsed;
for (let i = 0; i < ops; i++) await invoke(bytes);
const after = process.memoryUsage().heapUsed;
const t1 = performance.now();
await new Promise((r) => setTimeout(r, 50)); // let the observer report collections
const gcDuringMeasure = gcTimes.filter((t) => t >= t0 && t <= t1).length;
globalThis.gc();
globalThis.gc();
const retained = process.memoryUsage().heapUsed - before;
observer.disconnect();
console.log(
  JSON.stringify({
    impl,
    batch,
    ops,
    bytesPerOp: (after - before) / ops,
    retainedPerOp: retained / ops,
    gcDuringMeasure,
  }),
);
