// The local runtime's Kafka connectors (optional, `--kafka <bootstrap>`): the Kafka ingresses of
// module.yaml consumed into the runtime's durable queues, and the records of its Kafka egresses
// produced to the broker as well as kept in the local egress log. kafkajs, pure JavaScript.
//
// Delivery: at-least-once both ways. Ingress offsets are committed only after the messages are
// in the SQLite queue (durable); a crash in between re-delivers them. Egress records are produced
// from the local log with an idempotent producer (acks=all, the record's key, so per-key order
// holds) and a durable per-topic cursor is advanced after the broker acknowledged them; a crash
// in between produces them again.
import Database from "better-sqlite3";
import kafkajs, { type Consumer, type Producer } from "kafkajs";
import type { AddressKey, StoredEgressRecord, StoredValue } from "./durable-store.js";
import { describeError, RuntimeError } from "./errors.js";
import type { IngressValidator } from "./ingress-body.js";
import type { KafkaIngressDeclaration, KafkaModule } from "./kafka-module.js";
import type { RuntimeLog } from "./log.js";

const { Kafka, logLevel } = kafkajs;

/** The environment variable that turns the connectors on, like `--kafka`. */
export const KAFKA_BOOTSTRAP_ENV = "STATEFUN_KAFKA_BOOTSTRAP";

/** The local egress log the egress connector reads (the runtime's store). */
export interface EgressLog {
  /** The topics holding records. */
  topics(): ReadonlyArray<{
    /** A topic name. */
    readonly topic: string;
  }>;
  /** Up to `limit` records of `topic` from offset `from`, oldest first. */
  listRecords(topic: string, from: number, limit: number): StoredEgressRecord[];
}

/** Options of {@link startKafkaConnectors}. */
export interface KafkaConnectorOptions {
  /** `host:port[,host:port...]`: used instead of the `address` fields of module.yaml. */
  readonly bootstrap: string;
  /** The Kafka ingresses and egresses of the module.yaml. */
  readonly module: KafkaModule;
  /**
   * Queues a message with group commit; resolves once it is durable in the state file, rejects
   * (nothing queued) when the runtime is at its queue bound or cannot write.
   */
  readonly accept: (target: AddressKey, argument: StoredValue) => Promise<number>;
  /** Whether an endpoint of module.yaml serves the function type. */
  readonly serves: (namespace: string, type: string) => boolean;
  /** Where the egress records are read from to be produced to Kafka. */
  readonly egressLog: EgressLog;
  /** The SQLite state file (the egress cursors live in it), or `:memory:`. */
  readonly stateFile: string;
  /** Validators of ingress values per typename (registry types). */
  readonly validators: ReadonlyMap<string, IngressValidator>;
  /** Where the connectors log. */
  readonly log: RuntimeLog;
  /** kafkajs client id (default `statefun-ts-runtime`). */
  readonly clientId?: string;
}

/** A Kafka record the ingress could not route: its partition is paused, its offset not committed. */
export interface KafkaIngressFailure {
  /** The ingress id. */
  readonly ingress: string;
  /** The topic of the failed record. */
  readonly topic: string;
  /** Its partition. */
  readonly partition: number;
  /** Its offset. */
  readonly offset: string;
  /** Names the ingress, topic, partition and offset, what is wrong and what to do. */
  readonly message: string;
}

/** Counters and failures of the connectors. */
export interface KafkaStatus {
  /** The Kafka bootstrap servers. */
  readonly bootstrap: string;
  /** Records consumed into the queues (each target counts once per record). */
  readonly consumed: number;
  /** Egress records the broker acknowledged. */
  readonly produced: number;
  /** Records that could not be ingested, most recent last. */
  readonly failures: readonly KafkaIngressFailure[];
}

