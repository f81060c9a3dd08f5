/**
 * Error classes of the local runtime. Each message says what went wrong, where (file, document,
 * field, function type, id) and how to fix it.
 */

/** Base class of every error the runtime throws on purpose. */
export class RuntimeError extends Error {
  /** Always `"RuntimeError"`. */
  override name = "RuntimeError";
}

/** A module.yaml that cannot be used: bad YAML, unknown structure, or an invalid field. */
export class ModuleYamlError extends RuntimeError {
  /** Always `"ModuleYamlError"`. */
  override name = "ModuleYamlError";
}

/** A call to a remote function that failed for good within its `call` budget. */
export class FunctionCallError extends RuntimeError {
  /** Always `"FunctionCallError"`. */
  override name = "FunctionCallError";
  constructor(
    message: string,
    /** The HTTP status of the last attempt, when it got one. */
    readonly status?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/**
 * A reply the runtime refuses to apply because the real StateFun runtime would fail on it
 * (negative delay, duplicate cancellation token, state of another type, unregistered state).
 * Nothing of the reply is applied; the batch stays queued.
 */
export class ReplyRejectedError extends RuntimeError {
  /** Always `"ReplyRejectedError"`. */
  override name = "ReplyRejectedError";
}

/** A request the runtime's HTTP API refuses (4xx), or cannot serve now (503). */
export class IngressError extends RuntimeError {
  /** Always `"IngressError"`. */
  override name = "IngressError";
  constructor(
    message: string,
    /** The HTTP status to answer with. */
    readonly status: number,
    /** For a 503: seconds after which trying again makes sense (`Retry-After`). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** The state file cannot be read or written right now (busy, full, read-only, I/O error). */
export class StoreUnavailableError extends IngressError {
  /** Always `"StoreUnavailableError"`. */
  override name = "StoreUnavailableError";
  constructor(message: string, options?: ErrorOptions) {
    super(message, 503, 1);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Renders an unknown thrown value for a message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
