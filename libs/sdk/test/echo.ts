// Test helpers for the HTTP tests: the batch of one string message to com.example/echo, and the
// string an echo function sent back in its reply.

import { StringType } from "../src/types/built-in-types.js";
import { invocationResult, stringValue, toFunction } from "./wire.js";

/** A ToFunction batch to com.example/echo id 1 with one string message. */
export function echoBatch(text: string): Buffer {
  return Buffer.from(
    toFunction({
      target: { namespace: "com.example", type: "echo", id: "1" },
      invocations: [{ argument: stringValue(text) }],
    }),
  );
}

/** The string value of the first message a reply sends. */
export function echoed(bytes: Uint8Array): string {
  return StringType.deserialize(invocationResult(bytes).outgoingMessages[0]!.argument!.value!);
}
