// Prometheus metrics of the local runtime (prom-client), served at `GET /metrics` on the egress
// port: a RuntimeObserver counting what the core does, plus gauges read at scrape time. Each
// runtime has its own Registry (no global state); nothing is computed between scrapes beyond
// counter increments and histogram observations.
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { findEndpoint, type ModuleConfig } from "./module-yaml.js";
import type { RuntimeStats } from "./runtime-core.js";
import type { DeadLetterEvent, RuntimeObserver } from "./runtime-observer.js";
import type {
  AddressKey,
  QueuedMessage,
  ReplyEffects,
  StoredEgressRecord,
} from "./store/store-types.js";

/** What the scrape-time gauges read. */
export interface MetricsSource {
  /** Messages queued and delayed messages pending. */
  stats(): RuntimeStats;
}

function functionType(address: AddressKey): string {
  return `${address.namespace}/${address.type}`;
}

/** The runtime's metrics: a prom-client Registry and the observer that feeds it. */
export class RuntimeMetrics {
  /** The registry served at `GET /metrics`. */
  readonly registry = new Registry();
  readonly #module: ModuleConfig;
  readonly #started = new Map<string, number>();
  readonly #applying = new Map<string, number>();
  readonly #inFlight: Gauge<"endpoint">;
  readonly #batchSize: Histogram<"function_type">;
  readonly #latency: Histogram<"function_type" | "outcome">;
  readonly #retries: Counter<"function_type">;
  readonly #deadLetters: Counter<"function_type">;
  readonly #egress: Counter<"topic" | "kind">;
  readonly #commit: Histogram;

  constructor(module: ModuleConfig, source: MetricsSource) {
    this.#module = module;
    const registers = [this.registry];
    new Gauge({
      name: "statefun_queue_depth",
      help: "Messages queued for delivery",
      registers,
      collect() {
        this.set(source.stats().queued);
      },
    });
    new Gauge({
      name: "statefun_delayed_pending",
      help: "Delayed messages not yet due",
      registers,
      collect() {
        this.set(source.stats().delayed);
      },
    });
    this.#inFlight = new Gauge({
      name: "statefun_in_flight_batches",
      help: "Batches sent to a function endpoint and not answered yet",
      labelNames: ["endpoint"],
      registers,
    });
    this.#batchSize = new Histogram({
      name: "statefun_batch_size",
      help: "Invocations per batch sent to a function",
      labelNames: ["function_type"],
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    });
    this.#latency = new Histogram({
      name: "statefun_invocation_latency_seconds",
      help: "Time from sending a batch to applying (or failing) its reply, by function type",
      labelNames: ["function_type", "outcome"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#retries = new Counter({
      name: "statefun_retries_total",
      help: "Failed calls and rejected replies (the batch is retried, or set aside as dead letters)",
      labelNames: ["function_type"],
      registers,
    });
    this.#deadLetters = new Counter({
      name: "statefun_dead_letters_total",
      help: "Messages set aside as dead letters",
      labelNames: ["function_type"],
      registers,
    });
    this.#egress = new Counter({
      name: "statefun_egress_records_total",
      help: "Egress records written, by topic",
      labelNames: ["topic", "kind"],
      registers,
    });
    this.#commit = new Histogram({
      name: "statefun_commit_seconds",
      help: "Time to apply a reply's effects in one SQLite transaction",
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    });
  }

  #endpoint(address: AddressKey): string {
    return findEndpoint(this.#module, address.namespace, address.type)?.urlPathTemplate ?? "none";
  }

  #key(address: AddressKey): string {
    return `${address.namespace}/${address.type}/${address.id}`;
  }

  #finish(address: AddressKey, outcome: "ok" | "failed"): void {
    const key = this.#key(address);
    const started = this.#started.get(key);
    if (started === undefined) return;
    this.#started.delete(key);
    this.#inFlight.dec({ endpoint: this.#endpoint(address) });
    this.#latency.observe(
      { function_type: functionType(address), outcome },
      (performance.now() - started) / 1000,
    );
  }

  /** The observer to give RuntimeCore. */
  readonly observer: RuntimeObserver = {
    callStarted: (address: AddressKey, batch: readonly QueuedMessage[]) => {
      this.#started.set(this.#key(address), performance.now());
      this.#inFlight.inc({ endpoint: this.#endpoint(address) });
      this.#batchSize.observe({ function_type: functionType(address) }, batch.length);
    },
    replyApplying: (effects: ReplyEffects) => {
      this.#applying.set(this.#key(effects.self), performance.now());
    },
    replyApplied: (effects: ReplyEffects, egress: readonly StoredEgressRecord[]) => {
      const key = this.#key(effects.self);
      const applying = this.#applying.get(key);
      if (applying !== undefined) {
        this.#applying.delete(key);
        this.#commit.observe((performance.now() - applying) / 1000);
      }
      // One increment per topic and kind, not per record (a label lookup costs ~1 µs each).
      let start = 0;
      while (start < egress.length) {
        const { topic, kind } = egress[start] as StoredEgressRecord;
        let end = start + 1;
        while (end < egress.length) {
          const next = egress[end] as StoredEgressRecord;
          if (next.topic !== topic || next.kind !== kind) break;
          end += 1;
        }
        this.#egress.inc({ topic, kind }, end - start);
        start = end;
      }
      this.#finish(effects.self, "ok");
    },
    callFailed: (address: AddressKey) => {
      this.#applying.delete(this.#key(address));
      this.#retries.inc({ function_type: functionType(address) });
      this.#finish(address, "failed");
    },
    deadLettered: (letters: readonly DeadLetterEvent[]) => {
      for (const letter of letters) {
        this.#deadLetters.inc({ function_type: functionType(letter.target) });
      }
    },
  };
}

/** Calls every observer's hooks in turn (the inspector's and the metrics'). */
export function combineObservers(...observers: (RuntimeObserver | undefined)[]): RuntimeObserver {
  const present = observers.filter((o): o is RuntimeObserver => o !== undefined);
  return {
    callStarted: (address, batch) => {
      for (const o of present) o.callStarted?.(address, batch);
    },
    replyApplying: (effects) => {
      for (const o of present) o.replyApplying?.(effects);
    },
    replyApplied: (effects, egress) => {
      for (const o of present) o.replyApplied?.(effects, egress);
    },
    callFailed: (address, error) => {
      for (const o of present) o.callFailed?.(address, error);
    },
    deadLettered: (letters) => {
      for (const o of present) o.deadLettered?.(letters);
    },
  };
}
