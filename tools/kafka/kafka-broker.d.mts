// Types of kafka-broker.mjs, for TypeScript tests (see README.md).

export interface KafkaOptions {
  /** Topics to create before READY: "name" or "name:partitions". */
  topics?: string[];
  /** Extra broker configuration entries (server.properties keys). */
  conf?: Record<string, string>;
  /** Launch → ready budget, build excluded (default 120000). */
  startupTimeoutMs?: number;
  /** Budget of a needed Maven build (default 600000). */
  buildTimeoutMs?: number;
  /** Where to copy the broker's log (its stderr); by default kept in memory, see logs(). */
  log?: NodeJS.WritableStream;
}

export interface KafkaBroker {
  /** "127.0.0.1:<port>", for bootstrap.servers or kafkajs `brokers`. */
  bootstrap: string;
  /** Launch → READY, build excluded. */
  startupMs: number;
  /** The JVM's pid. */
  pid: number;
  /** The broker's temp data dir (deleted when it stops). */
  dataDir: string;
  /** The broker's recent log lines. */
  logs(): string;
  /** Stops the broker (SIGTERM, then SIGKILL after 15 s). */
  stop(): Promise<void>;
}

/** Builds tools/kafka when needed (a no-op when up to date). */
export function buildKafka(timeoutMs?: number): Promise<void>;

/** Builds if needed, launches the broker, waits for READY, returns a handle. */
export function startKafka(options?: KafkaOptions): Promise<KafkaBroker>;
