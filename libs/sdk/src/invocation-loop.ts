// The invocations of one batch, run in order against one address: each gets its Context and
// Message, async functions are awaited one at a time, and the collected effects become the reply.
// All or nothing: a failure fails the batch. Holds no decoding, lookup or handshake
// (request-dispatcher.ts, state-handshake.ts) and no byte layout (wire/ encodes).

import { type Address, formatAddress } from "./address.js";
import type { BatchStorage } from "./address-scoped-storage.js";
import { BatchDeadline } from "./batch-deadline.js";
import {
  describeError,
  FunctionInvocationError,
  InvalidRequestError,
  TypeNameError,
} from "./errors.js";
import type { RegisteredFunction } from "./function-registration.js";
import { type BatchEffects, InvocationContext } from "./invocation-context.js";
import { messageFromWire } from "./message.js";
import { parseTypeName, type TypeName } from "./type-name.js";
import type { WireMutation } from "./wire/from-function-shapes.js";
import { encodeReply } from "./wire/from-function-writer.js";
import type { WireReadAddress, WireReadInvocation } from "./wire/to-function-reader.js";

/** One batch being run. */
export interface BatchRun {
  readonly fn: RegisteredFunction;
  readonly self: Address;
  readonly storage: BatchStorage;
  readonly effects: BatchEffects;
  readonly invocations: readonly WireReadInvocation[];
  /** `invocationTimeoutMs`: the deadline of a batch whose functions are asynchronous. */
  readonly timeoutMs: number;
}

/**
 * Runs every invocation of the batch and returns the reply bytes. Synchronous until a function
 * returns a promise (no async frame for the common case), then a promise of the reply.
 */
export function runBatch(run: BatchRun): Uint8Array | Promise<Uint8Array> {
  const count = run.invocations.length;
  for (let n = 0; n < count; n++) {
    const pending = invokeOne(run, n);
    if (pending !== undefined) {
      const deadline = new BatchDeadline(run.timeoutMs, formatAddress(run.self), count);
      deadline.current = n;
      return deadline.guard(finishAsync(run, n, pending, deadline));
    }
  }
  return finish(run);
}

/** Runs invocation `n`; returns the promise of an async function, else `undefined`. */
function invokeOne(run: BatchRun, n: number): Promise<void> | undefined {
  const invocation = run.invocations[n]!;
  const ctx = new InvocationContext(
    run.self,
    toCaller(invocation.caller),
    run.storage,
    run.effects,
  );
  const message = messageFromWire(invocation.argument);
  try {
    const result = run.fn.run(ctx, message);
    // Any thenable counts (not only this realm's Promise), as `await` would treat it.
    if (result !== undefined && typeof (result as Promise<void>).then === "function")
      return result as Promise<void>;
    return undefined;
  } catch (error) {
    throw invocationError(run, n, error);
  }
}

/** Awaits the pending invocation `n`, runs the rest in order (awaiting each), then encodes. */
async function finishAsync(
  run: BatchRun,
  n: number,
  pending: Promise<void>,
  deadline: BatchDeadline,
): Promise<Uint8Array> {
  try {
    await pending;
  } catch (error) {
    throw invocationError(run, n, error);
  }
  for (let k = n + 1; k < run.invocations.length; k++) {
    // A batch past its deadline is abandoned: its reply was already refused.
    if (deadline.expired) return EMPTY_REPLY;
    deadline.current = k;
    const next = invokeOne(run, k);
    if (next !== undefined) {
      try {
        await next;
      } catch (error) {
        throw invocationError(run, k, error);
      }
    }
  }
  if (deadline.expired) return EMPTY_REPLY;
  return finish(run);
}

/** What an abandoned batch resolves to; nobody reads it. */
const EMPTY_REPLY = new Uint8Array(0);

function invocationError(run: BatchRun, n: number, error: unknown): FunctionInvocationError {
  return new FunctionInvocationError(
    `function ${formatAddress(run.self)} failed on invocation ${n + 1} of ${run.invocations.length}: ${describeError(error)}`,
    { cause: error },
  );
}

/** The reply of a batch that ran to the end. */
function finish(run: BatchRun): Uint8Array {
  let stateMutations: WireMutation[];
  try {
    stateMutations = run.storage.mutations();
  } catch (error) {
    throw new FunctionInvocationError(describeError(error), { cause: error });
  }
  const effects = run.effects;
  return encodeReply(stateMutations, effects.messages, effects.delayed, effects.egress);
}

/** The caller of an invocation as an Address; `undefined` for an ingress (no or empty caller). */
function toCaller(caller: WireReadAddress | null): Address | undefined {
  if (!caller) return undefined;
  const { namespace, type, id } = caller;
  if (namespace === "" && type === "" && id === "") return undefined;
  // Callers of a batch are mostly of one type (the reader hands out the same string instances).
  if (namespace === lastCallerNamespace && type === lastCallerType)
    return { functionType: lastCallerTypeName!, id };
  const functionType = parseTypeName(`${namespace}/${type}`);
  if (functionType instanceof TypeNameError) {
    throw new InvalidRequestError(
      `invocation caller ${formatAddress({ namespace, type, id })} has a malformed function type: ${functionType.message}`,
    );
  }
  lastCallerNamespace = namespace;
  lastCallerType = type;
  lastCallerTypeName = functionType;
  return { functionType, id };
}

let lastCallerNamespace: string | undefined;
let lastCallerType: string | undefined;
let lastCallerTypeName: TypeName | undefined;
