// Test helpers: build ToFunction requests and read FromFunction replies with the generated code,
// independently of the SDK's own conversion code.
import { io } from "../src/generated/statefun.js";

const { ToFunction, FromFunction } = io.statefun.sdk.reqreply;

export interface TestTypedValue {
  typename: string;
  hasValue?: boolean;
  value?: Uint8Array;
}

export interface TestInvocation {
  caller?: { namespace: string; type: string; id: string };
  argument?: TestTypedValue;
}

export interface TestRequest {
  target: { namespace: string; type: string; id: string };
  /** State name -> value; `null` = present without value. */
  states?: Record<string, TestTypedValue | null>;
  invocations: TestInvocation[];
}

/** Encodes a ToFunction request. */
export function toFunction(request: TestRequest): Uint8Array {
  return ToFunction.encode({
    invocation: {
      target: request.target,
      state: Object.entries(request.states ?? {}).map(([stateName, value]) =>
        value === null ? { stateName } : { stateName, stateValue: { hasValue: true, ...value } },
      ),
      invocations: request.invocations,
    },
  }).finish();
}

/** Decodes a FromFunction reply. */
export function fromFunction(bytes: Uint8Array): io.statefun.sdk.reqreply.FromFunction {
  return FromFunction.decode(bytes);
}

/** Decodes an InvocationResponse, failing when the reply is something else. */
export function invocationResult(
  bytes: Uint8Array,
): io.statefun.sdk.reqreply.FromFunction.InvocationResponse {
  const reply = fromFunction(bytes);
  if (!reply.invocationResult)
    throw new Error(`expected an invocation result, got ${JSON.stringify(reply.toJSON())}`);
  return reply.invocationResult as io.statefun.sdk.reqreply.FromFunction.InvocationResponse;
}

/** A string argument TypedValue (StringWrapper bytes). */
export function stringValue(text: string): TestTypedValue {
  return {
    typename: "io.statefun.types/string",
    hasValue: true,
    value: io.statefun.sdk.types.StringWrapper.encode({ value: text }).finish(),
  };
}

/** An int TypedValue (IntWrapper bytes). */
export function intValue(value: number): TestTypedValue {
  return {
    typename: "io.statefun.types/int",
    hasValue: true,
    value: io.statefun.sdk.types.IntWrapper.encode({ value }).finish(),
  };
}

/** Hex string of bytes, for readable byte-exact assertions. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

export { io };

/** JSON values, as produced by protobufjs' toObject. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A FromFunction reply as JSON (int64 as strings, enums by name, bytes as base64). */
export function replyJson(bytes: Uint8Array): { [key: string]: Json } {
  return io.statefun.sdk.reqreply.FromFunction.toObject(fromFunction(bytes), {
    longs: String,
    enums: String,
    bytes: String,
  }) as {
    [key: string]: Json;
  };
}
