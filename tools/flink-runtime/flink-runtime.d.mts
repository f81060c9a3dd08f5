// Types of flink-runtime.mjs, for TypeScript tests (see README.md).

export interface FlinkRuntimeOptions {
  /** Path of a StateFun 3.x module.yaml (kind io.statefun.endpoints.v2/http, ...). */
  moduleYaml: string;
  /** Egress ids ("ns/name") to record; Kafka/Kinesis egresses of module.yaml are recorded too. */
  egresses?: string[];
  /** Port of the control API on 127.0.0.1 (default 0: any free port). */
  controlPort?: number;
  /** Flink parallelism and task slots (default 1). */
  parallelism?: number;
  /** Checkpoint interval, e.g. "1s" (default) or "200ms". */
  checkpointInterval?: string;
  /**
   * A Kafka bootstrap address ("127.0.0.1:9092"): the Kafka ingresses and egresses declared in
   * module.yaml then use this broker for real instead of being replaced (see README.md).
   */
  kafka?: string;
  /** Extra Flink configuration entries. */
  conf?: Record<string, string>;
  /** Launch → ready budget, build excluded (default 120000). */
  startupTimeoutMs?: number;
  /** Budget of a needed Maven build (default 600000). */
  buildTimeoutMs?: number;
  /** Where to copy the runtime's log (its stderr); by default kept in memory, see logs(). */
  log?: NodeJS.WritableStream;
}

export interface EgressRecord {
  /** Position in that egress (0-based). */
  index: number;
  egress: string;
  /** The TypedValue typename. */
  typename: string;
  /** The TypedValue value bytes. */
  value: Buffer;
  timeMs: number;
  /** Decoded when typename is type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord. */
  kafka?: { topic: string; key: string; value: Buffer };
  /** Decoded when typename is type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord. */
  kinesis?: { stream: string; partitionKey: string; explicitHashKey: string; value: Buffer };
}

export interface FlinkRuntimeHealth {
  status: "RUNNING" | "STARTING" | "RESTARTING";
  sourceStarts: number;
  accepted: number;
  delivered: number;
  restoredOffset: number;
  completedCheckpoints: number;
  lastCheckpointId: number;
  lastCheckpointOffset: number;
  /** Wall-clock ms at which the last completed checkpoint was taken at the source. */
  lastCheckpointTakenMs: number;
  startupMs: number;
  /** The last Kafka ingress record that could not be routed (topic, partition, offset, why), or null. */
  lastIngressError: string | null;
}

export interface FlinkRuntime {
  /** e.g. "http://127.0.0.1:41234" */
  controlUrl: string;
  /** JVM launch → job running and ready. */
  startupMs: number;
  pid: number;
  /** Sends TypedValue{typename, bytes} to function ns/type, id; resolves with its ingress offset. */
  send(
    ns: string,
    type: string,
    id: string,
    typename: string,
    bytes: Uint8Array | string,
  ): Promise<number>;
  /** All records of an egress so far (from index `from` on). */
  egress(id: string, from?: number): Promise<EgressRecord[]>;
  /** Waits until the egress holds at least `count` records; resolves with all of them. */
  waitForEgress(id: string, count: number, timeoutMs?: number): Promise<EgressRecord[]>;
  health(): Promise<FlinkRuntimeHealth>;
  /**
   * Waits for a checkpoint taken after this call that covers every message accepted so far (call it
   * once their effects are visible; a later restart then replays nothing before it).
   */
  waitForCheckpoint(timeoutMs?: number): Promise<void>;
  /** Injects a task failure; resolves once the job restarted from its last checkpoint. */
  fail(timeoutMs?: number): Promise<void>;
  waitForRunning(timeoutMs?: number): Promise<void>;
  /** The runtime's recent log lines. */
  logs(): string;
  stop(): Promise<void>;
}

/** Builds tools/flink-runtime when needed (a no-op when up to date). */
export function buildFlinkRuntime(timeoutMs?: number): Promise<void>;

/** Builds if needed, launches the JVM, waits until the job runs, returns a handle. */
export function startFlinkRuntime(options: FlinkRuntimeOptions): Promise<FlinkRuntime>;
