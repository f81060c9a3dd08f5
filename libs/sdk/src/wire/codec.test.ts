// Property tests of the hand-written codecs: the FromFunction writer writes the generated
// encoder's bytes, the ToFunction reader reads what the generated decoder reads.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { io } from "../generated/statefun.js";
import { StringType } from "../types/built-in-types.js";
import { encodeInvocationResult } from "./from-function-writer.js";
import { readToFunction } from "./to-function-reader.js";

const { ToFunction, FromFunction } = io.statefun.sdk.reqreply;

// Strings of any UTF-16 code units (lone surrogates included), short and long (the generated
// encoder switches string routines at 40 and 128 code units).
const text = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
  fc.string({ unit: "binary", minLength: 35, maxLength: 200 }),
  fc.constantFrom("", "com.example.fns", "io.statefun.types/string"),
);
const address = fc.record({ namespace: text, type: text, id: text });
const typedValue = fc.record({
  typename: text,
  hasValue: fc.boolean(),
  value: fc.oneof(
    fc.uint8Array({ maxLength: 40 }),
    fc.uint8Array({ minLength: 120, maxLength: 300 }),
  ),
});
const mutation = fc.oneof(
  fc.record({ mutationType: fc.constant(0 as const), stateName: text }),
  fc.record({
    mutationType: fc.constantFrom(0 as const, 1 as const),
    stateName: text,
    stateValue: typedValue,
  }),
);
const delayed = fc.oneof(
  fc.record(
    {
      delayInMs: fc.oneof(fc.nat(200), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
      target: address,
      argument: typedValue,
      cancellationToken: text,
    },
    { requiredKeys: ["delayInMs", "target", "argument"] },
  ),
  fc.record({ isCancellationRequest: fc.boolean(), cancellationToken: text }),
);
const egress = fc.record({ egressNamespace: text, egressType: text, argument: typedValue });
const invocationResult = fc.record({
  stateMutations: fc.array(mutation, { maxLength: 4 }),
  outgoingMessages: fc.array(fc.record({ target: address, argument: typedValue }), {
    maxLength: 6,
  }),
  delayedInvocations: fc.array(delayed, { maxLength: 3 }),
  outgoingEgresses: fc.array(egress, { maxLength: 3 }),
});

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

describe("encodeInvocationResult (property)", () => {
  it("writes exactly the bytes of the generated FromFunction encoder", () => {
    fc.assert(
      fc.property(invocationResult, (result) => {
        const ours = encodeInvocationResult(result);
        const generated = FromFunction.encode({ invocationResult: result }).finish();
        expect(hex(ours)).toBe(hex(generated));
        let decoded: unknown;
        try {
          decoded = FromFunction.toObject(FromFunction.decode(generated));
        } catch {
          return; // lone surrogates: not valid UTF-8 for any decoder
        }
        // decoded from a Buffer as the generated encoder's bytes are (bytes fields are Buffers then)
        expect(FromFunction.toObject(FromFunction.decode(Buffer.from(ours)))).toEqual(decoded);
      }),
      { numRuns: 500 },
    );
  });

  it("writes the same bytes when messages and delays share a few addresses, across calls", () => {
    const pool = fc.constantFrom(
      { namespace: "com.example.fns", type: "inbox", id: "Alice" },
      { namespace: "com.example.fns", type: "inbox", id: "Bob" },
      { namespace: "", type: "inbox", id: "" },
      { namespace: "ns", type: "x".repeat(300), id: "long" },
    );
    const shared = fc.record({
      stateMutations: fc.array(mutation, { maxLength: 1 }),
      outgoingMessages: fc.array(fc.record({ target: pool, argument: typedValue }), {
        maxLength: 8,
      }),
      delayedInvocations: fc.array(
        fc.record({ delayInMs: fc.nat(1000), target: pool, argument: typedValue }),
        { maxLength: 3 },
      ),
      outgoingEgresses: fc.array(egress, { maxLength: 1 }),
    });
    fc.assert(
      fc.property(fc.array(shared, { minLength: 1, maxLength: 4 }), (results) => {
        for (const result of results) {
          const generated = FromFunction.encode({ invocationResult: result }).finish();
          expect(hex(encodeInvocationResult(result))).toBe(hex(generated));
        }
      }),
      { numRuns: 300 },
    );
    // a failed encoding (negative delay) leaves no stale address behind
    const target = { namespace: "a", type: "b", id: "c" };
    const argument = { typename: "t/x", hasValue: true, value: new Uint8Array([1]) };
    expect(() =>
      encodeInvocationResult({
        stateMutations: [],
        outgoingMessages: [{ target, argument }],
        delayedInvocations: [{ delayInMs: -1, target, argument }],
        outgoingEgresses: [],
      }),
    ).toThrow(RangeError);
    const after = {
      stateMutations: [],
      outgoingMessages: [{ target, argument }],
      delayedInvocations: [],
      outgoingEgresses: [],
    };
    expect(hex(encodeInvocationResult(after))).toBe(
      hex(FromFunction.encode({ invocationResult: after }).finish()),
    );
  });

  it("encodes an empty result as an empty invocation_result", () => {
    const empty = {
      stateMutations: [],
      outgoingMessages: [],
      delayedInvocations: [],
      outgoingEgresses: [],
    };
    expect(hex(encodeInvocationResult(empty))).toBe("a20600");
  });
});

const request = fc.record({
  invocation: fc.option(
    fc.record(
      {
        target: address,
        state: fc.array(
          fc.record({ stateName: text, stateValue: typedValue }, { requiredKeys: ["stateName"] }),
          { maxLength: 4 },
        ),
        invocations: fc.array(
          fc.record({ caller: address, argument: typedValue }, { requiredKeys: [] }),
          { maxLength: 5 },
        ),
      },
      { requiredKeys: ["state", "invocations"] },
    ),
    { nil: null },
  ),
});

/** What the dispatcher reads of a decoded batch, from either decoder. */
function view(
  batch: io.statefun.sdk.reqreply.ToFunction.IInvocationBatchRequest | null | undefined,
) {
  if (!batch) return null;
  const addr = (a: io.statefun.sdk.reqreply.IAddress | null | undefined) =>
    a ? [a.namespace ?? "", a.type ?? "", a.id ?? ""] : null;
  const tv = (v: io.statefun.sdk.reqreply.ITypedValue | null | undefined) =>
    v ? [v.typename ?? "", Boolean(v.hasValue), hex(v.value ?? new Uint8Array(0))] : null;
  return {
    target: addr(batch.target),
    state: (batch.state ?? []).map((s) => [s.stateName ?? "", tv(s.stateValue)]),
    invocations: (batch.invocations ?? []).map((i) => [addr(i.caller), tv(i.argument)]),
  };
}

describe("readToFunction (property)", () => {
  it("reads what the generated decoder reads, from Buffers and plain Uint8Arrays", () => {
    fc.assert(
      fc.property(request, fc.boolean(), (message, asBuffer) => {
        const encoded = ToFunction.encode(message).finish();
        const bytes = asBuffer ? Buffer.from(encoded) : new Uint8Array(encoded);
        const ours = readToFunction(bytes);
        let generated: ReturnType<typeof view>;
        try {
          generated = view(ToFunction.decode(bytes).invocation);
        } catch {
          expect(ours).toBeUndefined(); // invalid UTF-8: left to the generated decoder's error
          return;
        }
        expect(ours).not.toBeUndefined();
        expect(view(ours)).toEqual(generated);
      }),
      { numRuns: 500 },
    );
  });

  it("on arbitrary bytes either reads what the generated decoder reads or gives up", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        const ours = readToFunction(bytes);
        if (ours === undefined) return;
        expect(view(ours)).toEqual(view(ToFunction.decode(bytes).invocation));
      }),
      { numRuns: 2000 },
    );
  });

  it("skips unknown fields like the generated decoder", () => {
    const batch = ToFunction.InvocationBatchRequest.encode({
      target: { namespace: "ns", type: "fn", id: "a" },
    }).finish();
    // unknown varint field 7 and fixed32 field 9 around the batch (field 100)
    const bytes = Buffer.concat([
      Buffer.from([0x38, 0x96, 0x01, 0x4d, 1, 2, 3, 4, 0xa2, 0x06, batch.length]),
      batch,
    ]);
    expect(view(readToFunction(bytes))).toEqual(view(ToFunction.decode(bytes).invocation));
    expect(readToFunction(bytes)?.target).toEqual({ namespace: "ns", type: "fn", id: "a" });
  });
});

describe("StringType fast paths (property)", () => {
  const { StringWrapper } = io.statefun.sdk.types;
  it("short ASCII strings: the generated wrapper's bytes, and back", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary-ascii", minLength: 1, maxLength: 140 }),
        fc.string({ unit: "grapheme", maxLength: 3 }),
        (ascii, tail) => {
          for (const text of [ascii, ascii + tail]) {
            const bytes = StringType.serialize(text);
            expect(hex(bytes)).toBe(hex(StringWrapper.encode({ value: text }).finish()));
            expect(StringType.deserialize(bytes)).toBe(text);
            expect(StringType.deserialize(new Uint8Array(bytes))).toBe(text);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
