// startRuntime: the local runtime with its HTTP doors (ingress, egress + admin) around a
// RuntimeCore, as `statefun-ts dev` runs it.
import { resolve } from "node:path";
import type { RetryPolicy } from "./address-dispatcher.js";
import { browserGuard } from "./browser-guard.js";
import type { Durability, StoredEgressRecord } from "./durable-store.js";
import { createEgressServer, utf8Text } from "./egress-server.js";
import { RuntimeError } from "./errors.js";
import { closeServer, listen } from "./http-util.js";
import type { IngressValidator } from "./ingress-body.js";
import { createIngressServer } from "./ingress-server.js";
import { Inspector } from "./inspector/inspector.js";
import type { JsonSchema } from "./inspector/schema-files.js";
import type { KafkaConnectors, KafkaStatus } from "./kafka-connectors.js";
import { connectKafka } from "./kafka-runtime.js";
import { createLogger, logEnabled, pinoLog, type RuntimeLog } from "./log.js";
import { loadModuleYaml, type ModuleConfig, parseModuleYaml } from "./module-yaml.js";
import { DEFAULT_MAX_BATCH_BYTES, RuntimeCore, type RuntimeStats } from "./runtime-core.js";
import { combineObservers, RuntimeMetrics } from "./runtime-metrics.js";
import type { DeadLetterEvent } from "./runtime-observer.js";
import { tracingObserver } from "./runtime-tracing.js";

/** Options of {@link startRuntime}; each falls back to its environment variable, then a default. */
export interface RuntimeOptions {
  /** Path of the module.yaml. One of `modulePath` and `module` is required. */
  readonly modulePath?: string;
  /** The module: YAML text or an already parsed config. */
  readonly module?: string | ModuleConfig;
  /**
   * SQLite state file (env `STATEFUN_STATE_FILE`, default `.statefun/state.db` under cwd);
   * `":memory:"` keeps the state in memory until `close`.
   */
  readonly stateFile?: string;
  /** Delete the state file before starting (only once its lock is taken). */
  readonly reset?: boolean;
  /**
   * Interface to bind (default 127.0.0.1). When given, requests with any Host header are served;
   * without it only loopback Host names (DNS-rebinding protection).
   */
  readonly host?: string;
  /** Ingress port (env `STATEFUN_INGRESS_PORT`, default 8090; 0 picks a free port). */
  readonly ingressPort?: number;
  /** Egress port (env `STATEFUN_EGRESS_PORT`, default 8091; 0 picks a free port). */
  readonly egressPort?: number;
  /**
   * Where to log (default: pino on stdout at `STATEFUN_LOG_LEVEL` or info; JSON lines, readable
   * lines on a terminal; see `createLogger`).
   */
  readonly log?: RuntimeLog;
  /** Validators of ingress bodies per typename (e.g. from the type registry). */
  readonly validators?: ReadonlyMap<string, IngressValidator>;
  /** Waits between retries of a batch whose call or reply failed. */
  readonly retry?: Partial<RetryPolicy>;
  /** Bound on queued messages; beyond it the ingress answers 503 (default 100,000). */
  readonly maxQueuedMessages?: number;
  /** Byte budget of a batch (default 16 MiB; an endpoint's `maxBatchBytes` wins). */
  readonly maxBatchBytes?: number;
  /** Calls before a message that can never succeed becomes a dead letter (default 3). */
  readonly deadLetterAfter?: number;
  /**
   * Calls in flight per endpoint beyond which deliveries wait for one to end, to batch more; a
   * call over 100 ms old does not count (default 4; 0: never wait). See
   * `RuntimeCoreOptions.callsPerEndpoint`.
   */
  readonly callsPerEndpoint?: number;
  /** Largest size of the state file in bytes (beyond it writes fail: 503, retried). */
  readonly maxStateBytes?: number;
  /** What a 202 survives: `process-crash` (default) or `power-loss` (an fsync per group commit). */
  readonly durability?: Durability;
  /**
   * Port of the inspector page and its API (env `STATEFUN_INSPECTOR_PORT`; 0 picks a free
   * port). Default: no inspector (the CLI and `npm start` use 8092); `false`: none, whatever
   * the environment says.
   */
  readonly inspectorPort?: number | false;
  /**
   * Prometheus metrics at `GET /metrics` of the egress port (queue depth, in-flight batches per
   * endpoint, batch sizes, invocation latency by function type, retries, dead letters, egress
   * records by topic, commit times). Default on; `false` turns them off (no observer at all).
   */
  readonly metrics?: boolean;
  /**
   * OpenTelemetry spans through `@opentelemetry/api`: `statefun.delivery` per batch delivered
   * (function type, id, batch size; outgoing messages, egress records and state changes of the
   * applied reply; the error of a failed call). No-op until an OpenTelemetry SDK registers a
   * tracer provider. Default off.
   */
  readonly tracing?: boolean;
  /**
   * JSON Schemas of the registry types by typename (see `loadJsonSchemas`): the inspector's
   * send form validates values against them in the page.
   */
  readonly schemas?: ReadonlyMap<string, JsonSchema>;
  /**
   * Kafka bootstrap `host:port` (env `STATEFUN_KAFKA_BOOTSTRAP`; default off): the Kafka ingresses
   * of module.yaml are consumed and its Kafka egress records produced there too (see README).
   */
  readonly kafka?: string;
}

