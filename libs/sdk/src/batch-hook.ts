// The one hook point of the observability glue (metrics, tracing): told when a batch starts and
// ends and when the runtime lacked states. The dispatcher checks for a hook once per batch;
// without one nothing here runs.

import type { Address } from "./address.js";
import type { RegisteredFunction } from "./function-registration.js";
import { type BatchRun, runBatch } from "./invocation-loop.js";

/** What observes one batch: ended once, with the error when the batch failed. */
export interface BatchScope {
  /** The function to run for each invocation: the registered one, or a wrapper around it. */
  readonly fn: RegisteredFunction;
  /** The batch ended: `error` is `undefined` when it succeeded. */
  end(error: unknown): void;
}

/** Observes the batches of a handler (built from `HandlerOptions.metrics` and `tracing`). */
export interface BatchHook {
  /** A batch of `size` invocations of `fn` at `self` starts. */
  begin(fn: RegisteredFunction, self: Address, size: number): BatchScope;
  /** The runtime lacked states of `fn`: the reply asks it to register them and retry. */
  missingStates(fn: RegisteredFunction, self: Address): void;
}

/** Runs a batch as `runBatch` does, under the hook's scope. */
export function runObservedBatch(hook: BatchHook, run: BatchRun): Uint8Array | Promise<Uint8Array> {
  const scope = hook.begin(run.fn, run.self, run.invocations.length);
  let reply: Uint8Array | Promise<Uint8Array>;
  try {
    reply = runBatch(scope.fn === run.fn ? run : { ...run, fn: scope.fn });
  } catch (error) {
    scope.end(error);
    throw error;
  }
  if (reply instanceof Uint8Array) {
    scope.end(undefined);
    return reply;
  }
  return reply.then(
    (bytes) => {
      scope.end(undefined);
      return bytes;
    },
    (error: unknown) => {
      scope.end(error);
      throw error;
    },
  );
}

/** Both hooks, in order (the second one's function wraps the first one's). */
export function combineHooks(first: BatchHook, second: BatchHook): BatchHook {
  return {
    begin(fn, self, size) {
      const a = first.begin(fn, self, size);
      const b = second.begin(a.fn, self, size);
      return {
        fn: b.fn,
        end(error) {
          b.end(error);
          a.end(error);
        },
      };
    },
    missingStates(fn, self) {
      first.missingStates(fn, self);
      second.missingStates(fn, self);
    },
  };
}
