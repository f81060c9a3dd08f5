/**
 * Error classes of the test kit. Each message says what went wrong, where (function type, id)
 * and how to fix it.
 */
import type { Address } from "@statefun-ts/sdk";

/** Base class of every error the test kit throws on purpose: misuse of the environment. */
export class TestEnvironmentError extends Error {
  /** Always `"TestEnvironmentError"`. */
  override name = "TestEnvironmentError";
}

/**
 * A function failed while the environment ran: it threw, or the runtime rejected its reply (for
 * example a state it did not declare). As on the local runtime, the batch stays queued and is
 * retried once virtual time passes the retry backoff.
 */
export class FunctionFailedError extends TestEnvironmentError {
  /** Always `"FunctionFailedError"`. */
  override name = "FunctionFailedError";
  constructor(
    message: string,
    /** The address whose batch failed. */
    readonly address: Address,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
