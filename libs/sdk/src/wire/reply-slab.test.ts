// The FromFunction writer hands out replies as views of a shared slab: replies of every size are
// the generated encoder's bytes, and no reply is overwritten by the ones written after it.

import { describe, expect, it } from "vitest";
import { io } from "../generated/statefun.js";
import type { WireInvocationResult } from "./from-function-shapes.js";
import { encodeInvocationResult } from "./from-function-writer.js";

const { FromFunction } = io.statefun.sdk.reqreply;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** A reply of `messages` messages, each with a value of `valueBytes` bytes (a pattern from `seed`). */
function reply(messages: number, valueBytes: number, seed: number): WireInvocationResult {
  return {
    stateMutations: [
      {
        mutationType: 1,
        stateName: "seen_count",
        stateValue: { typename: "io.statefun.types/int", hasValue: true, int32: seed },
      },
    ],
    outgoingMessages: Array.from({ length: messages }, (_, i) => ({
      target: { namespace: "com.example.fns", type: "inbox", id: `id-${seed}-${i}` },
      argument:
        i % 2
          ? {
              typename: "io.statefun.types/string",
              hasValue: true as const,
              text: `Hello ${seed}/${i} ${"é".repeat(i % 50)}`,
            }
          : {
              typename: "com.example/bytes",
              hasValue: true,
              value: Uint8Array.from({ length: valueBytes }, (_, k) => (k * 31 + seed + i) & 0xff),
            },
    })),
    delayedInvocations: [],
    outgoingEgresses: [],
  };
}

/** `IntWrapper { sfixed32 value }` (no bytes for 0, as proto3 writes it). */
function int32Wrapper(value: number): Uint8Array {
  if (value === 0) return new Uint8Array(0);
  const bytes = Buffer.alloc(5);
  bytes[0] = 0x0d;
  bytes.writeInt32LE(value, 1);
  return bytes;
}

/** What the generated encoder writes (the WireInt32Value and text shapes spelled out). */
function generated(result: WireInvocationResult): string {
  const plain = {
    ...result,
    delayedInvocations: [...result.delayedInvocations],
    outgoingEgresses: [...result.outgoingEgresses],
    stateMutations: result.stateMutations.map((m) => ({
      ...m,
      stateValue: {
        typename: "io.statefun.types/int",
        hasValue: true,
        value: int32Wrapper((m.stateValue as { int32: number }).int32),
      },
    })),
    outgoingMessages: result.outgoingMessages.map((m) => {
      const a = m.argument as { text?: string };
      if (a.text === undefined) return m;
      const text = Buffer.from(a.text, "utf8");
      const length = text.length;
      const prefix = length < 0x80 ? [0x0a, length] : [0x0a, (length & 0x7f) | 0x80, length >> 7];
      return {
        target: m.target,
        argument: {
          typename: "io.statefun.types/string",
          hasValue: true,
          value: Uint8Array.from([...prefix, ...text]),
        },
      };
    }),
  };
  return hex(FromFunction.encode({ invocationResult: plain }).finish());
}

describe("encodeInvocationResult: replies share a slab", () => {
  it("writes small, slab-sized and large replies (up to 1 MB) exactly as the generated encoder", () => {
    for (const [messages, valueBytes] of [
      [1, 4],
      [10, 40],
      [100, 60],
      [40, 400], // about one slab
      [300, 300], // several slabs: a buffer of its own
      [2000, 500], // about 1 MB
      [3, 10],
    ] as const) {
      const result = reply(messages, valueBytes, messages);
      expect(hex(encodeInvocationResult(result))).toBe(generated(result));
    }
  });

  it("never overwrites a reply handed out before", () => {
    const kept: { bytes: Uint8Array; expected: string }[] = [];
    for (let i = 0; i < 400; i++) {
      const result = reply(1 + (i % 13), 8 + ((i * 7) % 90), i);
      const bytes = encodeInvocationResult(result);
      kept.push({ bytes, expected: hex(bytes) });
      if (i % 97 === 0) encodeInvocationResult(reply(200, 300, i)); // a large one in between
    }
    for (const { bytes, expected } of kept) expect(hex(bytes)).toBe(expected);
    // and the first of them are still what the generated encoder writes
    expect(kept[0]!.expected).toBe(generated(reply(1, 8, 0)));
  });

  it("a large reply holds no more than 4/3 of its size", () => {
    for (const messages of [300, 700, 2000]) {
      const bytes = encodeInvocationResult(reply(messages, 300, messages));
      expect(bytes.buffer.byteLength * 3).toBeLessThanOrEqual(bytes.byteLength * 4);
    }
  });

  it("returns plain Uint8Arrays of exactly the reply", () => {
    const bytes = encodeInvocationResult(reply(1, 4, 1));
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteLength).toBe(generated(reply(1, 4, 1)).length / 2);
  });
});
