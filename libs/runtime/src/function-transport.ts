// The function transport interface: how the runtime reaches a function (HTTP or in process).
import type { EndpointTls } from "./endpoint-connection.js";

/** Options of one function call. */
export interface CallOptions {
  /** Total budget of the call including retries, in ms (module.yaml `call`). */
  readonly callTimeoutMs: number;
  /** Connect timeout of one attempt, in ms (module.yaml `connect`). */
  readonly connectTimeoutMs: number;
  /** Told about the first failed attempt of a call (the call keeps retrying). */
  readonly onRetry?: (attempt: number, reason: string) => void;
  /** Aborts the call (runtime shutdown). */
  readonly signal?: AbortSignal;
  /** TLS material of the endpoint (module.yaml `trust_cacerts`, `client_cert`, `client_key`). */
  readonly tls?: EndpointTls | undefined;
}

/** One request to a remote function: where it goes and the ToFunction bytes. */
export interface FunctionRequest {
  /** The endpoint URL from module.yaml, `{function.name}` already replaced. */
  readonly url: string;
  /** The target function type, `<namespace>/<name>`. */
  readonly functionType: string;
  /** The encoded ToFunction message. */
  readonly body: Uint8Array;
}

/**
 * How the runtime reaches functions: HTTP by default ({@link FunctionClient}), or in process
 * (`inProcessTransport`) for tests. Either way the request and the reply are real ToFunction and
 * FromFunction bytes.
 */
export interface FunctionTransport {
  /** Resolves with the FromFunction bytes, or throws a FunctionCallError when the call failed for good. */
  call(request: FunctionRequest, options: CallOptions): Promise<Uint8Array>;
  /** Releases what the transport holds (pooled connections). */
  close(): void;
}
