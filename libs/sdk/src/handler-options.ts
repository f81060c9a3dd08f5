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

/** Options of {@link StatefulFunctionsBuilder.asHandler} and `asFetchHandler`. */
export interface HandlerOptions {
  /** Where failed requests are reported (with function type, id and stack). Default: console. */
  readonly logger?: HandlerLogger;
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
  const logger = options.logger ?? console;
  if (typeof logger !== "object" || logger === null || typeof logger.error !== "function") {
    throw new ConfigurationError(
      `handler option logger must have an error(message, error) method, got ${describeValue(logger)}`,
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

function positive(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new ConfigurationError(
      `handler option ${name} must be a whole number from 1 to ${max}, got ${describeValue(value)}`,
    );
  }
  return value;
}
