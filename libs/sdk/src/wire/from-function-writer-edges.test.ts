// encodeInvocationResult at its edges, against the generated encoder byte for byte: delays and
// value lengths at every varint boundary, long strings with lone surrogates (the two string
// routines differ there), and the RangeErrors for what the protocol cannot carry. Found missing
// by the mutation run (from-function-writer.ts).

import { describe, expect, it } from "vitest";
import { io } from "../generated/statefun.js";
import type { WireInvocationResult } from "./from-function-shapes.js";
import { encodeInvocationResult } from "./from-function-writer.js";

const { FromFunction } = io.statefun.sdk.reqreply;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const target = { namespace: "ns", type: "fn", id: "a" };
const argument = { typename: "t/x", hasValue: true, value: new Uint8Array([1]) };

function same(result: WireInvocationResult): void {
  // the same plain object, seen as the generated encoder's (mutable) input type
  const input =
    result as unknown as io.statefun.sdk.reqreply.FromFunction.InvocationResponse.$Properties;
  const expected = hex(FromFunction.encode({ invocationResult: input }).finish());
  expect(hex(encodeInvocationResult(result))).toBe(expected);
}
const only = (part: Partial<WireInvocationResult>): WireInvocationResult => ({
  stateMutations: [],
  outgoingMessages: [],
  delayedInvocations: [],
  outgoingEgresses: [],
  ...part,
});

describe("encodeInvocationResult at the varint boundaries", () => {
  // the last value of each varint length and the first of the next, up to 8 bytes
  const boundaries = [7, 14, 21, 28, 35, 42, 49].flatMap((bits) => [2 ** bits - 1, 2 ** bits]);

  it.each(boundaries)("a delay of %i ms", (delayInMs) => {
    same(only({ delayedInvocations: [{ delayInMs, target, argument }] }));
  });

  it("the largest safe delay", () => {
    same(only({ delayedInvocations: [{ delayInMs: Number.MAX_SAFE_INTEGER, target, argument }] }));
  });

  it.each([127, 128, 16_383, 16_384, 2_097_151, 2_097_152])("a value of %i bytes", (length) => {
    const value = new Uint8Array(length).fill(7);
    same(
      only({
        outgoingEgresses: [
          {
            egressNamespace: "e",
            egressType: "k",
            argument: { typename: "t/b", hasValue: true, value },
          },
        ],
      }),
    );
  });

  it.each([31, 32, 33])("a value of %i bytes (the copy loop's limit)", (length) => {
    const value = Uint8Array.from({ length }, (_, i) => i + 1);
    same(
      only({
        outgoingMessages: [{ target, argument: { typename: "t/b", hasValue: true, value } }],
      }),
    );
  });
});

describe("encodeInvocationResult with unusual strings", () => {
  it.each([39, 40, 41, 80])(
    "a typename of %i UTF-16 units with a lone surrogate, as the generated encoder writes it",
    (length) => {
      const typename = `t/${"\ud800".repeat(length - 2)}`;
      same(
        only({
          outgoingMessages: [
            { target, argument: { typename, hasValue: true, value: new Uint8Array(0) } },
          ],
        }),
      );
    },
  );

  it.each([39, 40, 41])("an id of %i non-ASCII characters", (length) => {
    same(only({ outgoingMessages: [{ target: { ...target, id: "é".repeat(length) }, argument }] }));
  });

  it("empty egress parts and an empty typename are left out, as the generated encoder does", () => {
    same(
      only({
        stateMutations: [
          {
            mutationType: 1,
            stateName: "",
            stateValue: { typename: "", hasValue: false, value: new Uint8Array(0) },
          },
        ],
        outgoingEgresses: [
          {
            egressNamespace: "",
            egressType: "",
            argument: { typename: "", hasValue: false, value: new Uint8Array(0) },
          },
        ],
      }),
    );
  });
});

describe("encodeInvocationResult refuses what the protocol cannot carry", () => {
  it.each([-1, 1.5, Number.MAX_SAFE_INTEGER + 1])("a delay of %d", (delayInMs) => {
    expect(() =>
      encodeInvocationResult(only({ delayedInvocations: [{ delayInMs, target, argument }] })),
    ).toThrow(new RangeError("unsupported delay"));
  });

  it("a mutation type other than DELETE and MODIFY", () => {
    expect(() =>
      encodeInvocationResult(only({ stateMutations: [{ mutationType: 2 as 1, stateName: "s" }] })),
    ).toThrow(new RangeError("unsupported mutation type"));
    // and the next reply is written correctly (no state left behind by the failed one)
    same(only({ outgoingMessages: [{ target, argument }] }));
  });
});
