// decodeToFunction where the hand-written reader meets unusual bytes: unknown fields of every
// wire type inside each nested message (skipped, no fallback), varints at their limits, explicit
// empty strings, and the inputs it leaves to the generated decoder (a known field with another
// wire type, field 100 as a varint, an over-long varint), which must then read exactly what the
// generated decoder reads. Found missing by the mutation run (to-function-reader.ts,
// to-function-decoder.ts).

import { describe, expect, it } from "vitest";
import { io } from "../generated/statefun.js";
import { decodeToFunction } from "./to-function-decoder.js";
import { readToFunction, type WireReadBatch } from "./to-function-reader.js";

const { ToFunction } = io.statefun.sdk.reqreply;
const hex = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString("hex");

/** Protobuf building blocks. */
const varint = (value: number): number[] => {
  const out: number[] = [];
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return out;
};
const field = (number: number, bytes: number[]) => [
  ...varint((number << 3) | 2),
  ...varint(bytes.length),
  ...bytes,
];
const str = (number: number, text: string) => field(number, [...Buffer.from(text, "utf8")]);

// one unknown field of each wire type; values chosen at the edges (a varint byte 0x80 that
// continues, a fixed64 that ends exactly at the end of its message)
const UNKNOWN = [
  ...[0x78, 0x80, 0x01], // field 15, varint 128
  ...[0x79, 1, 2, 3, 4, 5, 6, 7, 8], // field 15, fixed64
  ...[0x7a, 2, 0x0a, 0x0b], // field 15, length-delimited
  ...[0x7d, 9, 9, 9, 9], // field 15, fixed32
];
const FIXED64_LAST = [0x79, 8, 7, 6, 5, 4, 3, 2, 1];

const address = (ns: string, type: string, id: string, extra: number[] = []) => [
  ...str(1, ns),
  ...str(2, type),
  ...str(3, id),
  ...extra,
];
const typedValue = (typename: string, value: number[], extra: number[] = []) => [
  ...str(1, typename),
  0x10,
  1,
  ...field(3, value),
  ...extra,
];
const toFunction = (batch: number[]) => Uint8Array.from(field(100, batch));

/** The plain view of a batch from the reader, the decoder or the generated decoder. */
function plain(batch: WireReadBatch | null | undefined) {
  if (!batch) return batch;
  const tv = (v: { typename: string; hasValue: boolean; value: Uint8Array } | null) =>
    v && { typename: v.typename, hasValue: v.hasValue, value: hex(v.value) };
  return {
    target: batch.target,
    state: batch.state.map((s) => ({ stateName: s.stateName, stateValue: tv(s.stateValue) })),
    invocations: batch.invocations.map((i) => ({ caller: i.caller, argument: tv(i.argument) })),
  };
}

/** What the generated decoder reads, in the same view (absent strings are ""). */
function generated(bytes: Uint8Array) {
  const batch = ToFunction.decode(bytes).invocation;
  if (!batch) return null;
  const addr = (a: io.statefun.sdk.reqreply.IAddress | null | undefined) =>
    a ? { namespace: a.namespace ?? "", type: a.type ?? "", id: a.id ?? "" } : null;
  const tv = (v: io.statefun.sdk.reqreply.ITypedValue | null | undefined) =>
    v ? { typename: v.typename ?? "", hasValue: Boolean(v.hasValue), value: hex(v.value) } : null;
  return {
    target: addr(batch.target),
    state: (batch.state ?? []).map((s) => ({
      stateName: s.stateName ?? "",
      stateValue: tv(s.stateValue),
    })),
    invocations: (batch.invocations ?? []).map((i) => ({
      caller: addr(i.caller),
      argument: tv(i.argument),
    })),
  };
}

