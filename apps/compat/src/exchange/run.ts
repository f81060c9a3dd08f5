import { CANCEL_DELAY_MS, DUMP_TYPENAME, KAFKA_EGRESS } from "../relay.js";
import { type ExchangeRoute, hopAddress, kindTypename } from "./route.js";

/** One egress record as a runtime reports it. */
export interface ExchangeRecord {
  /** The Kafka key (absent for generic records). */
  readonly key?: string | null | undefined;
  /** The Kafka record's value, or the generic record's TypedValue value. */
  readonly value: Uint8Array;
  /** The TypedValue's typename. */
  readonly typename: string;
}

/**
 * What the exchange needs from a runtime (the local runtime, the real Flink StateFun runtime, …):
 * an ingress and a non-consuming egress reader.
 */
export interface ExchangeRuntime {
  /** Sends `TypedValue{typename, bytes}` to `<functionType>`, id `id`, with no caller. */
  send(functionType: string, id: string, typename: string, bytes: Uint8Array): Promise<void>;
  /**
   * Every record of an egress so far, in egress order: for the Kafka egress `compat/kafka`, only
   * those of Kafka topic `topic`. An egress or topic without records yet gives [].
   */
  records(egress: string, topic?: string): Promise<readonly ExchangeRecord[]>;
}

/** Everything the runtime produced for the routes, collected by `runExchange`. */
export interface ExchangeObservation {
  /** Kafka records (topic = the kind) by route key. */
  readonly delivered: ReadonlyMap<string, readonly ExchangeRecord[]>;
  /** The generic egress `compat/egress`, all records. */
  readonly generic: readonly ExchangeRecord[];
  /** Dumped states by address (`<functionType> <id>`), then by state name (encoded by that hop). */
  readonly states: ReadonlyMap<string, ReadonlyMap<string, Uint8Array>>;
  /** ms from the first send until every route reached the egress. */
  readonly deliveredMs: number;
  /** ms the dump phases took, in all and per hop index. */
  readonly dumpedMs: number;
  readonly dumpPhaseMs: readonly number[];
}

/** Thrown when routes do not reach the egress, or hops do not dump, in time; names some of them. */
export class ExchangeTimeoutError extends Error {
  constructor(what: string, missing: readonly string[], total: number, timeoutMs: number) {
    super(
      `${missing.length} of ${total} ${what} within ${timeoutMs} ms, e.g. ${missing.slice(0, 5).join(", ")}. Check that every relay endpoint is up and routed in module.yaml, and the runtime's log.`,
    );
    this.name = "ExchangeTimeoutError";
  }
}

/** The key in `ExchangeObservation.states`. */
export function addressKey(functionType: string, id: string): string {
  return `${functionType} ${id}`;
}

/** The generic egress and the Kafka egress of the contract. */
export const GENERIC_EGRESS_ID = "compat/egress";
export const KAFKA_EGRESS_ID = KAFKA_EGRESS.toString();

export interface ExchangeOptions {
  /** Messages in flight at once through the ingress (default 16). */
  readonly concurrency?: number;
  /** Budget for all routes to reach the egress, and for each dump phase (default 120 s). */
  readonly timeoutMs?: number;
  /** Extra wait past the cancelled messages' due time before counting (default 1 s). */
  readonly settleMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function inParallel<T>(items: readonly T[], width: number, f: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(width, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await f(item);
    }),
  );
}

async function until(
  done: () => Promise<readonly string[]>,
  what: string,
  total: number,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const missing = await done();
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new ExchangeTimeoutError(what, missing, total, timeoutMs);
    await sleep(100);
  }
}

/**
 * Runs `routes` through a runtime: sends every first hop (concurrently), waits until each route's
 * Kafka record arrived, waits past the cancelled messages' due time, then asks every hop of every
 * route to dump its states (`compat/dump`, one phase per hop index: the dump key is the route key,
 * the same at every hop) and collects the dumped records. Checks nothing: see `checkRoute`.
 */
export async function runExchange(
  runtime: ExchangeRuntime,
  routes: readonly ExchangeRoute[],
  options: ExchangeOptions = {},
): Promise<ExchangeObservation> {
  const concurrency = options.concurrency ?? 16;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const keys = new Set<string>();
  for (const r of routes) {
    if (keys.has(r.key)) throw new Error(`two routes share the key ${r.key}: keys must be unique`);
    keys.add(r.key);
  }
  const kinds = [...new Set(routes.map((r) => r.kind))];
  const started = Date.now();
  await inParallel(routes, concurrency, async (r) => {
    const { functionType, id } = hopAddress(r, 0);
    await runtime.send(functionType, id, kindTypename(r.kind), r.bytes);
  });

  const delivered = new Map<string, ExchangeRecord[]>();
  const collect = async () => {
    delivered.clear();
    for (const kind of kinds) {
      for (const record of await runtime.records(KAFKA_EGRESS_ID, kind)) {
        const key = record.key ?? "";
        delivered.set(key, [...(delivered.get(key) ?? []), record]);
      }
    }
  };
  await until(
    async () => {
      await collect();
      return routes.filter((r) => !delivered.has(r.key)).map((r) => r.key);
    },
    "routes reached no egress",
    routes.length,
    timeoutMs,
  );
  const deliveredMs = Date.now() - started;
  // a cancelled or duplicated message would show up by now: the cancelled copies were due
  // CANCEL_DELAY_MS after being scheduled, which was before their route was delivered
  await sleep(CANCEL_DELAY_MS + (options.settleMs ?? 1_000));
  await collect();
  const generic = await runtime.records(GENERIC_EGRESS_ID);

  const dumpStarted = Date.now();
  const states = new Map<string, Map<string, Uint8Array>>();
  const dumpPhaseMs: number[] = [];
  const depth = Math.max(0, ...routes.map((r) => r.hops.length));
  for (let hop = 0; hop < depth; hop++) {
    const phase = routes.filter((r) => r.hops.length > hop);
    const phaseStarted = Date.now();
    const baseline = (await runtime.records(KAFKA_EGRESS_ID, "dump")).length;
    await inParallel(phase, concurrency, async (r) => {
      const { functionType, id } = hopAddress(r, hop);
      await runtime.send(functionType, id, DUMP_TYPENAME, new Uint8Array(0));
    });
    let dumped = new Map<string, Map<string, Uint8Array>>();
    await until(
      async () => {
        dumped = new Map();
        for (const record of (await runtime.records(KAFKA_EGRESS_ID, "dump")).slice(baseline)) {
          const key = record.key ?? "";
          const colon = key.lastIndexOf(":");
          const routeKey = key.slice(0, colon);
          const states = dumped.get(routeKey) ?? new Map<string, Uint8Array>();
          states.set(key.slice(colon + 1), record.value);
          dumped.set(routeKey, states);
        }
        // every SDK dumps `received` last, in the same reply as the value states
        return phase.filter((r) => !dumped.get(r.key)?.has("received")).map((r) => r.key);
      },
      `hop ${hop} addresses dumped nothing`,
      phase.length,
      timeoutMs,
    );
    dumpPhaseMs.push(Date.now() - phaseStarted);
    for (const r of phase) {
      const { functionType, id } = hopAddress(r, hop);
      states.set(addressKey(functionType, id), dumped.get(r.key) ?? new Map());
    }
  }
  return {
    delivered,
    generic,
    states,
    deliveredMs,
    dumpedMs: Date.now() - dumpStarted,
    dumpPhaseMs,
  };
}
