// Types of kafka-topics.mjs (see README.md).
import type { Kafka, RecordMetadata } from "kafkajs";

/** One record read from a topic. */
export interface TopicRecord {
  topic: string;
  partition: number;
  offset: number;
  /** The key as UTF-8 text (null when absent). */
  key: string | null;
  value: Buffer | null;
  /** Record timestamp (ms). */
  timestamp: number;
}

/** A topic read in the background from its beginning. */
export interface TopicReader {
  /** Every record read so far, in arrival order. */
  records: TopicRecord[];
  /** Waits until at least `count` records were read; resolves with all of them. */
  waitFor(count: number, timeoutMs?: number): Promise<TopicRecord[]>;
  close(): Promise<void>;
}

/** A kafkajs client for a test broker: short retries, quiet (KAFKAJS_LOG=1 logs at INFO). */
export function kafkaClient(bootstrap: string, clientId?: string): Kafka;

/** Creates topics (ignores the ones that exist). */
export function createTopics(
  bootstrap: string,
  topics: Array<{ topic: string; partitions?: number }>,
): Promise<void>;

/** Produces records with an idempotent producer (acks=all); resolves with where they went. */
export function produce(
  bootstrap: string,
  topic: string,
  messages: Array<{
    key?: string | Buffer | null;
    value: string | Buffer | null;
    partition?: number;
  }>,
): Promise<RecordMetadata[]>;

/** Reads a topic from its beginning in a fresh consumer group (read_committed by default). */
export function readTopic(
  bootstrap: string,
  topic: string,
  options?: { isolation?: "read_committed" | "read_uncommitted"; groupId?: string },
): Promise<TopicReader>;

/**
 * Reads a whole topic with Kafka's own Java client (the reference reader): every record up to the
 * end the isolation level sees, each once, by partition and offset. tools/kafka must be built.
 */
export function dumpTopic(
  bootstrap: string,
  topic: string,
  isolation?: "read_committed" | "read_uncommitted",
): Promise<TopicRecord[]>;
