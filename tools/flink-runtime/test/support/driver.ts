// The small interface the end-to-end scenarios are written against, so that each scenario runs on
// the real Flink StateFun runtime and on the local runtime and must observe the same results.

/** One record an egress received, normalised across runtimes. */
export interface EgressOutput {
  /** The egress id, `<namespace>/<name>`. */
  readonly egress: string;
  /** `kafka`/`kinesis` when the record is a Kafka/Kinesis egress record, else `generic`. */
  readonly kind: "kafka" | "kinesis" | "generic";
  /** The Kafka topic or Kinesis stream (absent for generic records). */
  readonly topic?: string;
  /** The Kafka key or Kinesis partition key (absent when empty or generic). */
  readonly key?: string;
  /** The payload: the record's value bytes (Kafka/Kinesis) or the TypedValue bytes (generic). */
  readonly value: Buffer;
  /** The typename of the TypedValue the function sent to the egress. */
  readonly typename: string;
  /** Wall-clock ms at which the runtime handed the record to the egress. */
  readonly timeMs: number;
}

/** A running runtime (Flink or local) seen through what a test can do with it. */
export interface ScenarioDriver {
  /** `flink` or `local`, for test names. */
  readonly name: string;
  /** Runtime start-up time in ms (launch → ready to accept messages). */
  readonly startupMs: number;
  /** Sends `TypedValue{typename, bytes}` to function `<ns>/<type>`, id `id` (as an ingress does). */
  send(ns: string, type: string, id: string, typename: string, bytes: Uint8Array): Promise<void>;
  /**
   * The records of an egress so far. For a Kafka/Kinesis egress pass the topic/stream: the local
   * runtime files those records by topic.
   */
  records(egress: string, topic?: string): Promise<EgressOutput[]>;
  /** Waits until `records(egress, topic)` holds at least `count` records; returns them. */
  waitForRecords(
    egress: string,
    count: number,
    options?: { topic?: string; timeoutMs?: number },
  ): Promise<EgressOutput[]>;
  /**
   * Crashes the runtime and recovers it from its durable state: Flink fails the job, which
   * restarts from its last checkpoint; the local runtime is closed and reopened on its state file.
   */
  restart(): Promise<void>;
  /** Stops the runtime and removes its temp files. */
  stop(): Promise<void>;
}

/** Polls `check` every 50 ms until it returns a value, or throws after `timeoutMs`. */
export async function pollFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits on `driver.records` until there are `count` records (shared by both drivers). */
export function waitForCount(
  driver: Pick<ScenarioDriver, "records">,
  egress: string,
  count: number,
  options: { topic?: string; timeoutMs?: number } = {},
): Promise<EgressOutput[]> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  let last = 0;
  return pollFor(
    `${count} record(s) in egress ${egress}${options.topic ? ` topic ${options.topic}` : ""}`,
    async () => {
      const records = await driver.records(egress, options.topic);
      last = records.length;
      return records.length >= count ? records : undefined;
    },
    timeoutMs,
  ).catch((error: unknown) => {
    throw new Error(`${(error as Error).message}; last count ${last}`);
  });
}
