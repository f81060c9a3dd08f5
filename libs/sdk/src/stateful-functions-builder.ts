// The builder of handlers: validates function specs, registers them and assembles the handler
// (dispatcher + node:http adapter). Holds no request handling.

import { ConfigurationError, describeValue } from "./errors.js";
import { type RegisteredFunction, registerFunction } from "./function-registration.js";
import { type HandlerOptions, resolveHandlerOptions } from "./handler-options.js";
import { createFetchHandler, type FetchHandler } from "./http/fetch.js";
import { HANDLER_BINDING, type HandlerBinding } from "./http/handler-binding.js";
import { createNodeListener } from "./http/node.js";
import { handlerHook } from "./observability/handler-hook.js";
import { createDirectDispatcher, createDispatcher } from "./request-dispatcher.js";
import type { RequestReplyHandler } from "./request-reply-handler.js";
import type { StatefulFunctionFn, StatefulFunctionSpec } from "./stateful-function.js";
import { isTypeName } from "./type-name.js";
import { type ValueSpec, validateValueSpec } from "./value-spec.js";

export type { HandlerOptions };

/** Collects function specs and builds the request-reply handler that serves them. */
export interface StatefulFunctionsBuilder {
  /** Registers a function; throws a {@link ConfigurationError} for a bad or duplicate spec. */
  withSpec(spec: StatefulFunctionSpec): StatefulFunctionsBuilder;
  /** The handler serving every registered function: a node:http/express listener. */
  asHandler(options?: HandlerOptions): RequestReplyHandler;
  /**
   * The same handler for fetch-style runtimes (Bun, Deno, Cloudflare Workers, Hono):
   * `(request: Request) => Promise<Response>`, with the same status rules and options.
   */
  asFetchHandler(options?: HandlerOptions): FetchHandler;
}

/** Starts a set of stateful functions, as the Go SDK's `StatefulFunctionsBuilder()`. */
export function statefulFunctionsBuilder(): StatefulFunctionsBuilder {
  const functions = new Map<string, RegisteredFunction>();
  const builder: StatefulFunctionsBuilder = {
    withSpec(spec) {
      const registered = validateSpec(spec);
      const key = registered.functionType.toString();
      if (functions.has(key)) {
        throw new ConfigurationError(
          `function ${key}: there is already a spec registered under that type`,
        );
      }
      functions.set(key, registered);
      return builder;
    },
    asHandler(options) {
      const resolved = resolveHandlerOptions(options);
      const snapshot = new Map(functions);
      const timeoutMs = resolved.invocationTimeoutMs;
      const hook = handlerHook(resolved);
      const invoke = createDispatcher(snapshot, timeoutMs, hook);
      // The adapters take the reply of a synchronous batch without a promise.
      const direct = createDirectDispatcher(snapshot, timeoutMs, hook);
      const listener = createNodeListener(direct, resolved);
      const binding: HandlerBinding = { invoke: direct, options: resolved };
      return Object.assign(listener, { invoke, [HANDLER_BINDING]: binding });
    },
    asFetchHandler(options) {
      const resolved = resolveHandlerOptions(options);
      return createFetchHandler(
        createDispatcher(new Map(functions), resolved.invocationTimeoutMs, handlerHook(resolved)),
        resolved,
      );
    },
  };
  return builder;
}

function validateSpec(spec: StatefulFunctionSpec): RegisteredFunction {
  if (typeof spec !== "object" || spec === null) {
    throw new ConfigurationError(
      `withSpec expects { functionType, states, function }, got ${describeValue(spec)}`,
    );
  }
  if (!isTypeName(spec.functionType)) {
    throw new ConfigurationError(
      `withSpec: functionType must be a TypeName, e.g. typeNameFrom("com.example.fns/greeter"), got ${describeValue(spec.functionType)}`,
    );
  }
  const type = spec.functionType.toString();
  const states: readonly ValueSpec<unknown>[] = spec.states ?? [];
  if (!Array.isArray(states)) {
    throw new ConfigurationError(
      `function ${type}: states must be an array of ValueSpecs, got ${describeValue(states)}`,
    );
  }
  const names = new Set<string>();
  for (const state of states) {
    validateValueSpec(state, type);
    if (names.has(state.name)) {
      throw new ConfigurationError(
        `function ${type}: state ${state.name} is declared more than once; state names must be unique`,
      );
    }
    names.add(state.name);
  }
  return registerFunction(spec.functionType, [...states], toFn(spec, type));
}

function toFn(spec: StatefulFunctionSpec, type: string): StatefulFunctionFn {
  const fn = spec.function;
  if (typeof fn === "function") return fn;
  if (typeof fn === "object" && fn !== null && typeof fn.invoke === "function")
    return (ctx, message) => fn.invoke(ctx, message);
  throw new ConfigurationError(
    `function ${type}: function must be a StatefulFunction (an object with invoke(ctx, message)) or a plain (ctx, message) => void function, got ${describeValue(fn)}`,
  );
}
