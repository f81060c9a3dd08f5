/**
 * Error classes of the SDK. Each says what went wrong, where (function type, id, state) and how
 * to fix it. The HTTP adapter maps them to status codes (PROTOCOL.md §5).
 */

import { describeThrown } from "./error-description.js";

/** Base class of every error the SDK throws on purpose. */
export class StatefunError extends Error {
  /** Always `"StatefunError"`. */
  override name = "StatefunError";
}

/** A typename that is not of the form `<namespace>/<name>`. */
export class TypeNameError extends StatefunError {
  /** Always `"TypeNameError"`. */
  override name = "TypeNameError";
}

/** A declaration (value spec, function spec, expiration, message, egress) that breaks a rule. */
export class ConfigurationError extends StatefunError {
  /** Always `"ConfigurationError"`. */
  override name = "ConfigurationError";
}

/** A value that a type cannot serialize or bytes it cannot deserialize. */
export class SerializationError extends StatefunError {
  /** Always `"SerializationError"`. */
  override name = "SerializationError";
}

/** Storage access that breaks a rule: unregistered spec, or a state of another type. */
export class StateAccessError extends StatefunError {
  /** Always `"StateAccessError"`. */
  override name = "StateAccessError";
}

/** `message.as(type)` on a message whose value has another typename. */
export class MessageTypeError extends StatefunError {
  /** Always `"MessageTypeError"`. */
  override name = "MessageTypeError";
}

/** A request body that is not a valid `ToFunction` invocation batch (HTTP 400). */
export class InvalidRequestError extends StatefunError {
  /** Always `"InvalidRequestError"`. */
  override name = "InvalidRequestError";
}

/** A request for a function type that this handler does not serve (HTTP 404). */
export class UnknownFunctionError extends StatefunError {
  /** Always `"UnknownFunctionError"`. */
  override name = "UnknownFunctionError";
}

/**
 * A function failed while handling a batch (HTTP 500, the runtime retries). The `cause` is the
 * error the function threw; nothing of the batch was applied.
 */
export class FunctionInvocationError extends StatefunError {
  /** Always `"FunctionInvocationError"`. */
  override name = "FunctionInvocationError";
}

/** Renders an unknown thrown value for an error message; never throws (see error-description.ts). */
export function describeError(error: unknown): string {
  return describeThrown(error);
}

/** Renders a value for an error message without blowing up on cycles or bigints. */
export function describeValue(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return String(value);
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  try {
    const json = JSON.stringify(value);
    return json.length > 80 ? `${json.slice(0, 77)}...` : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
