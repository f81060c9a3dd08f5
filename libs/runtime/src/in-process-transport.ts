// A function transport that calls SDK handlers in process (tests, @statefun-ts/testing).
import { describeError, FunctionCallError } from "./errors.js";
import type { FunctionTransport } from "./function-transport.js";

/** Handles one ToFunction request in process: an SDK handler's `invoke`. */
export type FunctionInvoker = (request: Uint8Array) => Promise<Uint8Array>;

/**
 * A transport that hands ToFunction bytes straight to an in-process handler (no HTTP, no
 * retries): `invokerOf` picks the handler of a function type. A handler that throws fails the
 * call with a FunctionCallError whose cause is the thrown error.
 */
export function inProcessTransport(
  invokerOf: (functionType: string) => FunctionInvoker | undefined,
): FunctionTransport {
  return {
    async call(request, options) {
      const invoke = invokerOf(request.functionType);
      if (!invoke) {
        throw new FunctionCallError(
          `no in-process handler serves function type ${request.functionType} (endpoint ${request.url})`,
        );
      }
      if (options.signal?.aborted) {
        throw new FunctionCallError(
          `call to ${request.functionType} not made: the runtime is shutting down`,
        );
      }
      try {
        return await invoke(request.body);
      } catch (error) {
        throw new FunctionCallError(
          `${request.functionType} failed in process: ${describeError(error)}`,
          undefined,
          { cause: error },
        );
      }
    },
    close() {},
  };
}
