/**
 * Error classes of the local runtime. Each message says what went wrong, where (file, document,
 * field, function type, id) and how to fix it.
 */

/** Base class of every error the runtime throws on purpose. */
export class RuntimeError extends Error {
  override name = "RuntimeError";
}

/** A module.yaml that cannot be used: bad YAML, unknown structure, or an invalid field. */
export class ModuleYamlError extends RuntimeError {
  override name = "ModuleYamlError";
}

/** A call to a remote function that failed for good within its `call` budget. */
export class FunctionCallError extends RuntimeError {
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
  override name = "ReplyRejectedError";
}

/** Ingress input that cannot be turned into a message (HTTP 4xx). */
export class IngressError extends RuntimeError {
  override name = "IngressError";
  constructor(
    message: string,
    /** The HTTP status to answer with. */
    readonly status: number,
  ) {
    super(message);
  }
}

/** Renders an unknown thrown value for a message. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
