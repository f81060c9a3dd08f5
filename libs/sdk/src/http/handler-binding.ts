/**
 * What a handler from `asHandler()` carries for servers that drive it below node:http (the
 * dedicated StateFun server): the dispatcher that may reply synchronously, and the resolved
 * handler options. Attached under a symbol, so it is not part of the handler's public shape.
 */

import type { ResolvedHandlerOptions } from "../handler-options.js";

/** The dispatcher and options behind a handler. */
export interface HandlerBinding {
  readonly invoke: (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>;
  readonly options: ResolvedHandlerOptions;
}

/** The key of a handler's {@link HandlerBinding}. */
export const HANDLER_BINDING: unique symbol = Symbol("statefun.handlerBinding");

/** The binding of `handler`, when it came from `asHandler()`. */
export function bindingOf(handler: unknown): HandlerBinding | undefined {
  if (typeof handler !== "function") return undefined;
  return (handler as { [HANDLER_BINDING]?: HandlerBinding })[HANDLER_BINDING];
}
