// Starts the REAL Apache Flink StateFun 3.3 runtime (Flink 1.16.2 MiniCluster, one JVM) for
// tests, with an HTTP control ingress and recording egresses. Plain Node ESM, no dependencies.
// See README.md in this folder for the control API and the figures.
//
//   import { startFlinkRuntime } from "../../tools/flink-runtime/flink-runtime.mjs";
//   const rt = await startFlinkRuntime({ moduleYaml: "/tmp/x/module.yaml", egresses: ["com.example/out"] });
//   await rt.send("com.example", "greeter", "Bob", "io.statefun.types/string", bytes);
//   const records = await rt.waitForEgress("com.example/out", 1);
//   await rt.stop();
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startJvmChild } from "../scripts/jvm-child.mjs";
import { runStep } from "../scripts/progress.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {object} FlinkRuntimeOptions
 * @property {string} moduleYaml path of a StateFun 3.x module.yaml (io.statefun.endpoints.v2/http ...)
 * @property {string[]} [egresses] egress ids ("ns/name") to record; Kafka/Kinesis egresses declared
 *   in module.yaml are recorded too (they are replaced, nothing is sent to a broker)
 * @property {number} [controlPort] port of the control API on 127.0.0.1 (default 0: any free port)
 * @property {number} [parallelism] Flink parallelism and task slots (default 1)
 * @property {string} [checkpointInterval] e.g. "1s" (the default), "200ms"
 * @property {string} [kafka] a Kafka bootstrap address ("127.0.0.1:9092"): the Kafka ingresses and
 *   egresses declared in module.yaml then use this broker for real (they are not replaced)
 * @property {Record<string, string>} [conf] extra Flink configuration entries
 * @property {number} [startupTimeoutMs] launch → ready budget, build excluded (default 120000)
 * @property {number} [buildTimeoutMs] budget of a needed Maven build (default 600000)
 * @property {NodeJS.WritableStream} [log] where to copy the runtime's log (stderr); default: kept
 *   in memory only, see logs()
 */

/**
 * One record seen by an egress.
 * @typedef {object} EgressRecord
 * @property {number} index position in that egress (0-based)
 * @property {string} egress egress id
 * @property {string} typename the TypedValue typename
 * @property {Buffer} value the TypedValue value bytes
 * @property {number} timeMs when the runtime handed it to the egress
 * @property {{topic: string, key: string, value: Buffer}} [kafka] decoded KafkaProducerRecord
 * @property {{stream: string, partitionKey: string, explicitHashKey: string, value: Buffer}} [kinesis]
 *   decoded KinesisEgressRecord
 */

/**
 * @typedef {object} FlinkRuntime
 * @property {string} controlUrl e.g. "http://127.0.0.1:41234"
 * @property {number} startupMs JVM launch → job running and ready (/health 200)
 * @property {number} pid the JVM's pid
 * @property {(ns: string, type: string, id: string, typename: string, bytes: Uint8Array | string) => Promise<number>} send
 *   posts one message to function ns/type, id; the function receives TypedValue{typename, bytes}.
 *   A string is sent as its UTF-8 bytes. Resolves with the message's offset in the ingress log.
 * @property {(id: string, from?: number) => Promise<EgressRecord[]>} egress all records of an
 *   egress so far (from index `from` on)
 * @property {(id: string, count: number, timeoutMs?: number) => Promise<EgressRecord[]>} waitForEgress
 *   waits until the egress holds at least `count` records, resolves with all of them
 * @property {() => Promise<Record<string, number>>} health the /health JSON (status, sourceStarts,
 *   accepted, delivered, completedCheckpoints, lastCheckpointOffset, ...)
 * @property {(timeoutMs?: number) => Promise<void>} waitForCheckpoint waits for a checkpoint taken
 *   after this call that covers every message accepted so far (call it once their effects are
 *   visible, e.g. after waitForEgress, and a later restart replays nothing before it)
 * @property {(timeoutMs?: number) => Promise<void>} fail injects a task failure; resolves once the
 *   job has restarted from its last checkpoint and runs again
 * @property {(timeoutMs?: number) => Promise<void>} waitForRunning waits for /health 200
 * @property {() => string} logs the runtime's recent log lines
 * @property {() => Promise<void>} stop stops the JVM (graceful, then SIGKILL after 10 s)
 */

/**
 * Builds tools/flink-runtime when needed (Maven; a no-op when up to date).
 * @param {number} [timeoutMs]
 * @returns {Promise<void>}
 */
export function buildFlinkRuntime(timeoutMs = 600_000) {
  // progress: the step and its elapsed time, and a line every 30 s (a cold build takes minutes)
  return runStep("flink-runtime: Maven build", "bash", [path.join(HERE, "build.sh")], {
    timeoutMs,
    quietUnderMs: 2000,
  });
}

