// The HTTP transport to remote functions: POST ToFunction bytes, retry within the call budget.
import http from "node:http";
import https from "node:https";
import { decodeReplyBody, EndpointAgents, requestTarget } from "./endpoint-connection.js";
import { describeError, FunctionCallError } from "./errors.js";
import type { CallOptions, FunctionRequest, FunctionTransport } from "./function-transport.js";

class AttemptError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const MAX_BODY_TEXT = 500;

/**
 * Posts ToFunction bytes to remote functions as StateFun's async transport does: keep-alive
 * connections, `application/octet-stream`, any failure (non-2xx, wrong content type, connection
 * error, timeout) retried with exponential backoff (2 ms doubling) until the `call` budget is
 * spent.
 */
export class FunctionClient implements FunctionTransport {
  // TCP, Unix sockets (http+unix://) and https with each endpoint's TLS material (module.yaml).
  private readonly agents = new EndpointAgents();

  /** Closes pooled connections. */
  close(): void {
    this.agents.destroy();
  }

  /** POSTs the request; resolves with the FromFunction bytes or throws FunctionCallError. */
  async call(request: FunctionRequest, options: CallOptions): Promise<Uint8Array> {
    const { url, body } = request;
    const deadline = Date.now() + options.callTimeoutMs;
    let attempt = 0;
    let last: AttemptError | undefined;
    for (;;) {
      const remaining = deadline - Date.now();
      if (remaining < 1 || options.signal?.aborted) break;
      try {
        return await this.attempt(url, body, Math.max(remaining, 10), options);
      } catch (error) {
        last = error instanceof AttemptError ? error : new AttemptError(describeError(error));
        if (options.signal?.aborted) break;
        // A client error other than 408/429 says the same thing every time: no retry here (the
        // dispatcher decides: halve the batch, or set the message aside as a dead letter).
        if (isFinalStatus(last.status)) {
          attempt += 1;
          break;
        }
        if (attempt === 0) options.onRetry?.(attempt + 1, last.message);
      }
      const delay = Math.min(2 * 2 ** attempt, deadline - Date.now(), 5_000);
      attempt += 1;
      if (delay < 1) break;
      await sleep(delay, options.signal);
    }
    const reason = options.signal?.aborted
      ? "the runtime is shutting down"
      : isFinalStatus(last?.status)
        ? "a client error: not retried"
        : `gave up after ${attempt} attempt(s) within the call timeout of ${options.callTimeoutMs} ms`;
    throw new FunctionCallError(
      `POST ${url} failed: ${last?.message ?? "no attempt made"} (${reason})`,
      last?.status,
    );
  }

  private attempt(
    url: string,
    body: Uint8Array,
    timeoutMs: number,
    options: CallOptions,
  ): Promise<Uint8Array> {
    const { secure, options: target } = requestTarget(url);
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: AttemptError | undefined, value?: Uint8Array): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error) reject(error);
        else resolve(value ?? new Uint8Array(0));
      };
      const request = (secure ? https : http).request(
        {
          ...target,
          method: "POST",
          agent: this.agents.agentFor(secure, options.tls),
          headers: {
            "Content-Type": "application/octet-stream",
            Accept: "application/octet-stream",
            "Accept-Encoding": "gzip, deflate",
            "Content-Length": body.byteLength,
            "User-Agent": "statefun",
          },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("error", (error) => finish(new AttemptError(describeError(error))));
          response.on("end", () => {
            let data: Buffer = Buffer.concat(chunks);
            const status = response.statusCode ?? 0;
            if (status < 200 || status >= 300) {
              const text = data.toString("utf8").slice(0, MAX_BODY_TEXT).trim();
              finish(
                new AttemptError(
                  `HTTP ${status}${text ? `: ${text}` : " with an empty body"}`,
                  status,
                ),
              );
              return;
            }
            const type = response.headers["content-type"] ?? "";
            if (!type.toLowerCase().includes("application/octet-stream")) {
              finish(
                new AttemptError(
                  `unexpected content type ${JSON.stringify(type)} (expected application/octet-stream)`,
                  status,
                ),
              );
              return;
            }
            try {
              data = decodeReplyBody(data, response.headers["content-encoding"]);
            } catch (error) {
              finish(new AttemptError(describeError(error), status));
              return;
            }
            finish(undefined, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
          });
        },
      );
      const timer = setTimeout(() => {
        request.destroy();
        finish(new AttemptError(`no reply within ${timeoutMs} ms`));
      }, timeoutMs);
      request.on("socket", (socket) => {
        if (socket.connecting) {
          const connectTimer = setTimeout(() => {
            request.destroy();
            finish(new AttemptError(`cannot connect within ${options.connectTimeoutMs} ms`));
          }, options.connectTimeoutMs);
          socket.once("connect", () => clearTimeout(connectTimer));
          socket.once("close", () => clearTimeout(connectTimer));
        }
      });
      request.on("error", (error) => finish(new AttemptError(describeError(error))));
      request.end(body);
    });
  }
}

/** Whether a status is a client error that retrying the same request cannot fix. */
function isFinalStatus(status: number | undefined): boolean {
  return status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
