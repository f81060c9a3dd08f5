import type { Address } from "./address.js";
import { BatchStorage, type WireMutation } from "./address-scoped-storage.js";
import { BatchDeadline } from "./batch-deadline.js";
import { BatchEffects, InvocationContext } from "./batch-effects.js";
import {
  describeError,
  FunctionInvocationError,
  InvalidRequestError,
  TypeNameError,
  UnknownFunctionError,
} from "./errors.js";
import { io } from "./generated/statefun.js";
import { DEFAULT_INVOCATION_TIMEOUT_MS } from "./handler-options.js";
import { Message } from "./message.js";
import type { StatefulFunctionFn } from "./stateful-function.js";
import { parseTypeName, type TypeName } from "./type-name.js";
import type { ValueSpec } from "./value-spec.js";
import { encodeInvocationResult } from "./wire/from-function-writer.js";
import { readToFunction } from "./wire/to-function-reader.js";
import type { WireTypedValue } from "./wire/typed-value.js";

const { ToFunction, FromFunction } = io.statefun.sdk.reqreply;
const MODE = { "after-write": 1, "after-call": 2 } as const;

/** A registered function, prepared once for the hot path. */
export interface RegisteredFunction {
  readonly functionType: TypeName;
  readonly specs: readonly ValueSpec<unknown>[];
  readonly index: ReadonlyMap<string, number>;
  readonly run: StatefulFunctionFn;
  /** The IncompleteInvocationContext specs, encoded once. */
  readonly missingSpecs: readonly io.statefun.sdk.reqreply.FromFunction.IPersistedValueSpec[];
}

/** Builds the registered form of a function, precomputing its state index and wire specs. */
export function registerFunction(
  functionType: TypeName,
  specs: readonly ValueSpec<unknown>[],
  run: StatefulFunctionFn,
): RegisteredFunction {
  return {
    functionType,
    specs,
    index: new Map(specs.map((s, i) => [s.name, i])),
    run,
    missingSpecs: specs.map((s) => ({
      stateName: s.name,
      typeTypename: s.valueType.typeName.toString(),
      expirationSpec:
        s.expiration === undefined
          ? { mode: 0, expireAfterMillis: 0 }
          : { mode: MODE[s.expiration.mode], expireAfterMillis: s.expiration.durationMs },
    })),
  };
}

/**
 * Runs ToFunction bytes against the registered functions and returns FromFunction bytes:
 * decode, state handshake, invocations in order, side effects, encode. All or nothing.
 */
export function dispatch(
  functions: ReadonlyMap<string, RegisteredFunction>,
  payload: Uint8Array,
  timeoutMs: number = DEFAULT_INVOCATION_TIMEOUT_MS,
): Promise<Uint8Array> {
  // Synchronous until a function returns a promise: no async frame for the common case.
  try {
    const reply = dispatchNow(functions, payload, timeoutMs);
    return reply instanceof Uint8Array ? Promise.resolve(reply) : reply;
  } catch (error) {
    return Promise.reject(error);
  }
}

/**
 * {@link dispatch} without a promise when every function of the batch is synchronous: the reply
 * bytes, or a promise once a function returned one. Throws what `dispatch` would reject with.
 * The node:http adapter writes a synchronous reply in the same tick (no promise, no microtask).
 */