/** A running local runtime. */
export interface Runtime {
  /** `http://host:port` of the ingress. */
  readonly ingressUrl: string;
  /** `http://host:port` of the egress reader. */
  readonly egressUrl: string;
  /** The bound ingress port (useful with port 0). */
  readonly ingressPort: number;
  /** The bound egress port. */
  readonly egressPort: number;
  /** `http://host:port/` of the inspector page, when it runs. */
  readonly inspectorUrl: string | undefined;
  /** The bound inspector port, `undefined` when the inspector is off. */
  readonly inspectorPort: number | undefined;
  /** The absolute path of the state file (or `:memory:`). */
  readonly stateFile: string;
  /** The module served. */
  readonly module: ModuleConfig;
  /** The core behind the HTTP doors (dead letters, egress, state), for tooling. */
  readonly core: RuntimeCore;
  /** Counts for tests and tooling: queued, pending delayed messages and dead letters. */
  stats(): RuntimeStats;
  /** The Kafka connectors' counters and failures, when Kafka is on. */
  kafkaStatus(): KafkaStatus | undefined;
  /** Stops servers and deliveries and closes the state file; replies that arrive later are dropped. */
  close(): Promise<void>;
}

function envPort(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RuntimeError(`${name}=${text} is not a port number (0-65535)`);
  }
  return port;
}

/** Starts the local runtime: loads the module, opens the state, binds ingress and egress. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const log = options.log ?? pinoLog(createLogger());
  const module = resolveModule(options);
  for (const note of module.notes) log("info", note);
  const file = options.stateFile ?? process.env.STATEFUN_STATE_FILE ?? ".statefun/state.db";
  const stateFile = file === ":memory:" ? file : resolve(file);
  const host = options.host ?? "127.0.0.1";
  let kafka: KafkaConnectors | undefined;
  const maxBatchBytes = options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
  const egressLog = new EgressLog(log);
  const inspectorPort =
    options.inspectorPort === false
      ? undefined
      : (options.inspectorPort ??
        (process.env.STATEFUN_INSPECTOR_PORT
          ? envPort("STATEFUN_INSPECTOR_PORT", 8092)
          : undefined));
  const inspector =
    inspectorPort === undefined
      ? undefined
      : new Inspector({
          module,
          validators: options.validators ?? new Map(),
          schemas: options.schemas ?? new Map(),
        });
  // Prometheus metrics at GET /metrics of the egress port, unless `metrics: false`.
  const metrics: RuntimeMetrics | undefined =
    options.metrics === false
      ? undefined
      : new RuntimeMetrics(module, { stats: (): RuntimeStats => core.stats() });
  const core: RuntimeCore = new RuntimeCore({
    module,
    stateFile,
    reset: options.reset ?? false,
    log,
    maxBatchBytes,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.maxQueuedMessages !== undefined
      ? { maxQueuedMessages: options.maxQueuedMessages }
      : {}),
    ...(options.deadLetterAfter !== undefined ? { deadLetterAfter: options.deadLetterAfter } : {}),
    ...(options.callsPerEndpoint !== undefined
      ? { callsPerEndpoint: options.callsPerEndpoint }
      : {}),
    ...(options.maxStateBytes !== undefined ? { maxStateBytes: options.maxStateBytes } : {}),
    ...(options.durability !== undefined ? { durability: options.durability } : {}),
    ...(inspector || metrics || options.tracing
      ? {
          observer: combineObservers(
            inspector?.recorder,
            metrics?.observer,
            options.tracing ? tracingObserver() : undefined,
          ),
        }
      : {}),
    onEgress: (records) => {
      egressLog.write(records);
      kafka?.egressAppended();
    },
    onDeadLetter: (letters: readonly DeadLetterEvent[]) => {
      log("warn", `${letters.length} dead letter(s) now; GET ${egressUrlOf()}/dead-letters`);
    },
  });
  const guard = browserGuard({ anyHost: options.host !== undefined });
  const ingress = createIngressServer({
    module,
    validators: options.validators ?? new Map(),
    maxMessageBytes: (endpoint) => endpoint.maxBatchBytes ?? maxBatchBytes,
    accept: (target, argument) => core.accept(target, argument),
    guard,
  });
  const egress = createEgressServer(core, guard, metrics?.registry);
  let egressUrlOf = (): string => "the egress port";
  let ingressPort: number;
  let egressPort: number;
  let ingressUrl = "";
  let egressUrl = "";
  const inspectorServer = inspector?.server(core, guard, () => ({
    ingressUrl,
    egressUrl,
    stateFile,
  }));
  try {
    ingressPort = await listen(
      ingress,
      host,
      options.ingressPort ?? envPort("STATEFUN_INGRESS_PORT", 8090),
    );
    egressPort = await listen(
      egress,
      host,
      options.egressPort ?? envPort("STATEFUN_EGRESS_PORT", 8091),
    );
  } catch (error) {
    await closeServer(ingress);
    await closeServer(egress);
    await core.close();
    throw new RuntimeError(
      `cannot bind the runtime's HTTP ports on ${host}: ${(error as Error).message}; choose other ports with --ingress-port/--egress-port or STATEFUN_INGRESS_PORT/STATEFUN_EGRESS_PORT`,
    );
  }
  if (options.validators && options.validators.size > 0) {
    log(
      "info",
      `ingress validates ${options.validators.size} typename(s): ${[...options.validators.keys()].join(", ")}`,
    );
  }
  let boundInspectorPort: number | undefined;
  if (inspectorServer && inspectorPort !== undefined) {
    try {
      boundInspectorPort = await listen(inspectorServer, host, inspectorPort);
    } catch (error) {
      await Promise.all([closeServer(ingress), closeServer(egress)]);
      await core.close();
      throw new RuntimeError(
        `cannot bind the inspector's port ${inspectorPort} on ${host}: ${(error as Error).message}; choose another with --inspector-port (0 = any free port) or STATEFUN_INSPECTOR_PORT, or run without it (--no-inspector)`,
      );
    }
  }
  try {
    kafka = await connectKafka({
      bootstrap: options.kafka,
      modulePath: options.modulePath,
      module: options.module,
      config: module,
      core,
      stateFile,
      validators: options.validators ?? new Map(),
      log,
    });
  } catch (error) {
    await Promise.all([
      closeServer(ingress),
      closeServer(egress),
      ...(inspectorServer ? [closeServer(inspectorServer)] : []),
    ]);
    await core.close();
    throw error;
  }
  core.start();
  ingressUrl = `http://${host}:${ingressPort}`;
  egressUrl = `http://${host}:${egressPort}`;
  egressUrlOf = () => egressUrl;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const inspectorUrl =
    boundInspectorPort === undefined ? undefined : `http://${urlHost}:${boundInspectorPort}/`;
  log(
    "info",
    `statefun-ts runtime ready: ingress ${ingressUrl}, egress ${egressUrl}${inspectorUrl ? `, inspector ${inspectorUrl}` : ""}, state ${stateFile}, functions ${module.endpoints.map((e) => `${e.namespace}/${e.name ?? "*"} -> ${e.urlPathTemplate}`).join(", ")}`,
  );
  let closing: Promise<void> | undefined;
  return {
    ingressUrl,
    egressUrl,
    ingressPort,
    egressPort,
    inspectorUrl,
    inspectorPort: boundInspectorPort,
    stateFile,
    module,
    core,
    stats: () => core.stats(),
    kafkaStatus: () => kafka?.status(),
    close: () => {
      closing ??= (async () => {
        await Promise.all([
          closeServer(ingress),
          closeServer(egress),
          ...(inspectorServer ? [closeServer(inspectorServer)] : []),
        ]);
        await kafka?.close();
        await core.close();
        egressLog.close();
      })();
      return closing;
    },
  };
}

function resolveModule(options: RuntimeOptions): ModuleConfig {
  if (options.module !== undefined) {
    return typeof options.module === "string"
      ? parseModuleYaml(options.module, "module.yaml (inline)")
      : options.module;
  }
  if (options.modulePath !== undefined) return loadModuleYaml(options.modulePath);
  throw new RuntimeError("startRuntime needs modulePath or module (the module.yaml to serve)");
}

/** Egress log lines per second beyond which the log summarizes (a line per second) instead. */
const EGRESS_LINES_PER_SECOND = 20;

