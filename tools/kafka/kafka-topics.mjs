// Small kafkajs helpers for tests and demos: create topics, produce records, and read a topic
// from its beginning with a read_committed (or read_uncommitted) consumer. See README.md.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import kafkajs from "kafkajs";

const { Kafka, logLevel } = kafkajs;

/**
 * @typedef {object} TopicRecord
 * @property {string} topic
 * @property {number} partition
 * @property {number} offset
 * @property {string | null} key the key as UTF-8 text (null when absent)
 * @property {Buffer | null} value
 * @property {number} timestamp record timestamp (ms)
 */

/**
 * A kafkajs client for a test broker: short retries, quiet (KAFKAJS_LOG=1 logs at INFO).
 * @param {string} bootstrap "host:port" (comma-separated for several)
 * @param {string} [clientId]
 */
export function kafkaClient(bootstrap, clientId = "statefun-ts-test") {
  return new Kafka({
    clientId,
    brokers: bootstrap.split(","),
    // kafkajs logs retried errors (a coordinator still loading, ...) at ERROR: quiet unless asked
    logLevel: process.env.KAFKAJS_LOG ? logLevel.INFO : logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 8 },
  });
}

/**
 * Creates topics (ignores the ones that exist).
 * @param {string} bootstrap
 * @param {Array<{topic: string, partitions?: number}>} topics
 */
export async function createTopics(bootstrap, topics) {
  const admin = kafkaClient(bootstrap, "statefun-ts-admin").admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((t) => ({
        topic: t.topic,
        numPartitions: t.partitions ?? 1,
        replicationFactor: 1,
      })),
    });
  } finally {
    await admin.disconnect();
  }
}

/**
 * Produces records with an idempotent producer (acks=all), in batches of up to 500. Resolves with
 * where each batch went (kafkajs RecordMetadata: topicName, partition, baseOffset).
 * @param {string} bootstrap
 * @param {string} topic
 * @param {Array<{key?: string | Buffer | null, value: string | Buffer | null, partition?: number}>} messages
 */
export async function produce(bootstrap, topic, messages) {
  const producer = kafkaClient(bootstrap, "statefun-ts-producer").producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  /** @type {import("kafkajs").RecordMetadata[]} */
  const written = [];
  try {
    for (let i = 0; i < messages.length; i += 500) {
      written.push(
        ...(await producer.send({ topic, acks: -1, messages: messages.slice(i, i + 500) })),
      );
    }
    return written;
  } finally {
    await producer.disconnect();
  }
}

/**
 * @typedef {object} TopicReader
 * @property {TopicRecord[]} records every record read so far, in arrival order
 * @property {(count: number, timeoutMs?: number) => Promise<TopicRecord[]>} waitFor waits until
 *   at least `count` records were read; resolves with all of them
 * @property {() => Promise<void>} close
 */

/**
 * Reads a topic from its beginning in the background, in a fresh consumer group, and keeps every
 * record. `isolation: "read_committed"` (the default) sees only committed transactional records,
 * as a downstream consumer of an exactly-once egress should.
 * @param {string} bootstrap
 * @param {string} topic
 * @param {{isolation?: "read_committed" | "read_uncommitted", groupId?: string}} [options]
 * @returns {Promise<TopicReader>}
 */
export async function readTopic(bootstrap, topic, options = {}) {
  const groupId =
    options.groupId ?? `statefun-ts-reader-${process.pid}-${Date.now()}-${Math.random()}`;
  const consumer = kafkaClient(bootstrap, "statefun-ts-reader").consumer({
    groupId,
    readUncommitted: options.isolation === "read_uncommitted",
    // generous: a starved test machine must not make the reader leave and re-join its group
    sessionTimeout: 45_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 1_000,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  /** @type {TopicRecord[]} */
  const records = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: t, partition, message }) => {
      records.push({
        topic: t,
        partition,
        offset: Number(message.offset),
        key: message.key === null ? null : message.key.toString("utf8"),
        value: message.value,
        timestamp: Number(message.timestamp),
      });
    },
  });
  return {
    records,
    async waitFor(count, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (records.length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `topic ${topic}: ${records.length} of ${count} record(s) read in ${timeoutMs} ms`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      return records;
    },
    close: () => consumer.disconnect(),
  };
}

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * Reads a whole topic with Kafka's own Java client (the reference reader; tools/kafka must be
 * built): every record from the beginning to the end the isolation level sees (read_committed:
 * the last stable offset), each exactly once, sorted by partition and offset.
 * @param {string} bootstrap
 * @param {string} topic
 * @param {"read_committed" | "read_uncommitted"} [isolation]
 * @returns {Promise<TopicRecord[]>}
 */
export function dumpTopic(bootstrap, topic, isolation = "read_committed") {
  const classpath = `${path.join(HERE, "target/kafka-broker-0.1.0.jar")}:${readFileSync(path.join(HERE, "target/classpath.txt"), "utf8").trim()}`;
  return new Promise((resolve, reject) => {
    execFile(
      process.env.JAVA ?? "java",
      [
        "-XX:TieredStopAtLevel=1",
        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp",
        classpath,
        "dev.statefunts.kafka.DumpTopic",
        bootstrap,
        topic,
        isolation,
      ],
      { maxBuffer: 256 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`dumpTopic ${topic}: ${error.message}\n${stderr}`));
          return;
        }
        resolve(
          stdout
            .split("\n")
            .filter(Boolean)
            .map((line) => {
              const r = JSON.parse(line);
              return {
                topic,
                partition: r.partition,
                offset: r.offset,
                key: r.key === null ? null : Buffer.from(r.key, "base64").toString("utf8"),
                value: r.value === null ? null : Buffer.from(r.value, "base64"),
                timestamp: 0,
              };
            }),
        );
      },
    );
  });
}
