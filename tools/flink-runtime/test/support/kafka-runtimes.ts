// The runtimes the Kafka scenarios run on, both reading and writing a real broker: the Flink
// StateFun runtime with its own Kafka IO (`--kafka`), and the local runtime with its connectors.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFlinkRuntime } from "../../flink-runtime.mjs";
import { flinkSkipReason } from "./toolchain.js";

/** A runtime connected to the test broker. */
export interface KafkaRuntime {
  readonly startupMs: number;
  /**
   * Crashes the runtime and recovers it from its durable state: Flink fails the job, which
   * restarts from its last checkpoint (Kafka offsets and open transactions included).
   */
  crash(): Promise<void>;
  /** The last Kafka ingress record the runtime could not route, as it reports it (or undefined). */
  ingressError(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** How to start one runtime against a broker, or why it cannot run here. */
export interface KafkaCase {
  readonly name: "flink" | "local";
  readonly skipReason: string | undefined;
  start(moduleYaml: string, bootstrap: string): Promise<KafkaRuntime>;
}

async function startFlink(moduleYaml: string, bootstrap: string): Promise<KafkaRuntime> {
  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-kafka-flink-"));
  const modulePath = join(dir, "module.yaml");
  writeFileSync(modulePath, moduleYaml);
  try {
    const runtime = await startFlinkRuntime({ moduleYaml: modulePath, kafka: bootstrap });
    return {
      startupMs: runtime.startupMs,
      crash: () => runtime.fail(),
      async ingressError() {
        return (await runtime.health()).lastIngressError ?? undefined;
      },
      async stop() {
        await runtime.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export const KAFKA_CASES: readonly KafkaCase[] = [
  { name: "flink", skipReason: flinkSkipReason(), start: startFlink },
];
