/**
 * Options of the request-reply handlers (`asHandler`, `asFetchHandler`): logger, deadline, body
 * limit, concurrency limit and reply compression, with their defaults checked once.
 */

import { ConfigurationError, describeValue } from "./errors.js";

/** Where the HTTP adapters report failed requests. `console` by default. */
export interface HandlerLogger {
  /** Called when a request fails (a bad request or a function that threw). */
  error(message: string, error?: unknown): void;
}

/**
 * A pino-compatible logger (pino, bunyan, or a `child` of one): told `error({ err }, message)`
 * when a request fails, nothing on success. Recognized by its `child` method.
 *
 * @example
 * ```ts
 * import pino from "pino";
 * builder.asHandler({ logger: pino() });
 * ```
 */
export interface StructuredLogger {
  /** Logs at error level: fields first, then the message (pino's order). */
  error(obj: object, msg: string): void;
  /** Logs at warn level. */
  warn(obj: object, msg: string): void;
  /** Logs at info level. */
  info(obj: object, msg: string): void;
  /** A logger with these fields on every line (how the SDK tells it from `console`). */
  child(bindings: Record<string, unknown>): unknown;
}

/**
 * A prom-client `Registry` (structurally, so prom-client stays an optional peer dependency of
 * the SDK): `new Registry()` or prom-client's global `register`.
 */
export interface MetricsRegistry {
  /** Adds a metric; prom-client's `Registry.registerMetric`. */
  registerMetric(metric: unknown): void;
  /** A metric already registered under `name`; prom-client's `Registry.getSingleMetric`. */
  getSingleMetric(name: string): unknown;
}

/** Options of {@link StatefulFunctionsBuilder.asHandler} and `asFetchHandler`. */
export interface HandlerOptions {
  /**
   * Where failed requests are reported (with function type, id and stack): `console` (the
   * default), an `error(message, error)` object, or a pino-compatible logger
   * ({@link StructuredLogger}: recognized by its `child` method and told `error({ err }, message)`;
   * pino's loggers fit `HandlerLogger` as they are). Quiet on success.
   */
  readonly logger?: HandlerLogger;
  /**
   * Opt-in metrics in this prom-client `Registry` (prom-client 15; the SDK does not depend on it): invocations,
   * batch sizes, batch latency and failed batches by function type, and missing-state
   * handshakes (`statefun_sdk_*`). Off by default, and then costs nothing.
   *
   * @example
   * ```ts
   * import { Registry } from "prom-client";
   * const registry = new Registry();
   * const handler = builder.asHandler({ metrics: registry });
   * app.get("/metrics", async (_req, res) => res.type(registry.contentType).send(await registry.metrics()));
   * ```
   */
  readonly metrics?: MetricsRegistry;
  /**
   * Opt-in OpenTelemetry spans through `@opentelemetry/api` (which must be installed; spans are
   * no-ops until an OpenTelemetry SDK registers a tracer provider): `statefun.batch` per batch
   * and `statefun.invoke` per invocation, with the function type, id and batch size.
   */
  readonly tracing?: boolean;
  /**
   * How long a batch may take, in milliseconds, before the handler answers 500 naming the function
   * type, the id and this limit (the runtime then retries the batch). Default 60,000, Flink's
   * default call timeout. Nothing the timed-out batch does afterwards reaches any reply.
   */
  readonly invocationTimeoutMs?: number;
  /**
   * Largest request body, in bytes, after decoding `Content-Encoding: gzip`/`deflate`; beyond it
   * a 413. Default 64 MiB (Flink's own payload limit is 32 MiB).
   */
  readonly maxBodyBytes?: number;
  /**
   * How many requests may be in progress at once (body being read, batch running, reply being
   * written); beyond it a 503 and the runtime retries. With `maxBodyBytes` it bounds the memory
   * held by request bodies. Default 256.
   */
  readonly maxConcurrentRequests?: number;
  /**
   * Whether replies of at least 1 KiB are gzip-compressed when the request's `Accept-Encoding`
   * allows it (Flink's client does). Default true.
   */
  readonly compressReplies?: boolean;
}

/** The options with every default applied. */
export interface ResolvedHandlerOptions {
  readonly logger: HandlerLogger;
  readonly metrics: MetricsRegistry | undefined;
  readonly tracing: boolean;
  readonly invocationTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxConcurrentRequests: number;
  readonly compressReplies: boolean;
}

/** Flink's default `call` timeout of a remote function endpoint. */
export const DEFAULT_INVOCATION_TIMEOUT_MS = 60_000;
/** Default `maxBodyBytes`: 64 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Default `maxConcurrentRequests`. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 256;
/** Replies smaller than this are never compressed (gzip would cost more than it saves). */
export const COMPRESS_MIN_BYTES = 1024;

/** Applies the defaults; throws a {@link ConfigurationError} naming a bad option. */
export function resolveHandlerOptions(options: HandlerOptions = {}): ResolvedHandlerOptions {
  if (typeof options !== "object" || options === null) {
    throw new ConfigurationError(
      `handler options must be an object, got ${describeValue(options)}`,
    );
  }
  const given = options.logger ?? console;
  if (typeof given !== "object" || given === null || typeof given.error !== "function") {
    throw new ConfigurationError(
      `handler option logger must have an error(message, error) method, or be a pino-compatible logger, got ${describeValue(given)}`,
    );
  }
  const logger = isStructured(given) ? structuredAsHandlerLogger(given) : given;
  const metrics = options.metrics;
  if (
    metrics !== undefined &&
    (typeof metrics !== "object" ||
      metrics === null ||
      typeof metrics.registerMetric !== "function" ||
      typeof metrics.getSingleMetric !== "function")
  ) {
    throw new ConfigurationError(
      `handler option metrics must be a prom-client Registry (new Registry() from prom-client), got ${describeValue(metrics)}`,
    );
  }
  const tracing = options.tracing ?? false;
  if (typeof tracing !== "boolean") {
    throw new ConfigurationError(
      `handler option tracing must be true or false, got ${describeValue(tracing)}`,
    );
  }
  const compressReplies = options.compressReplies ?? true;
  if (typeof compressReplies !== "boolean") {
    throw new ConfigurationError(
      `handler option compressReplies must be true or false, got ${describeValue(compressReplies)}`,
    );
  }
  return {
    logger,
    metrics,
    tracing,
    invocationTimeoutMs: positive(
      "invocationTimeoutMs",
      options.invocationTimeoutMs,
      DEFAULT_INVOCATION_TIMEOUT_MS,
      2 ** 31 - 1,
    ),
    maxBodyBytes: positive("maxBodyBytes", options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 2 ** 32),
    maxConcurrentRequests: positive(
      "maxConcurrentRequests",
      options.maxConcurrentRequests,
      DEFAULT_MAX_CONCURRENT_REQUESTS,
      Number.MAX_SAFE_INTEGER,
    ),
    compressReplies,
  };
}

/** A whole-number option from 1 to `max` (`fallback` when undefined), or a ConfigurationError. */
export function positive(
  name: string,
  value: number | undefined,
  fallback: number,
  max: number,
  kind = "handler",
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigurationError(
      `${kind} option ${name} must be a whole number from 1 to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}

function isStructured(logger: HandlerLogger): logger is HandlerLogger & StructuredLogger {
  return typeof (logger as { child?: unknown }).child === "function";
}

/** A pino-style logger told `error({ err }, message)`, as pino expects. */
function structuredAsHandlerLogger(logger: StructuredLogger): HandlerLogger {
  return {
    error(message, error) {
      logger.error(error === undefined ? {} : { err: error }, message);
    },
  };
}
