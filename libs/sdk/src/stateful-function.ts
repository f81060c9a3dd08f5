// The function interfaces: a StatefulFunction, a plain function, and the spec that registers
// one. Types only.

import type { Context } from "./context.js";
import type { Message } from "./message.js";
import type { TypeName } from "./type-name.js";
import type { ValueSpec } from "./value-spec.js";

/** A stateful function: handles one message at a time for one address. May be async. */
export interface StatefulFunction {
  /** Handles `message` for the address `ctx.self`; state writes and sends take effect when it returns. */
  invoke(ctx: Context, message: Message): void | Promise<void>;
}

/** A stateful function written as a plain function. */
export type StatefulFunctionFn = (ctx: Context, message: Message) => void | Promise<void>;

/** A function type, the states it declares and its implementation, for `withSpec`. */
export interface StatefulFunctionSpec {
  /** The function type served, e.g. `typeNameFrom("com.example.fns/greeter")`. */
  readonly functionType: TypeName;
  /** The states it reads and writes (the runtime provides them with each batch). */
  readonly states?: readonly ValueSpec<unknown>[];
  /** The implementation: a plain function or an object with `invoke`. */
  readonly function: StatefulFunction | StatefulFunctionFn;
}