export function dispatchNow(
  functions: ReadonlyMap<string, RegisteredFunction>,
  payload: Uint8Array,
  timeoutMs: number,
): Uint8Array | Promise<Uint8Array> {
  if (payload.length === 0) {
    throw new InvalidRequestError("empty request body: expected a protobuf ToFunction message");
  }
  // The hand-written reader; where it gives up, the generated decoder (same result or error).
  let batch: io.statefun.sdk.reqreply.ToFunction.IInvocationBatchRequest | null | undefined =
    readToFunction(payload);
  if (batch === undefined) {
    try {
      batch = ToFunction.decode(payload).invocation;
    } catch (error) {
      throw new InvalidRequestError(
        `request body is not a protobuf ToFunction message: ${describeError(error)}`,
      );
    }
  }
  const target = batch?.target;
  if (!batch || !target) {
    throw new InvalidRequestError("ToFunction has no invocation batch with a target address");
  }
  const fn = lookup(functions, target.namespace, target.type);
  // The registered type is the map key, so this is the request's `<namespace>/<type>`.
  const typeText = fn.functionType.toString();

  // State handshake: every declared state must be present, else ask the runtime to register them.
  const specs = fn.specs;
  const values: (WireTypedValue | null | undefined)[] = new Array(specs.length);
  let found = 0;
  for (const state of batch.state ?? []) {
    const i = fn.index.get(state.stateName ?? "");
    if (i === undefined || values[i] !== undefined) continue;
    values[i] = (state.stateValue as WireTypedValue | null | undefined) ?? null;
    found++;
  }
  if (found < specs.length) {
    const missing = [];
    for (let i = 0; i < specs.length; i++)
      if (values[i] === undefined) missing.push(fn.missingSpecs[i]!);
    return FromFunction.encode({
      incompleteInvocationContext: { missingValues: missing },
    }).finish();
  }

  const id = target.id ?? "";
  const self: Address = { functionType: fn.functionType, id };
  const run: BatchRun = {
    fn,
    typeText,
    id,
    self,
    storage: new BatchStorage(specs, fn.index, values, self),
    effects: new BatchEffects(),
    invocations: batch.invocations ?? [],
  };
  const count = run.invocations.length;
  for (let n = 0; n < count; n++) {
    const pending = invokeOne(run, n);
    if (pending !== undefined) {
      const deadline = new BatchDeadline(timeoutMs, `${typeText}:${id}`, count);
      deadline.current = n;
      return deadline.guard(finishAsync(run, n, pending, deadline));
    }
  }
  return finish(run);
}

/** One batch being run. */
interface BatchRun {
  readonly fn: RegisteredFunction;
  readonly typeText: string;
  readonly id: string;
  readonly self: Address;
  readonly storage: BatchStorage;
  readonly effects: BatchEffects;
  readonly invocations: readonly io.statefun.sdk.reqreply.ToFunction.IInvocation[];
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
  const argument = invocation.argument;
  const message = new Message(argument?.typename ?? "", argument?.value);
  try {
    const result = run.fn.run(ctx, message);
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
    `function ${run.typeText}:${run.id} failed on invocation ${n + 1} of ${run.invocations.length}: ${describeError(error)}`,
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
  return encodeInvocationResult({
    stateMutations,
    outgoingMessages: run.effects.messages,
    delayedInvocations: run.effects.delayed,
    outgoingEgresses: run.effects.egress,
  });
}

// The last function found (the map of a handler never changes, and the reader hands out the same
// string instances for repeated namespaces and types): skips building and hashing the key.
let lastFunctions: ReadonlyMap<string, RegisteredFunction> | undefined;
let lastNamespace: string | null | undefined;
let lastType: string | null | undefined;
let lastFn: RegisteredFunction | undefined;

function lookup(
  functions: ReadonlyMap<string, RegisteredFunction>,
  namespace: string | null | undefined,
  type: string | null | undefined,
): RegisteredFunction {
  if (functions === lastFunctions && namespace === lastNamespace && type === lastType)
    return lastFn!;
  const typeText = `${namespace}/${type}`;
  const fn = functions.get(typeText);
  if (fn === undefined) {
    const served = [...functions.keys()].join(", ") || "(none)";
    throw new UnknownFunctionError(
      `unknown function type ${typeText}; this handler serves: ${served}`,
    );
  }
  lastFunctions = functions;
  lastNamespace = namespace;
  lastType = type;
  lastFn = fn;
  return fn;
}

function toCaller(
  caller: io.statefun.sdk.reqreply.IAddress | null | undefined,
): Address | undefined {
  if (!caller) return undefined;
  const namespace = caller.namespace ?? "";
  const type = caller.type ?? "";
  const id = caller.id ?? "";
  if (namespace === "" && type === "" && id === "") return undefined;
  // Callers of a batch are mostly of one type (the reader hands out the same string instances).
  if (namespace === lastCallerNamespace && type === lastCallerType)
    return { functionType: lastCallerTypeName!, id };
  const functionType = parseTypeName(`${namespace}/${type}`);
  if (functionType instanceof TypeNameError) {
    throw new InvalidRequestError(
      `invocation caller ${namespace}/${type}:${id} has a malformed function type: ${functionType.message}`,
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