/** Running connectors. */
export interface KafkaConnectors {
  /** New records are in the local egress log: produce them. */
  egressAppended(): void;
  /** Counters and recent failures. */
  status(): KafkaStatus;
  /** Stops consuming, produces what is in the log, disconnects. */
  close(): Promise<void>;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Connects the consumers and the producer; rejects with a clear error when the broker is unreachable. */
export async function startKafkaConnectors(
  options: KafkaConnectorOptions,
): Promise<KafkaConnectors> {
  const { module, log } = options;
  for (const ingress of module.ingresses) {
    for (const topic of ingress.topics) {
      for (const target of topic.targets) {
        if (!options.serves(target.namespace, target.type)) {
          throw new RuntimeError(
            `${ingress.source}: Kafka ingress ${ingress.id} routes topic ${topic.topic} to ${target.namespace}/${target.type}, which no endpoint of the module serves; add an io.statefun.endpoints.v2/http document for it`,
          );
        }
      }
    }
  }
  const kafka = new Kafka({
    clientId: options.clientId ?? "statefun-ts-runtime",
    brokers: options.bootstrap.split(",").map((b) => b.trim()),
    // kafkajs logs retried errors at ERROR; failures that matter reach the runtime's log instead
    logLevel: process.env.KAFKAJS_LOG ? logLevel.INFO : logLevel.NOTHING,
    retry: { initialRetryTime: 100, retries: 10 },
  });
  const cursors = new EgressCursors(options.stateFile);
  const failures: KafkaIngressFailure[] = [];
  let consumed = 0;
  let produced = 0;
  let closed = false;

  const kafkaEgresses = new Set(module.egresses.map((e) => e.id));
  let producer: Producer | undefined;
  const consumers: Consumer[] = [];
  try {
    if (kafkaEgresses.size > 0) {
      producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
    }
    for (const ingress of module.ingresses) {
      consumers.push(
        await startIngress(kafka, ingress, options, {
          consumed: (n) => {
            consumed += n;
          },
          failed: (failure) => {
            failures.push(failure);
            log("error", failure.message);
          },
        }),
      );
    }
  } catch (error) {
    await Promise.allSettled([producer?.disconnect(), ...consumers.map((c) => c.disconnect())]);
    cursors.close();
    throw new RuntimeError(
      `cannot connect to Kafka at ${options.bootstrap}: ${describeError(error)}; check --kafka / ${KAFKA_BOOTSTRAP_ENV} and that the broker is up`,
    );
  }

  // Egress: one pump at a time, from the durable cursor of each topic to the end of the log.
  let pumping: Promise<void> | undefined;
  let again = false;
  let retryTimer: NodeJS.Timeout | undefined;
  const pumpOnce = async (): Promise<void> => {
    if (!producer) return;
    for (const { topic } of options.egressLog.topics()) {
      for (;;) {
        const from = cursors.get(topic);
        const records = options.egressLog.listRecords(topic, from, 500);
        const last = records.at(-1);
        if (!last) break;
        const messages = records
          .filter((r) => r.kind === "kafka" && kafkaEgresses.has(r.egressId))
          .map((r) => ({
            key: r.key,
            value: Buffer.from(r.value),
            timestamp: String(r.timestamp),
          }));
        if (messages.length > 0) await producer.send({ topic, acks: -1, messages });
        cursors.set(topic, last.offset + 1);
        produced += messages.length;
      }
    }
  };
  const pump = (): void => {
    if (pumping) {
      again = true;
      return;
    }
    pumping = (async () => {
      do {
        again = false;
        try {
          await pumpOnce();
        } catch (error) {
          if (closed) return;
          log(
            "error",
            `Kafka egress: producing to ${options.bootstrap} failed, retrying in 1 s (the records stay in the local log): ${describeError(error)}`,
          );
          retryTimer = setTimeout(pump, 1_000);
          return;
        }
      } while (again && !closed);
    })().finally(() => {
      pumping = undefined;
    });
  };
  pump(); // records left from before a restart

  log(
    "info",
    `Kafka at ${options.bootstrap}: ingress ${module.ingresses.map((i) => `${i.id} (${i.topics.map((t) => t.topic).join(", ")})`).join("; ") || "none"}, egress ${[...kafkaEgresses].join(", ") || "none"}`,
  );
  return {
    egressAppended: pump,
    status: () => ({ bootstrap: options.bootstrap, consumed, produced, failures: [...failures] }),
    async close() {
      if (closed) return;
      await Promise.allSettled(consumers.map((c) => c.disconnect()));
      // produce what the last deliveries appended, then stop
      while (pumping) await pumping;
      await pumpOnce().catch((error: unknown) =>
        log(
          "warn",
          `Kafka egress: records left in the local log for next time: ${describeError(error)}`,
        ),
      );
      closed = true;
      clearTimeout(retryTimer);
      await producer?.disconnect();
      cursors.close();
    },
  };
}

async function startIngress(
  kafka: InstanceType<typeof Kafka>,
  ingress: KafkaIngressDeclaration,
  options: KafkaConnectorOptions,
  report: { consumed(n: number): void; failed(failure: KafkaIngressFailure): void },
): Promise<Consumer> {
  const routes = new Map(ingress.topics.map((t) => [t.topic, t]));
  const consumer = kafka.consumer({
    groupId: ingress.consumerGroupId ?? `statefun-ts-${ingress.id}`,
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  await consumer.connect();
  // Committed group offsets first (the runtime's own restart), else the module's reset position.
  const fromBeginning =
    ingress.startupPosition === "earliest" ||
    (ingress.startupPosition !== "latest" && ingress.autoOffsetResetPosition === "earliest");
  await consumer.subscribe({ topics: [...routes.keys()], fromBeginning });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }) => {
      const route = routes.get(batch.topic);
      if (!route) return;
      // Every record up to the first bad one, queued in one group commit (one fsync).
      const good: Array<{ offset: string; id: string; value: Buffer }> = [];
      let bad: KafkaIngressFailure | undefined;
      for (const message of batch.messages) {
        const problem = problemOf(message.key, message.value, route.valueType, options.validators);
        if (problem !== undefined) {
          const group = ingress.consumerGroupId ?? `statefun-ts-${ingress.id}`;
          bad = {
            ingress: ingress.id,
            topic: batch.topic,
            partition: batch.partition,
            offset: message.offset,
            message: `Kafka ingress ${ingress.id}: the record at topic ${batch.topic} partition ${batch.partition} offset ${message.offset} cannot be routed to ${route.targets.map((t) => `${t.namespace}/${t.type}`).join(", ")}: ${problem}. Records need a UTF-8 key (the function id) and a value of type ${route.valueType}. Nothing after it in this partition is consumed: fix the producer, then move the consumer group ${group} past offset ${message.offset} (kafka-consumer-groups --reset-offsets --shift-by 1) and restart the runtime.`,
          };
          break;
        }
        good.push({
          offset: message.offset,
          id: utf8.decode(message.key ?? new Uint8Array()),
          value: message.value ?? Buffer.alloc(0),
        });
      }
      if (!isRunning() || isStale()) return;
      const results = await Promise.allSettled(
        good.flatMap((m) =>
          route.targets.map((t) =>
            options.accept(
              { namespace: t.namespace, type: t.type, id: m.id },
              { typename: route.valueType, hasValue: true, value: new Uint8Array(m.value) },
            ),
          ),
        ),
      );
      // Accepted messages form a prefix (the queue bound is checked in order); commit after it.
      let accepted = 0;
      while (
        accepted < good.length &&
        route.targets.every(
          (_, t) => results[accepted * route.targets.length + t]?.status === "fulfilled",
        )
      ) {
        accepted += 1;
      }
      const last = good[accepted - 1];
      if (last) {
        resolveOffset(last.offset);
        await consumer.commitOffsets([
          {
            topic: batch.topic,
            partition: batch.partition,
            offset: String(BigInt(last.offset) + 1n),
          },
        ]);
        report.consumed(accepted);
      }
      const refused = good[accepted];
      if (refused) {
        // backpressure (or a store error): read it again in a second, nothing after it is committed
        const reason = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
        options.log(
          "warn",
          `Kafka ingress ${ingress.id}: topic ${batch.topic} partition ${batch.partition} waits at offset ${refused.offset}: ${describeError(reason.reason)}`,
        );
        consumer.seek({ topic: batch.topic, partition: batch.partition, offset: refused.offset });
        await new Promise((r) => setTimeout(r, 1_000));
      } else if (bad) {
        report.failed(bad);
        pause();
      }
      await heartbeat();
    },
  });
  return consumer;
}

