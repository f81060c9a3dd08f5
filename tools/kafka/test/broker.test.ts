// The test broker: a real Kafka 4 KRaft node on 127.0.0.1 that kafkajs talks to, with topics
// created at start, transactions (read_committed hides aborted records), its temp data removed on
// stop, and its JVM gone when the process that started it dies.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type KafkaBroker, startKafka } from "../kafka-broker.mjs";
import { dumpTopic, kafkaClient, produce, readTopic } from "../kafka-topics.mjs";
import { kafkaSkipReason } from "./toolchain.js";

const skip = kafkaSkipReason();
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.skipIf(skip)(`the Kafka test broker${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let kafka: KafkaBroker;

  beforeAll(async () => {
    kafka = await startKafka({ topics: ["names:4", "greetings"] });
    console.log(`kafka broker start-up: ${kafka.startupMs} ms (${kafka.bootstrap})`);
  });
  afterAll(async () => {
    await kafka?.stop();
  });

  it("listens on 127.0.0.1 and has the topics asked for", async () => {
    expect(kafka.bootstrap).toMatch(/^127\.0\.0\.1:\d+$/);
    const admin = kafkaClient(kafka.bootstrap).admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: ["names", "greetings"] });
      expect(Object.fromEntries(topics.map((t) => [t.name, t.partitions.length]))).toEqual({
        names: 4,
        greetings: 1,
      });
      const cluster = await admin.describeCluster();
      expect(cluster.brokers.map((b) => b.host)).toEqual(["127.0.0.1"]);
    } finally {
      await admin.disconnect();
    }
  });

  it("round-trips keyed records", async () => {
    await produce(kafka.bootstrap, "names", [
      { key: "Bob", value: "1" },
      { key: "Alice", value: "2" },
      { key: "Bob", value: "3" },
    ]);
    const reader = await readTopic(kafka.bootstrap, "names");
    try {
      const records = await reader.waitFor(3);
      expect(records.map((r) => `${r.key}=${r.value?.toString()}`).sort()).toEqual([
        "Alice=2",
        "Bob=1",
        "Bob=3",
      ]);
      // one key, one partition, in order
      const bob = records.filter((r) => r.key === "Bob");
      expect(new Set(bob.map((r) => r.partition)).size).toBe(1);
      expect(bob.map((r) => r.value?.toString())).toEqual(["1", "3"]);
    } finally {
      await reader.close();
    }
  });

  it("supports transactions: read_committed sees committed records only", async () => {
    const topic = "tx-check";
    const producer = kafkaClient(kafka.bootstrap).producer({
      transactionalId: "statefun-ts-tx-check",
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    try {
      const admin = kafkaClient(kafka.bootstrap).admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
      await admin.disconnect();
      const committed = await producer.transaction();
      await committed.send({ topic, messages: [{ key: "k", value: "committed" }] });
      await committed.commit();
      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [{ key: "k", value: "aborted" }] });
      await aborted.abort();
      const last = await producer.transaction();
      await last.send({ topic, messages: [{ key: "k", value: "committed too" }] });
      await last.commit();
    } finally {
      await producer.disconnect();
    }
    const committedReader = await readTopic(kafka.bootstrap, topic);
    const rawReader = await readTopic(kafka.bootstrap, topic, { isolation: "read_uncommitted" });
    try {
      const raw = await rawReader.waitFor(3);
      expect(raw.map((r) => r.value?.toString())).toEqual([
        "committed",
        "aborted",
        "committed too",
      ]);
      const seen = await committedReader.waitFor(2);
      await new Promise((r) => setTimeout(r, 500));
      expect(seen.map((r) => r.value?.toString())).toEqual(["committed", "committed too"]);
      // the reference reader (Kafka's Java client) agrees
      const dumped = await dumpTopic(kafka.bootstrap, topic);
      expect(dumped.map((r) => r.value?.toString())).toEqual(["committed", "committed too"]);
      const all = await dumpTopic(kafka.bootstrap, topic, "read_uncommitted");
      expect(all.map((r) => r.value?.toString())).toEqual([
        "committed",
        "aborted",
        "committed too",
      ]);
    } finally {
      await committedReader.close();
      await rawReader.close();
    }
  });

  it("stops, removing its temp data dir, when the process that started it dies", async () => {
    // a parent that starts a broker and is then SIGKILLed: the broker follows within seconds
    const launcher = fileURLToPath(new URL("../kafka-broker.mjs", import.meta.url));
    const parent = spawn(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { startKafka } = await import(${JSON.stringify(launcher)});
         const k = await startKafka();
         console.log("BROKER " + k.pid + " " + k.dataDir);
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = "";
      parent.stdout?.on("data", (d) => {
        out += String(d);
        const m = /BROKER (\d+ \S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      parent.once("exit", (code) => reject(new Error(`parent exited (${code})`)));
    });
    const [pidText, dataDir] = line.split(" ");
    const brokerPid = Number(pidText);
    expect(alive(brokerPid)).toBe(true);
    expect(existsSync(dataDir ?? "")).toBe(true);
    parent.kill("SIGKILL");
    const deadline = Date.now() + 20_000;
    while (alive(brokerPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(alive(brokerPid), "broker JVM still running after its parent died").toBe(false);
    expect(existsSync(dataDir ?? "")).toBe(false);
  });
});
