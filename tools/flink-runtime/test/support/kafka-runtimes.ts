// The runtimes the Kafka scenarios run on, both reading and writing a real broker: the Flink
// StateFun runtime with its own Kafka IO (`--kafka`), and the local runtime with its connectors.
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registry } from "@statefun-ts/registry-examples";
import { startRuntime, validatorsFromTypes } from "@statefun-ts/runtime";
import { startFlinkRuntime } from "../../flink-runtime.mjs";
import { flinkSkipReason } from "./toolchain.js";

/** A runtime connected to the test broker. */
export interface KafkaRuntime {
  readonly startupMs: number;
  /**
   * Crashes the runtime and recovers it from its durable state: Flink fails the job, which
   * restarts from its last checkpoint (Kafka offsets and open transactions included); the local
   * runtime is closed and started again on its state file (consumer group offsets and egress
   * cursors included).
   */
  crash(): Promise<void>;
  /** The last Kafka ingress record the runtime could not route, as it reports it (or undefined). */
  ingressError(): Promise<string | undefined>;
  stop(): Promise<void>;
}

/** How to start one runtime against a broker, or why it cannot run here. */
export interface KafkaCase {
  readonly name: "flink" | "local";
  /** What `crash()` does, for test names. */
  readonly crash: string;
  readonly skipReason: string | undefined;
  start(moduleYaml: string, bootstrap: string): Promise<KafkaRuntime>;
}

async function startFlink(moduleYaml: string, bootstrap: string): Promise<KafkaRuntime> {
  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-kafka-flink-"));
  const modulePath = join(dir, "module.yaml");
  writeFileSync(modulePath, moduleYaml);
  try {
    const runtime = await startFlinkRuntime({
      moduleYaml: modulePath,
      kafka: bootstrap,
      // FLINK_LOG_FILE=<path> keeps the runtime's log for a look after the run
      ...(process.env.FLINK_LOG_FILE ? { log: createWriteStream(process.env.FLINK_LOG_FILE) } : {}),
    });
    return {
      startupMs: runtime.startupMs,
      crash: async () => {
        await runtime.fail();
        console.log(`flink health after the restart: ${JSON.stringify(await runtime.health())}`);
      },
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

async function startLocal(moduleYaml: string, bootstrap: string): Promise<KafkaRuntime> {
  const dir = mkdtempSync(join(tmpdir(), "statefun-ts-kafka-local-"));
  const log: string[] = [];
  const start = () =>
    startRuntime({
      module: moduleYaml,
      stateFile: join(dir, "state.db"),
      ingressPort: 0,
      egressPort: 0,
      kafka: bootstrap,
      // the CLI's validators: registry JSON types are checked as they come in from Kafka
      validators: validatorsFromTypes(registry.values()),
      log: (level, message) => {
        log.push(`${level} ${message}`);
        if (log.length > 500) log.shift();
      },
      retry: { initialMs: 50, maxMs: 500 },
    });
  const startedAt = Date.now();
  let runtime = await start();
  return {
    startupMs: Date.now() - startedAt,
    async crash() {
      await runtime.close();
      runtime = await start();
    },
    async ingressError() {
      return runtime.kafkaStatus()?.failures.at(-1)?.message;
    },
    async stop() {
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const KAFKA_CASES: readonly KafkaCase[] = [
  {
    name: "flink",
    crash: "a job failure and restart from the last checkpoint",
    skipReason: flinkSkipReason(),
    start: startFlink,
  },
  {
    name: "local",
    crash: "a runtime stop and restart on its state file",
    skipReason: undefined,
    start: startLocal,
  },
];
