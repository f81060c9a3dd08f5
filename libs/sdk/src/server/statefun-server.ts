/**
 * `createStatefunServer`: a dedicated HTTP/1.1 server for a StateFun endpoint, written on
 * `node:net` (or `node:tls`) rather than node:http, as Go's fasthttp is to net/http. It serves
 * any path with the same status rules and handler options as the node:http listener, and costs
 * far less CPU per request (node:http's request and response streams are most of its cost).
 */

import { createServer as createNetServer, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type Server as TlsServer } from "node:tls";
import { ConfigurationError, describeValue } from "../errors.js";
import type { HandlerOptions } from "../handler-options.js";
import { createBatchRunner } from "../http/batch-exchange.js";
import { bindingOf } from "../http/handler-binding.js";
import type { RequestReplyHandler } from "../request-reply-handler.js";
import { Http1Connection, type ServerState } from "./http1-connection.js";
import {
  resolveServerLimits,
  SERVER_OPTION_NAMES,
  type StatefunServerOptions,
} from "./server-options.js";

export type { StatefunServerOptions };

/** What the server adds to `net.Server`, as node:http's `Server` has them. */
export interface ConnectionControls {
  /** Closes the connections with no request in progress. */
  closeIdleConnections(): void;
  /** Closes every connection at once (requests in progress are cut; the runtime retries them). */
  closeAllConnections(): void;
}

/** What the server serves: a handler from `asHandler()`, or a builder (a `StatefulFunctionsBuilder`). */
export type HandlerSource =
  | RequestReplyHandler
  | {
      /** Makes the handler with these handler options (as `StatefulFunctionsBuilder.asHandler`). */
      asHandler(options?: HandlerOptions): RequestReplyHandler;
    };

/** The StateFun server over plain TCP or a Unix socket: `listen`, `address`, `close` as usual. */
export type StatefunServer = Server & ConnectionControls;
/** The StateFun server over TLS (https, mutual TLS). */
export type StatefunTlsServer = TlsServer & ConnectionControls;

/**
 * A server for the functions of `source` (a handler from `asHandler()`, or a builder, whose
 * handler is made with the handler options in `options`). `server.close()` stops accepting,
 * closes idle connections and ends the others after their reply; `closeGracefully(server)` works
 * as for node:http.
 *
 * @example
 * ```ts
 * const server = createStatefunServer(builder, { maxConcurrentRequests: 512 });
 * server.listen(8000);
 * ```
 */
export function createStatefunServer(
  source: HandlerSource,
  options: StatefunServerOptions & { readonly tls: NonNullable<StatefunServerOptions["tls"]> },
): StatefunTlsServer;
export function createStatefunServer(
  source: HandlerSource,
  options?: StatefunServerOptions,
): StatefunServer;
export function createStatefunServer(
  source: HandlerSource,
  options: StatefunServerOptions = {},
): StatefunServer | StatefunTlsServer {
  if (typeof options !== "object" || options === null)
    throw new ConfigurationError(
      `createStatefunServer options must be an object, got ${describeValue(options)}`,
    );
  const limits = resolveServerLimits(options);
  const handler = handlerOf(source, options);
  const binding = bindingOf(handler);
  if (binding === undefined)
    throw new ConfigurationError(
      `createStatefunServer expects a handler from builder.asHandler() or a builder, got ${describeValue(source)}`,
    );
  const state: ServerState = {
    runBatch: createBatchRunner(binding.invoke, binding.options),
    handler: binding.options,
    limits,
    connections: new Set(),
    inFlight: 0,
    closing: false,
  };
  const onConnection = (socket: Socket): void => {
    new Http1Connection(socket, state);
  };
  const base = { noDelay: true, allowHalfOpen: true };
  const server =
    options.tls === undefined
      ? createNetServer(base, onConnection)
      : createTlsServer({ ...options.tls, ...base }, onConnection);
  return withControls(server, state);
}

function handlerOf(source: HandlerSource, options: StatefunServerOptions): unknown {
  const handlerOptions: Record<string, unknown> = { ...options };
  for (const name of SERVER_OPTION_NAMES) delete handlerOptions[name];
  if (typeof source === "object" && source !== null && typeof source.asHandler === "function")
    return source.asHandler(handlerOptions as HandlerOptions);
  const given = Object.keys(handlerOptions);
  if (given.length > 0)
    throw new ConfigurationError(
      `createStatefunServer: handler options (${given.join(", ")}) given with a handler: pass them to asHandler(options), or give the builder instead of its handler`,
    );
  return source;
}

/** Adds the connection controls, the timeout sweep, and closing on `close()`. */
function withControls<S extends Server>(server: S, state: ServerState): S & ConnectionControls {
  const { keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs } = state.limits;
  // The sweep runs at a quarter of the shortest timeout (10 ms to 1 s): one timer per server
  // instead of one per request.
  const tick = Math.max(
    10,
    Math.min(
      1000,
      Math.floor(Math.min(keepAliveTimeoutMs, headersTimeoutMs, requestTimeoutMs) / 4),
    ),
  );
  let sweep: NodeJS.Timeout | undefined;
  server.on("listening", () => {
    sweep ??= setInterval(() => {
      const now = Date.now();
      for (const connection of state.connections) connection.checkTimeouts(now);
    }, tick).unref();
  });
  server.on("close", () => {
    clearInterval(sweep);
    sweep = undefined;
  });
  const controls: ConnectionControls = {
    closeIdleConnections() {
      for (const connection of state.connections) if (connection.idle) connection.destroy();
    },
    closeAllConnections() {
      for (const connection of state.connections) connection.destroy();
    },
  };
  const close = server.close;
  const closing = Object.assign(server, controls);
  closing.close = function (this: S, callback?: (error?: Error) => void) {
    state.closing = true;
    controls.closeIdleConnections();
    close.call(this, callback);
    return this;
  };
  return closing;
}