/**
 * Logs egress records one line each, up to {@link EGRESS_LINES_PER_SECOND} a second; beyond that
 * a summary line per second (under load a line per record would cost more than the record).
 */
class EgressLog {
  private windowStart = 0;
  private lines = 0;
  private skipped = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly log: RuntimeLog) {}

  write(records: readonly StoredEgressRecord[]): void {
    if (!logEnabled(this.log, "info")) return;
    const now = Date.now();
    if (now - this.windowStart >= 1000) {
      this.flush();
      this.windowStart = now;
      this.lines = 0;
    }
    for (const record of records) {
      if (this.lines < EGRESS_LINES_PER_SECOND) {
        this.lines += 1;
        this.log("info", describeEgress(record));
      } else {
        this.skipped += 1;
      }
    }
    if (this.skipped > 0 && !this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, 1000);
      this.timer.unref();
    }
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }

  private flush(): void {
    if (this.skipped === 0) return;
    this.log(
      "info",
      `egress: ${this.skipped} more record(s) not logged one by one (read them with GET /<topic>/records)`,
    );
    this.skipped = 0;
  }
}

function describeEgress(record: StoredEgressRecord): string {
  const text = utf8Text(record.value);
  const value =
    text === undefined
      ? `<${record.value.length} bytes, base64 ${Buffer.from(record.value).toString("base64")}>`
      : JSON.stringify(text);
  const key = record.key === null ? "" : ` key=${JSON.stringify(record.key)}`;
  return `egress ${record.egressId} (${record.kind}) topic=${record.topic} offset=${record.offset}${key}: ${value}`;
}
