// ScenarioDriver on the REAL Apache Flink StateFun runtime (tools/flink-runtime, one JVM).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type FlinkRuntime, startFlinkRuntime } from "../../flink-runtime.mjs";
import type { EgressOutput, ScenarioDriver } from "./driver.js";
import { waitForCount } from "./driver.js";

/** The Flink driver also exposes the runner, for failure injection and checkpoints. */
export interface FlinkDriver extends ScenarioDriver {
  readonly runtime: FlinkRuntime;
}

/**
 * Starts the Flink runtime with `moduleYaml` (text). Generic egress ids must be listed in
 * `egresses`; Kafka/Kinesis egresses declared in the module.yaml are recorded automatically.
 */
export async function startFlinkDriver(
  moduleYaml: string,
  egresses: readonly string[],
  options: { checkpointInterval?: string } = {},
): Promise<FlinkDriver> {
  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-e2e-flink-"));
  const modulePath = join(dir, "module.yaml");
  writeFileSync(modulePath, moduleYaml);
  let runtime: FlinkRuntime;
  try {
    runtime = await startFlinkRuntime({
      moduleYaml: modulePath,
      egresses: [...egresses],
      ...(options.checkpointInterval ? { checkpointInterval: options.checkpointInterval } : {}),
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const records = async (egress: string, topic?: string): Promise<EgressOutput[]> => {
    const all = await runtime.egress(egress);
    const out: EgressOutput[] = [];
    for (const r of all) {
      if (r.kafka) {
        if (topic !== undefined && r.kafka.topic !== topic) continue;
        out.push({
          egress,
          kind: "kafka",
          topic: r.kafka.topic,
          ...(r.kafka.key ? { key: r.kafka.key } : {}),
          value: r.kafka.value,
          typename: r.typename,
          timeMs: r.timeMs,
        });
      } else if (r.kinesis) {
        if (topic !== undefined && r.kinesis.stream !== topic) continue;
        out.push({
          egress,
          kind: "kinesis",
          topic: r.kinesis.stream,
          ...(r.kinesis.partitionKey ? { key: r.kinesis.partitionKey } : {}),
          value: r.kinesis.value,
          typename: r.typename,
          timeMs: r.timeMs,
        });
      } else {
        out.push({
          egress,
          kind: "generic",
          value: r.value,
          typename: r.typename,
          timeMs: r.timeMs,
        });
      }
    }
    return out;
  };
  const driver: FlinkDriver = {
    name: "flink",
    startupMs: runtime.startupMs,
    runtime,
    async send(ns, type, id, typename, bytes) {
      await runtime.send(ns, type, id, typename, bytes);
    },
    records,
    restart: () => runtime.fail(),
    waitForRecords: (egress, count, opts) => waitForCount(driver, egress, count, opts),
    async stop() {
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return driver;
}
