/**
 * Options of the dedicated StateFun server (`createStatefunServer`): TLS, the timeouts of a
 * connection and the head size limit, with their defaults checked once. The handler options
 * (deadline, body limit, concurrency, compression, logger) are those of `asHandler`.
 */

import type { TlsOptions } from "node:tls";
import { ConfigurationError, describeValue } from "../errors.js";
import { type HandlerOptions, positive } from "../handler-options.js";
import type { ServerLimits } from "./http1-connection.js";

/** Options of `createStatefunServer`: the handler options plus the server's own. */
export interface StatefunServerOptions extends HandlerOptions {
  /**
   * Serve https with these options of `tls.createServer` (`key`, `cert`; for mutual TLS also
   * `ca`, `requestCert: true`, `rejectUnauthorized: true`).
   */
  readonly tls?: TlsOptions;
  /**
   * How long an idle keep-alive connection is kept, in ms. Default 60,000: Flink's and the local
   * runtime's pooled clients reuse connections, and a server closing one just as the client
   * sends on it costs a retry.
   */
  readonly keepAliveTimeoutMs?: number;
  /** How long a client may take to send a request head, in ms (slowloris defence). Default 60,000, as Node. */
  readonly headersTimeoutMs?: number;
  /**
   * How long a client may take to send a whole request (head and body), in ms. Default 300,000,
   * as Node. The batch's own time is bounded by `invocationTimeoutMs`.
   */
  readonly requestTimeoutMs?: number;
  /** Largest request head (request line and headers), in bytes; beyond it a 431. Default 16 KiB, as Node. */
  readonly maxHeaderBytes?: number;
}

/** The server's own option names (the rest are handler options). */
export const SERVER_OPTION_NAMES = [
  "tls",
  "keepAliveTimeoutMs",
  "headersTimeoutMs",
  "requestTimeoutMs",
  "maxHeaderBytes",
] as const;

/** Applies the defaults to the server's own options; throws a ConfigurationError naming a bad one. */
export function resolveServerLimits(options: StatefunServerOptions): ServerLimits {
  const ms = (name: keyof StatefunServerOptions, fallback: number): number =>
    positive(name, options[name] as number | undefined, fallback, 2 ** 31 - 1, "server");
  const tls = options.tls;
  if (tls !== undefined && (typeof tls !== "object" || tls === null))
    throw new ConfigurationError(
      `server option tls must be the options of tls.createServer ({ key, cert, ... }), got ${describeValue(tls)}`,
    );
  return {
    keepAliveTimeoutMs: ms("keepAliveTimeoutMs", 60_000),
    headersTimeoutMs: ms("headersTimeoutMs", 60_000),
    requestTimeoutMs: ms("requestTimeoutMs", 300_000),
    maxHeaderBytes: ms("maxHeaderBytes", 16 * 1024),
  };
}
