// The inspector's memory of what the runtime did: a RuntimeObserver that keeps the recent
// invocations, the cancelled delayed messages and per-function call statistics, all bounded.
import type {
  AddressJson,
  ChangedEvent,
  DecodedValue,
  DelayedJson,
  EgressRecordJson,
  HealthJson,
  InvocationJson,
} from "@statefun-ts/inspector/api-types";
import type {
  AddressKey,
  QueuedMessage,
  ReplyEffects,
  StoredEgressRecord,
  StoredValue,
} from "../durable-store.js";
import { recordJson } from "../egress-server.js";
import { describeError } from "../errors.js";
import type { DeadLetterEvent, RuntimeObserver } from "../runtime-observer.js";
import { RingBuffer } from "./ring-buffer.js";
import type { DelayedRow, StoreReader } from "./store-reader.js";
import {
  type DecodeLimits,
  type DecoderTypes,
  decodeValue,
  PREVIEW_LIMITS,
} from "./value-decoder.js";

/** How many items each list of a recorded invocation keeps. */
export const LIST_LIMIT = 10;
/** The window of calls per second, in seconds. */
export const RATE_WINDOW_SECONDS = 10;

/** Sizes of the recorder's ring buffers. */
export interface RecorderBounds {
  /** Recent invocations kept (default 500). */
  readonly invocations: number;
  /** Recently cancelled delayed messages kept (default 200). */
  readonly cancelled: number;
}

/** Per-function-type statistics. */
export interface FunctionStats {
  readonly health: HealthJson;
  readonly calls: number;
  readonly inFlight: number;
  readonly callsPerSecond: number;
  readonly lastLatencyMs: number | null;
}

/** What the recorder tells its listeners (the server-sent event stream). */
export type RecorderEvent =
  | { readonly kind: "invocation"; readonly entry: InvocationJson }
  | { readonly kind: "changed"; readonly changed: ChangedEvent };

interface Started {
  readonly at: number;
  /** The first messages of the batch (what an entry shows). */
  readonly batch: readonly QueuedMessage[];
  readonly size: number;
}

/** What the recorder reads from the runtime. */
export interface RecorderContext {
  readonly reader: StoreReader;
  readonly types: DecoderTypes;
  readonly now: () => number;
  /** The registered typename of a state of an address (`""` when not registered). */
  readonly stateTypename: (address: AddressKey, name: string) => string;
}

class TypeStats {
  calls = 0;
  inFlight = 0;
  lastLatencyMs: number | null = null;
  status: HealthJson["status"] = "unknown";
  at: number | null = null;
  reason: string | null = null;
  consecutiveFailures = 0;
  // Calls per second: one bucket per second of the window.
  private readonly buckets = new Array<number>(RATE_WINDOW_SECONDS).fill(0);
  private readonly bucketSecond = new Array<number>(RATE_WINDOW_SECONDS).fill(-1);

  count(now: number): void {
    const second = Math.floor(now / 1000);
    const slot = second % RATE_WINDOW_SECONDS;
    if (this.bucketSecond[slot] !== second) {
      this.bucketSecond[slot] = second;
      this.buckets[slot] = 0;
    }
    this.buckets[slot] = (this.buckets[slot] ?? 0) + 1;
  }

  rate(now: number): number {
    const second = Math.floor(now / 1000);
    let total = 0;
    for (let i = 0; i < RATE_WINDOW_SECONDS; i += 1) {
      const at = this.bucketSecond[i] ?? -1;
      if (at > second - RATE_WINDOW_SECONDS && at <= second) total += this.buckets[i] ?? 0;
    }
    return total / RATE_WINDOW_SECONDS;
  }
}

function addressJson(address: AddressKey): AddressJson {
  return { namespace: address.namespace, type: address.type, id: address.id };
}

function addressText(address: AddressKey): string {
  return `${address.namespace}/${address.type}/${address.id}`;
}

/**
 * Records the runtime's activity for the inspector. Everything it keeps is bounded: ring buffers
 * of invocations and cancellations, one statistics record per function type, and values decoded
 * into short previews at record time (no reference to the original bytes is kept).
 */
