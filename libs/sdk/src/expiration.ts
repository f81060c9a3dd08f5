// State expiration: the modes, the helpers that build one, and their validation. Holds no
// protocol numbers (function-registration.ts maps modes to the wire).

import { ConfigurationError, describeValue } from "./errors.js";

/** How a state value expires: after the last invocation of its address, or after its last write. */
export type ExpirationMode = "after-call" | "after-write";

/** A state expiration: a mode and a duration in milliseconds (processing time, fixed at registration). */
export interface Expiration {
  /** What restarts the clock: an invocation of the address, or a write of the value. */
  readonly mode: ExpirationMode;
  /** How long the value lives without that event, in milliseconds. */
  readonly durationMs: number;
}

/** Expire the value when its address has not been invoked for `ms` milliseconds. */
export function expireAfterCall(ms: number): Expiration {
  return { mode: "after-call", durationMs: checkDuration("expireAfterCall", ms) };
}

/** Expire the value when it has not been written for `ms` milliseconds. */
export function expireAfterWrite(ms: number): Expiration {
  return { mode: "after-write", durationMs: checkDuration("expireAfterWrite", ms) };
}

function checkDuration(what: string, ms: number): number {
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms <= 0) {
    throw new ConfigurationError(
      `${what}(${describeValue(ms)}): the duration must be a whole number of milliseconds greater than 0, e.g. ${what}(30 * 60_000) for 30 minutes`,
    );
  }
  return ms;
}

/** Checks an expiration built by hand (not by the helpers above). */
export function validateExpiration(expiration: Expiration, where: string): void {
  if (expiration.mode !== "after-call" && expiration.mode !== "after-write") {
    throw new ConfigurationError(
      `${where}: expiration mode ${describeValue(expiration.mode)} is not one of "after-call", "after-write"; build it with expireAfterCall(ms) or expireAfterWrite(ms)`,
    );
  }
  checkDuration(
    expiration.mode === "after-call" ? `${where}: expireAfterCall` : `${where}: expireAfterWrite`,
    expiration.durationMs,
  );
}
