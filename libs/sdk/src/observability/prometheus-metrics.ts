// HandlerOptions.metrics: the handler's batches counted by function type (invocations, batch
// sizes, latency, failed batches, missing-state handshakes) and registered in a prom-client
// Registry. Counted in plain numbers per batch (prom-client's labelled observe hashes its labels
// on every call) and turned into prom-client metric objects only when the registry is scraped, so
// prom-client itself is not needed: the registry is typed structurally.

import type { Address } from "../address.js";
import type { BatchHook, BatchScope } from "../batch-hook.js";
import type { RegisteredFunction } from "../function-registration.js";
import type { MetricsRegistry } from "../handler-options.js";

/** The metric names, all labelled by `function_type`. */
export const SDK_METRICS = {
  /** Counter: invocations received in batches. */
  invocations: "statefun_sdk_invocations_total",
  /** Histogram: invocations per batch. */
  batchSize: "statefun_sdk_batch_size",
  /** Histogram: seconds to run a batch (at most one timed per millisecond). */
  latency: "statefun_sdk_batch_duration_seconds",
  /** Counter: batches that failed. */
  errors: "statefun_sdk_batch_errors_total",
  /** Counter: batches answered with the states the runtime lacked. */
  missingStates: "statefun_sdk_missing_state_handshakes_total",
} as const;

const SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const LATENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30];

/** What one function type did, in plain numbers. */
class TypeStats {
  invocations = 0;
  errors = 0;
  missingStates = 0;
  readonly size = new HistogramData(SIZE_BUCKETS.length);
  readonly latency = new HistogramData(LATENCY_BUCKETS.length);
  constructor(readonly functionType: string) {}
}

/** Non-cumulative bucket counts (the last one is +Inf), sum and count. */
class HistogramData {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(buckets: number) {
    this.counts = new Array<number>(buckets + 1).fill(0);
  }
  observe(bounds: readonly number[], value: number): void {
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]! += 1;
    this.sum += value;
    this.count += 1;
  }
}

/** The counts of every handler sharing a registry. */
class MetricsStore {
  readonly types = new Map<string, TypeStats>();
  stats(functionType: string): TypeStats {
    let found = this.types.get(functionType);
    if (found === undefined) {
      found = new TypeStats(functionType);
      this.types.set(functionType, found);
    }
    return found;
  }
  reset(): void {
    this.types.clear();
  }
}

interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

/** A metric as prom-client's Registry reads it (`get()`, `reset()`, `name`, `help`, `type`). */
class StoreMetric {
  readonly aggregator = "sum";
  constructor(
    readonly store: MetricsStore,
    public name: string,
    readonly help: string,
    readonly type: "counter" | "histogram",
    private readonly values: (store: MetricsStore, name: string) => MetricValue[],
  ) {}
  get() {
    return {
      name: this.name,
      help: this.help,
      type: this.type,
      aggregator: this.aggregator,
      values: this.values(this.store, this.name),
    };
  }
  reset(): void {
    this.store.reset();
  }
}

function counterValues(read: (stats: TypeStats) => number) {
  return (store: MetricsStore): MetricValue[] =>
    [...store.types.values()].map((s) => ({
      value: read(s),
      labels: { function_type: s.functionType },
    }));
}

function histogramValues(bounds: readonly number[], read: (stats: TypeStats) => HistogramData) {
  return (store: MetricsStore, name: string): MetricValue[] => {
    const values: MetricValue[] = [];
    for (const stats of store.types.values()) {
      const data = read(stats);
      const function_type = stats.functionType;
      let cumulative = 0;
      for (let i = 0; i <= bounds.length; i++) {
        cumulative += data.counts[i]!;
        values.push({
          value: cumulative,
          labels: { le: i < bounds.length ? bounds[i]! : "+Inf", function_type },
          metricName: `${name}_bucket`,
        });
      }
      values.push({ value: data.sum, labels: { function_type }, metricName: `${name}_sum` });
      values.push({ value: data.count, labels: { function_type }, metricName: `${name}_count` });
    }
    return values;
  };
}

