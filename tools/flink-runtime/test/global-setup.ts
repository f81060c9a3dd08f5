// Builds tools/flink-runtime once before the suite (a no-op when up to date; a cold Maven build
// downloads the StateFun/Flink jars). Without java/mvn the Flink scenarios are skipped, and say so.
import { buildFlinkRuntime } from "../flink-runtime.mjs";
import { flinkSkipReason } from "./support/toolchain.js";

export default async function setup(): Promise<void> {
  const reason = flinkSkipReason();
  if (reason) {
    console.warn(`flink-runtime: ${reason}`);
    return;
  }
  const started = Date.now();
  await buildFlinkRuntime();
  console.log(
    `flink-runtime: build step ${Date.now() - started} ms (Maven, no-op when up to date)`,
  );
}