function problemOf(
  key: Buffer | null,
  value: Buffer | null,
  valueType: string,
  validators: ReadonlyMap<string, IngressValidator>,
): string | undefined {
  if (key === null) return "it has no key";
  if (key.length === 0) return "its key is empty";
  try {
    utf8.decode(key);
  } catch {
    return "its key is not valid UTF-8";
  }
  if (value === null) return "it has no value (a tombstone)";
  const validate = validators.get(valueType);
  if (validate) {
    try {
      validate(new Uint8Array(value));
    } catch (error) {
      return `its value is not a valid ${valueType}: ${describeError(error)}`;
    }
  }
  return undefined;
}

/** Per-topic cursors of the egress connector, in the state file (own table, own connection). */
class EgressCursors {
  private readonly db: Database.Database | undefined;
  private readonly memory = new Map<string, number>();

  constructor(stateFile: string) {
    if (stateFile === ":memory:") return;
    this.db = new Database(stateFile);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.db.pragma("busy_timeout = 5000");
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS kafka_egress_cursor (topic TEXT PRIMARY KEY, next_offset INTEGER NOT NULL)",
    );
  }

  get(topic: string): number {
    if (!this.db) return this.memory.get(topic) ?? 0;
    const row = this.db
      .prepare("SELECT next_offset FROM kafka_egress_cursor WHERE topic = ?")
      .get(topic) as { next_offset: number } | undefined;
    return row?.next_offset ?? 0;
  }

  set(topic: string, next: number): void {
    if (!this.db) {
      this.memory.set(topic, next);
      return;
    }
    this.db
      .prepare(
        "INSERT INTO kafka_egress_cursor (topic, next_offset) VALUES (?, ?) ON CONFLICT (topic) DO UPDATE SET next_offset = excluded.next_offset",
      )
      .run(topic, next);
  }

  close(): void {
    if (this.db?.open) this.db.close();
  }
}