describe("decodeToFunction on unusual but valid bytes", () => {
  it("skips unknown fields of every wire type inside each nested message without falling back", () => {
    const bytes = toFunction([
      ...field(1, address("ns", "fn", "a", UNKNOWN)),
      ...field(2, [...str(1, "seen"), ...field(2, typedValue("t/x", [5, 6], UNKNOWN)), ...UNKNOWN]),
      ...field(3, [
        ...field(1, address("ns", "caller", "c", FIXED64_LAST)),
        ...field(2, typedValue("t/y", [7], FIXED64_LAST)),
        ...UNKNOWN,
      ]),
      ...UNKNOWN,
    ]);
    const expected = {
      target: { namespace: "ns", type: "fn", id: "a" },
      state: [
        { stateName: "seen", stateValue: { typename: "t/x", hasValue: true, value: "0506" } },
      ],
      invocations: [
        {
          caller: { namespace: "ns", type: "caller", id: "c" },
          argument: { typename: "t/y", hasValue: true, value: "07" },
        },
      ],
    };
    expect(generated(bytes)).toEqual(expected);
    expect(plain(readToFunction(bytes))).toEqual(expected); // the reader itself, no fallback
    expect(plain(decodeToFunction(bytes))).toEqual(expected);
  });

  it("reads explicitly written empty strings as empty", () => {
    const bytes = toFunction([
      ...field(1, [...str(1, ""), ...str(2, "fn"), ...str(3, "")]),
      ...field(2, [...str(1, ""), ...field(2, [...str(1, "")])]),
    ]);
    const batch = readToFunction(bytes);
    expect(batch?.target).toEqual({ namespace: "", type: "fn", id: "" });
    expect(plain(batch)).toEqual(generated(bytes));
    expect(batch?.state[0]?.stateName).toBe("");
  });

  it("reads a message without a batch as null, and an empty batch as an empty one", () => {
    expect(decodeToFunction(Uint8Array.from([0x78, 0x01]))).toBeNull();
    expect(decodeToFunction(new Uint8Array(0))).toBeNull();
    expect(plain(decodeToFunction(toFunction([])))).toEqual({
      target: null,
      state: [],
      invocations: [],
    });
  });
});

describe("decodeToFunction where the reader gives up: the generated decoder's reading", () => {
  const cases: Array<[string, Uint8Array]> = [
    [
      // the target's namespace as a varint: the generated decoder reads it as a string anyway
      "a known field with another wire type",
      toFunction([...field(1, [0x08, 0x02, 0x68, 0x69, ...str(2, "fn")]), ...field(3, [])]),
    ],
    [
      "a typed value's bytes behind a known field with another wire type",
      toFunction([
        ...field(3, [...field(2, [0x0d, 1, 2, 3, 4, ...typedValue("t/x", [1, 2, 3])])]),
        ...field(2, [...str(1, "s"), ...field(2, typedValue("t/y", [9, 8]))]),
      ]),
    ],
    ["field 100 as a varint", Uint8Array.from([0xa0, 0x06, 0x00])],
    [
      "an unknown varint of ten bytes before the batch",
      Uint8Array.from([
        0x78,
        ...[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        ...field(100, field(1, address("ns", "fn", "z"))),
      ]),
    ],
    [
      "a tag varint of five bytes",
      Uint8Array.from([0xf8, 0xff, 0xff, 0xff, 0x0f, 0x00, ...field(100, [])]),
    ],
  ];

  it.each(cases)("%s", (_, bytes) => {
    const expected = generated(bytes);
    expect(plain(decodeToFunction(bytes))).toEqual(expected);
  });

  it("gives up on an unknown varint of eleven bytes, which the generated decoder skips", () => {
    const bytes = Uint8Array.from([
      0x78,
      ...[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      ...field(100, []),
    ]);
    expect(readToFunction(bytes)).toBeUndefined();
    expect(plain(decodeToFunction(bytes))).toEqual(generated(bytes));
    expect(plain(decodeToFunction(bytes))).toEqual({ target: null, state: [], invocations: [] });
  });

  it("gives up on a ten-byte unknown varint only when it is longer", () => {
    const ten = Uint8Array.from([
      0x78,
      ...[0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01],
      ...field(100, []),
    ]);
    expect(plain(readToFunction(ten))).toEqual({ target: null, state: [], invocations: [] });
  });

  it("gives up on a truncated fixed-size field", () => {
    for (const tail of [
      [0x79, 1, 2, 3],
      [0x7d, 1, 2],
    ]) {
      const bytes = Uint8Array.from([...field(100, []), ...tail]);
      expect(readToFunction(bytes)).toBeUndefined();
      expect(() => decodeToFunction(bytes)).toThrow();
    }
  });
});
