// Starts a REAL Apache Kafka 4 broker (single KRaft node, broker + controller in one JVM) on
// 127.0.0.1 for tests and demos. Plain Node ESM, no dependencies. See README.md in this folder.
//
//   import { startKafka } from "../../tools/kafka/kafka-broker.mjs";
//   const kafka = await startKafka({ topics: ["names:4", "greetings"] });
//   kafka.bootstrap; // "127.0.0.1:41234"
//   await kafka.stop();
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startJvmChild } from "../scripts/jvm-child.mjs";
import { runStep } from "../scripts/progress.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {object} KafkaOptions
 * @property {string[]} [topics] topics to create before READY: "name" or "name:partitions"
 * @property {Record<string, string>} [conf] extra broker configuration entries
 * @property {number} [startupTimeoutMs] launch → ready budget, build excluded (default 120000)
 * @property {number} [buildTimeoutMs] budget of a needed Maven build (default 600000)
 * @property {NodeJS.WritableStream} [log] where to copy the broker's log (stderr); default: kept
 *   in memory only, see logs()
 */

/**
 * @typedef {object} KafkaBroker
 * @property {string} bootstrap "127.0.0.1:<port>", for bootstrap.servers / kafkajs brokers
 * @property {number} startupMs launch → READY (build excluded)
 * @property {number} pid the JVM's pid
 * @property {string} dataDir the broker's temp data dir (deleted when it stops)
 * @property {() => string} logs the broker's recent log lines
 * @property {() => Promise<void>} stop stops the broker (SIGTERM, SIGKILL after 15 s)
 */

/**
 * Builds tools/kafka when needed (Maven; a no-op when up to date).
 * @param {number} [timeoutMs]
 * @returns {Promise<void>}
 */
export function buildKafka(timeoutMs = 600_000) {
  return runStep("kafka: Maven build", "bash", [path.join(HERE, "build.sh")], {
    timeoutMs,
    quietUnderMs: 2000,
  });
}

/**
 * Builds if needed, launches the broker, waits for READY (topics created) and returns a handle.
 * The broker exits when this process does (--parent-pid).
 * @param {KafkaOptions} [options]
 * @returns {Promise<KafkaBroker>}
 */
export async function startKafka(options = {}) {
  await buildKafka(options.buildTimeoutMs);
  const args = [path.join(HERE, "run.sh"), "--parent-pid", String(process.pid)];
  for (const topic of options.topics ?? []) args.push("--topic", topic);
  for (const [k, v] of Object.entries(options.conf ?? {})) args.push("--conf", `${k}=${v}`);

  const jvm = await startJvmChild({
    name: "kafka",
    args,
    env: { KAFKA_SKIP_BUILD: "1" },
    ready: /^READY bootstrap=(\S+)/m,
    ...(options.startupTimeoutMs !== undefined && { startupTimeoutMs: options.startupTimeoutMs }),
    ...(options.log && { log: options.log }),
  });

  return {
    bootstrap: /** @type {string} */ (jvm.match[1]),
    dataDir: /^DATA_DIR (.+)$/m.exec(jvm.stdout)?.[1] ?? "",
    startupMs: Date.now() - jvm.launchedAt,
    pid: /** @type {number} */ (jvm.child.pid),
    logs: jvm.logs,
    // SIGTERM runs the broker's shutdown hook (broker stop, temp dir removed)
    stop: () => jvm.stop(15_000),
  };
}
