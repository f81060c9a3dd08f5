/**
 * Graceful shutdown of a node:http, node:https or StateFun server serving a handler: stop accepting
 * connections, let the requests in progress finish (their batches reply), close keep-alive
 * connections as they fall idle, and after a timeout close whatever is left.
 */

/**
 * A server {@link closeGracefully} can close: node:http's and node:https's `Server`, and the
 * server of `createStatefunServer`.
 */
export interface GracefullyClosable {
  /** Stops accepting connections; calls back once every connection is closed. */
  close(callback?: (error?: Error) => void): unknown;
  /** Closes the connections with no request in progress. */
  closeIdleConnections(): void;
  /** Closes every connection at once. */
  closeAllConnections(): void;
}

/** Options of {@link closeGracefully}. */
export interface GracefulCloseOptions {
  /** How long in-flight requests may take before their connections are closed. Default 30,000 ms. */
  readonly timeoutMs?: number;
}

/** What {@link closeGracefully} did. */
export interface GracefulCloseResult {
  /** Whether connections with requests still in progress had to be closed at the timeout. */
  readonly forced: boolean;
}

/**
 * Closes `server` gracefully (works for `http.createServer`, `https.createServer` and
 * `createStatefunServer`, TCP or Unix socket). Typical use: `process.once("SIGTERM", () => closeGracefully(server))`. The runtime
 * retries the batches of requests cut at the timeout, so nothing is lost either way.
 */
export function closeGracefully(
  server: GracefullyClosable,
  options: GracefulCloseOptions = {},
): Promise<GracefulCloseResult> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  return new Promise((resolve, reject) => {
    let forced = false;
    // Keep-alive connections fall idle as their last reply is written: close them then.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    server.close((error) => {
      clearInterval(sweep);
      clearTimeout(deadline);
      if (error && (error as { code?: string }).code !== "ERR_SERVER_NOT_RUNNING") reject(error);
      else resolve({ forced });
    });
    server.closeIdleConnections();
  });
}