export class ActivityRecorder implements RuntimeObserver {
  readonly invocations: RingBuffer<InvocationJson>;
  readonly cancelled: RingBuffer<DelayedJson>;
  private readonly started = new Map<string, Started>();
  private readonly stats = new Map<string, TypeStats>();
  private readonly cancelling = new Map<string, DelayedRow[]>();
  private readonly listeners = new Set<(event: RecorderEvent) => void>();
  private seq = 0;

  private readonly reader: StoreReader;
  private readonly types: DecoderTypes;
  private readonly now: () => number;

  constructor(
    private readonly context: RecorderContext,
    readonly bounds: RecorderBounds = { invocations: 500, cancelled: 200 },
  ) {
    this.reader = context.reader;
    this.types = context.types;
    this.now = context.now;
    this.invocations = new RingBuffer(bounds.invocations);
    this.cancelled = new RingBuffer(bounds.cancelled);
  }

  /** Subscribes to invocations and changes; returns the unsubscribe function. */
  subscribe(listener: (event: RecorderEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The statistics of a function type (`namespace/type`), if it was called. */
  statsOf(functionType: string): FunctionStats | undefined {
    const stats = this.stats.get(functionType);
    if (!stats) return undefined;
    return {
      health: {
        status: stats.status,
        at: stats.at,
        reason: stats.reason,
        consecutiveFailures: stats.consecutiveFailures,
      },
      calls: stats.calls,
      inFlight: stats.inFlight,
      callsPerSecond: stats.rate(this.now()),
      lastLatencyMs: stats.lastLatencyMs,
    };
  }

  /** The function types called since the start. */
  calledTypes(): string[] {
    return [...this.stats.keys()];
  }

  /** Tells listeners that something outside deliveries changed (a message sent, a dead letter). */
  changed(changed: ChangedEvent): void {
    this.emit({ kind: "changed", changed });
  }

  callStarted(address: AddressKey, batch: readonly QueuedMessage[]): void {
    const key = addressText(address);
    this.started.set(key, {
      at: this.now(),
      batch: batch.slice(0, LIST_LIMIT),
      size: batch.length,
    });
    const stats = this.typeStats(address);
    stats.inFlight += 1;
    this.changed({ topics: ["functions", "addresses"], addresses: [key] });
  }

  replyApplying(effects: ReplyEffects): void {
    const tokens = effects.delayed.flatMap((op) => (op.kind === "cancel" ? [op.token] : []));
    if (tokens.length === 0) return;
    this.cancelling.set(
      addressText(effects.self),
      this.reader.delayedByToken(effects.self, tokens),
    );
  }

  replyApplied(effects: ReplyEffects, egress: readonly StoredEgressRecord[]): void {
    const key = addressText(effects.self);
    const now = this.now();
    const pending = this.cancelling.get(key) ?? [];
    this.cancelling.delete(key);
    const cancellations: Array<{ token: string; cancelled: boolean }> = [];
    for (const op of effects.delayed) {
      if (op.kind !== "cancel") continue;
      const index = pending.findIndex((row) => row.token === op.token);
      const row = index >= 0 ? pending.splice(index, 1)[0] : undefined;
      cancellations.push({ token: op.token, cancelled: row !== undefined });
      if (row) this.cancelled.push(this.delayedJson(row, "cancelled", now));
    }
    const preview = (value: StoredValue) => this.decode(value);
    let omitted = 0;
    const clip = <T>(list: readonly T[]): readonly T[] => {
      omitted += Math.max(0, list.length - LIST_LIMIT);
      return list.slice(0, LIST_LIMIT);
    };
    this.finish(effects.self, now, "ok", null, {
      mutations: clip(effects.stateChanges).map((change) => ({
        name: change.name,
        kind: change.kind,
        value:
          change.kind === "set"
            ? decodeValue(
                this.context.stateTypename(effects.self, change.name),
                change.value,
                this.types,
                PREVIEW_LIMITS,
              )
            : null,
      })),
      sends: clip(effects.outgoing).map((message) => ({
        target: addressJson(message.target),
        argument: preview(message.argument),
      })),
      delayed: clip(effects.delayed.flatMap((op) => (op.kind === "add" ? [op] : []))).map((op) => ({
        target: addressJson(op.target),
        dueAt: op.dueAt,
        token: op.token ?? null,
        argument: preview(op.argument),
      })),
      cancellations: clip(cancellations),
      egress: clip(egress).map((record) => this.egressJson(record)),
      omitted,
    });
    const topics: ChangedEvent["topics"][number][] = ["functions", "addresses"];
    if (effects.delayed.length > 0) topics.push("delayed");
    if (egress.length > 0) topics.push("egress");
    this.changed({
      topics,
      addresses: [key, ...effects.outgoing.slice(0, LIST_LIMIT).map((m) => addressText(m.target))],
    });
  }

  callFailed(address: AddressKey, error: unknown): void {
    const key = addressText(address);
    this.cancelling.delete(key);
    this.finish(address, this.now(), "failed", describeError(error), {
      mutations: [],
      sends: [],
      delayed: [],
      cancellations: [],
      egress: [],
      omitted: 0,
    });
    this.changed({ topics: ["functions", "addresses"], addresses: [key] });
  }

  deadLettered(letters: readonly DeadLetterEvent[]): void {
    this.changed({
      topics: ["dead-letters", "functions", "addresses"],
      addresses: [...new Set(letters.map((l) => addressText(l.target)))],
    });
  }

  /** A pending delayed message's JSON form. */
  delayedJson(
    row: DelayedRow,
    status: DelayedJson["status"],
    cancelledAt: number | null,
  ): DelayedJson {
    return {
      seq: row.seq,
      dueAt: row.dueAt,
      sender: addressJson(row.sender),
      target: addressJson(row.target),
      token: row.token,
      argument: this.decode(row.argument),
      status,
      cancelledAt,
    };
  }

  /** An egress record in the egress API's JSON form plus its decoded value. */
  egressJson(record: StoredEgressRecord, limits: DecodeLimits = PREVIEW_LIMITS): EgressRecordJson {
    const json = recordJson(record) as Omit<EgressRecordJson, "topic" | "decoded">;
    return {
      ...json,
      topic: record.topic,
      // Kafka and Kinesis records carry raw value bytes: shown as text, JSON or hex.
      decoded: decodeValue(
        record.kind === "generic" ? record.typename : "",
        record.value,
        this.types,
        limits,
      ),
    };
  }

  private decode(value: StoredValue, limits: DecodeLimits = PREVIEW_LIMITS): DecodedValue {
    return decodeValue(value.typename, value.value, this.types, limits);
  }

  private finish(
    address: AddressKey,
    now: number,
    outcome: InvocationJson["outcome"],
    error: string | null,
    effects: Pick<
      InvocationJson,
      "mutations" | "sends" | "delayed" | "cancellations" | "egress" | "omitted"
    >,
  ): InvocationJson {
    const key = addressText(address);
    const started = this.started.get(key);
    const batchSize = started?.size ?? 0;
    this.started.delete(key);
    const stats = this.typeStats(address);
    stats.inFlight = Math.max(0, stats.inFlight - 1);
    stats.calls += 1;
    stats.count(now);
    const latency = started ? now - started.at : 0;
    stats.lastLatencyMs = latency;
    stats.at = now;
    if (outcome === "ok") {
      stats.status = "ok";
      stats.reason = null;
      stats.consecutiveFailures = 0;
    } else {
      stats.status = "failed";
      stats.reason = error;
      stats.consecutiveFailures += 1;
    }
    this.seq += 1;
    const entry: InvocationJson = {
      seq: this.seq,
      at: started?.at ?? now,
      address: addressJson(address),
      batchSize,
      latencyMs: latency,
      messages: (started?.batch ?? []).map((message) => ({
        caller: message.caller ? addressJson(message.caller) : null,
        argument: this.decode(message.argument),
      })),
      outcome,
      error,
      ...effects,
      omitted: effects.omitted + Math.max(0, batchSize - LIST_LIMIT),
    };
    this.invocations.push(entry);
    this.emit({ kind: "invocation", entry });
    return entry;
  }

  private typeStats(address: AddressKey): TypeStats {
    const type = `${address.namespace}/${address.type}`;
    let stats = this.stats.get(type);
    if (!stats) {
      stats = new TypeStats();
      this.stats.set(type, stats);
    }
    return stats;
  }

  private emit(event: RecorderEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
