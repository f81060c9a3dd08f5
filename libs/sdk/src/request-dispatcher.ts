// Turns ToFunction request bytes into FromFunction reply bytes for the functions of one handler:
// decode (wire/), find the function, state handshake, run the batch. Holds no protobuf object (wire/
// decodes and encodes), no registration and no HTTP.

import { BatchStorage } from "./address-scoped-storage.js";
import { type BatchHook, runObservedBatch } from "./batch-hook.js";
import { describeError, InvalidRequestError } from "./errors.js";
import type { RegisteredFunction } from "./function-registration.js";
import { FunctionTable } from "./function-table.js";
import { DEFAULT_INVOCATION_TIMEOUT_MS } from "./handler-options.js";
import { BatchEffects } from "./invocation-context.js";
import { runBatch } from "./invocation-loop.js";
import { collectStates } from "./state-handshake.js";
import { decodeToFunction } from "./wire/to-function-decoder.js";
import type { WireReadBatch } from "./wire/to-function-reader.js";

/** Handles one request: ToFunction bytes in, FromFunction bytes out. */
export type Dispatch = (payload: Uint8Array) => Promise<Uint8Array>;

/**
 * The dispatcher of a fixed set of functions (by `<namespace>/<type>`): decode, state handshake,
 * invocations in order, side effects, encode. All or nothing.
 */
export function createDispatcher(
  functions: ReadonlyMap<string, RegisteredFunction>,
  timeoutMs: number = DEFAULT_INVOCATION_TIMEOUT_MS,
  hook?: BatchHook,
): Dispatch {
  const table = new FunctionTable(functions);
  return (payload) => {
    // Synchronous until a function returns a promise: no async frame for the common case.
    try {
      const reply = dispatchNow(table, payload, timeoutMs, hook);
      return reply instanceof Uint8Array ? Promise.resolve(reply) : reply;
    } catch (error) {
      return Promise.reject(error);
    }
  };
}

/**
 * The same dispatcher without a promise when every function of the batch is synchronous: the
 * reply bytes, or a promise once a function returned one; throws what a Dispatch would reject
 * with. The node:http adapter writes a synchronous reply in the same tick (no microtask).
 */
export function createDirectDispatcher(
  functions: ReadonlyMap<string, RegisteredFunction>,
  timeoutMs: number = DEFAULT_INVOCATION_TIMEOUT_MS,
  hook?: BatchHook,
): (payload: Uint8Array) => Uint8Array | Promise<Uint8Array> {
  const table = new FunctionTable(functions);
  return (payload) => dispatchNow(table, payload, timeoutMs, hook);
}

function dispatchNow(
  table: FunctionTable,
  payload: Uint8Array,
  timeoutMs: number,
  hook: BatchHook | undefined,
): Uint8Array | Promise<Uint8Array> {
  const batch = decodeBatch(payload);
  const target = batch.target!;
  const fn = table.find(target.namespace, target.type);
  const values = collectStates(fn, batch.state);
  const self = { functionType: fn.functionType, id: target.id };
  if (values instanceof Uint8Array) {
    hook?.missingStates(fn, self);
    return values;
  }
  const run = {
    fn,
    self,
    storage: new BatchStorage(fn.specs, fn.index, values, self),
    effects: new BatchEffects(),
    invocations: batch.invocations,
    timeoutMs,
  };
  // The one check per batch: metrics and tracing cost nothing when off.
  return hook === undefined ? runBatch(run) : runObservedBatch(hook, run);
}

/** The invocation batch of a request, with its target; an {@link InvalidRequestError} otherwise. */
function decodeBatch(payload: Uint8Array): WireReadBatch {
  if (payload.length === 0) {
    throw new InvalidRequestError("empty request body: expected a protobuf ToFunction message");
  }
  let batch: WireReadBatch | null;
  try {
    batch = decodeToFunction(payload);
  } catch (error) {
    throw new InvalidRequestError(
      `request body is not a protobuf ToFunction message: ${describeError(error)}`,
    );
  }
  if (!batch?.target) {
    throw new InvalidRequestError("ToFunction has no invocation batch with a target address");
  }
  return batch;
}