/** The store behind the SDK metrics of `registry`, registering them on first use. */
function storeOf(registry: MetricsRegistry): MetricsStore {
  const existing = registry.getSingleMetric(SDK_METRICS.invocations);
  if (existing instanceof StoreMetric) return existing.store;
  const store = new MetricsStore();
  const metrics = [
    new StoreMetric(
      store,
      SDK_METRICS.invocations,
      "Invocations received in batches (failed batches included)",
      "counter",
      counterValues((s) => s.invocations),
    ),
    new StoreMetric(
      store,
      SDK_METRICS.batchSize,
      "Invocations per batch",
      "histogram",
      histogramValues(SIZE_BUCKETS, (s) => s.size),
    ),
    new StoreMetric(
      store,
      SDK_METRICS.latency,
      "Time to run a batch, from decoded request to encoded reply (at most one batch per millisecond is timed; the batch size histogram counts every batch)",
      "histogram",
      histogramValues(LATENCY_BUCKETS, (s) => s.latency),
    ),
    new StoreMetric(
      store,
      SDK_METRICS.errors,
      "Batches that failed (answered 500)",
      "counter",
      counterValues((s) => s.errors),
    ),
    new StoreMetric(
      store,
      SDK_METRICS.missingStates,
      "Batches answered with the states the runtime lacked (it registers them and retries)",
      "counter",
      counterValues((s) => s.missingStates),
    ),
  ];
  for (const metric of metrics) registry.registerMetric(metric);
  return store;
}

/**
 * A clock in seconds for batch latency: process.hrtime (about a third of performance.now's cost
 * on Node 20, where performance.now takes ~100 ns), or performance.now where there is no process.
 */
const hrtime = globalThis.process?.hrtime;
const seconds: () => number =
  typeof hrtime === "function"
    ? () => {
        const [s, ns] = hrtime();
        return s + ns / 1e9;
      }
    : () => performance.now() / 1000;

/**
 * Which batches are timed. Two clock reads cost ~150 ns on Node 20, 7% of a 2 µs batch, so at
 * most one batch per millisecond is timed: every batch while they are rarer than that, the first
 * of each millisecond beyond. A timer reopens the gate only after a timed batch, so an idle
 * handler keeps no timer.
 */
class LatencyGate {
  private open = true;
  private readonly reopen = (): void => {
    this.open = true;
  };
  /** True when this batch is to be timed. */
  take(): boolean {
    if (!this.open) return false;
    this.open = false;
    const timer: { unref?: () => void } | number = setTimeout(this.reopen, 1);
    if (typeof timer === "object") timer.unref?.();
    return true;
  }
}

/** An untimed batch of one function: only its failure is left to count. */
class CountingScope implements BatchScope {
  constructor(
    readonly fn: RegisteredFunction,
    readonly stats: TypeStats,
  ) {}
  end(error: unknown): void {
    if (error !== undefined) this.stats.errors += 1;
  }
}

/** A timed batch. */
class TimedScope implements BatchScope {
  private readonly start = seconds();
  constructor(
    readonly fn: RegisteredFunction,
    private readonly stats: TypeStats,
  ) {}
  end(error: unknown): void {
    this.stats.latency.observe(LATENCY_BUCKETS, seconds() - this.start);
    if (error !== undefined) this.stats.errors += 1;
  }
}

/** The batch hook that records the SDK metrics in `registry`. */
export function prometheusHook(registry: MetricsRegistry): BatchHook {
  const store = storeOf(registry);
  const gate = new LatencyGate();
  // Per registered function, its stats and its untimed scope, found once.
  const byFunction = new Map<RegisteredFunction, CountingScope>();
  const untimed = (fn: RegisteredFunction): CountingScope => {
    let found = byFunction.get(fn);
    if (found === undefined) {
      found = new CountingScope(fn, store.stats(fn.functionType.toString()));
      byFunction.set(fn, found);
    }
    return found;
  };
  return {
    begin(fn: RegisteredFunction, _self: Address, size: number): BatchScope {
      const scope = untimed(fn);
      const stats = scope.stats;
      stats.size.observe(SIZE_BUCKETS, size);
      stats.invocations += size;
      return gate.take() ? new TimedScope(fn, stats) : scope;
    },
    missingStates(fn) {
      untimed(fn).stats.missingStates += 1;
    },
  };
}