/**
 * Builds if needed, launches the JVM, waits until the job runs, and returns a handle.
 * @param {FlinkRuntimeOptions} options
 * @returns {Promise<FlinkRuntime>}
 */
export async function startFlinkRuntime(options) {
  const { moduleYaml, egresses = [], controlPort = 0, parallelism = 1 } = options;
  if (!moduleYaml) throw new Error("startFlinkRuntime: moduleYaml is required");
  await buildFlinkRuntime(options.buildTimeoutMs);

  const args = [path.join(HERE, "run.sh"), "--module", path.resolve(moduleYaml)];
  for (const e of egresses) args.push("--egress", e);
  args.push("--control-port", String(controlPort), "--parallelism", String(parallelism));
  args.push("--checkpoint-interval", options.checkpointInterval ?? "1s");
  args.push("--parent-pid", String(process.pid));
  if (options.kafka) args.push("--kafka", options.kafka);
  for (const [k, v] of Object.entries(options.conf ?? {})) args.push("--conf", `${k}=${v}`);

  const jvm = await startJvmChild({
    name: "flink-runtime",
    args,
    env: { FLINK_RUNTIME_SKIP_BUILD: "1" },
    ready: /^CONTROL (\S+)$/m,
    ...(options.startupTimeoutMs !== undefined && { startupTimeoutMs: options.startupTimeoutMs }),
    ...(options.log && { log: options.log }),
  });
  const controlUrl = /** @type {string} */ (jvm.match[1]);
  const logs = jvm.logs;

  const getJson = async (/** @type {string} */ p) => {
    const res = await fetch(controlUrl + p);
    const body = await res.json();
    if (!res.ok && res.status !== 503) throw new Error(`GET ${p}: ${res.status} ${body.error}`);
    return { status: res.status, body };
  };
  const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));

  const waitForRunning = async (timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (jvm.exited()) throw new Error(`flink-runtime exited\n${logs()}`);
      try {
        if ((await getJson("/health")).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error("flink-runtime: not running in time");
      await sleep(50);
    }
  };
  try {
    await waitForRunning(options.startupTimeoutMs ?? 120_000);
  } catch (e) {
    jvm.kill();
    throw e;
  }
  const startupMs = Date.now() - jvm.launchedAt;

  const toRecord = (/** @type {any} */ r) => ({
    ...r,
    value: Buffer.from(r.value, "base64"),
    ...(r.kafka && { kafka: { ...r.kafka, value: Buffer.from(r.kafka.value, "base64") } }),
    ...(r.kinesis && { kinesis: { ...r.kinesis, value: Buffer.from(r.kinesis.value, "base64") } }),
  });

  /** @type {FlinkRuntime["egress"]} */
  const egress = async (id, from = 0) => {
    const { body } = await getJson(`/egress/${id}?from=${from}`);
    return body.map(toRecord);
  };

  return {
    controlUrl,
    startupMs,
    pid: /** @type {number} */ (jvm.child.pid),
    async send(ns, type, id, typename, bytes) {
      const seg = [ns, type, id].map(encodeURIComponent).join("/");
      const res = await fetch(`${controlUrl}/in/${seg}?typename=${encodeURIComponent(typename)}`, {
        method: "POST",
        headers: { "Content-Type": "application/octet-stream" },
        body: typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes,
      });
      const body = await res.json();
      if (res.status !== 202) throw new Error(`send: ${res.status} ${body.error}`);
      return body.offset;
    },
    egress,
    async waitForEgress(id, count, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const records = await egress(id);
        if (records.length >= count) return records;
        if (Date.now() > deadline) {
          throw new Error(`egress ${id}: ${records.length} of ${count} records in ${timeoutMs} ms`);
        }
        await sleep(50);
      }
    },
    async health() {
      return (await getJson("/health")).body;
    },
    async waitForCheckpoint(timeoutMs = 30_000) {
      const since = Date.now();
      const deadline = since + timeoutMs;
      const target = (await getJson("/health")).body.accepted;
      for (;;) {
        const h = (await getJson("/health")).body;
        if (h.lastCheckpointTakenMs >= since && h.lastCheckpointOffset >= target) return;
        if (Date.now() > deadline) throw new Error("flink-runtime: no checkpoint in time");
        await sleep(50);
      }
    },
    async fail(timeoutMs = 60_000) {
      const before = (await getJson("/health")).body.sourceStarts;
      await fetch(`${controlUrl}/fail`, { method: "POST" });
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const { status, body } = await getJson("/health");
        if (status === 200 && body.sourceStarts > before) return;
        if (jvm.exited() || Date.now() > deadline)
          throw new Error("flink-runtime: no restart in time");
        await sleep(50);
      }
    },
    waitForRunning,
    logs,
    stop: () =>
      jvm.stop(10_000, () => fetch(`${controlUrl}/shutdown`, { method: "POST" }).catch(() => {})),
  };
}
