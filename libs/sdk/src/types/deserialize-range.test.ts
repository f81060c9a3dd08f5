// deserializeRange (an int or string value read in place from the request payload) against the
// type's own deserialize of exactly those bytes: the same value or the same error, for canonical
// encodings, their look-alikes (other field tags, lengths that do not match, non-ASCII, unknown
// fields) and random bytes, placed among other bytes of a larger payload.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SimpleType } from "../simple-type.js";
import { BoolType, deserializeRange, Int32Type, Int64Type, StringType } from "./built-in-types.js";

/** The outcome of a read: its value, or its error's text. */
function outcome<T>(read: () => T): { value: T } | { error: string } {
  try {
    return { value: read() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** `bytes` inside a payload, between `before` and `after` bytes of 0xff, read as a range. */
function inPayload<T>(
  type: SimpleType<T>,
  bytes: readonly number[],
  before: number,
  after: number,
) {
  const payload = Uint8Array.from([
    ...new Array<number>(before).fill(0xff),
    ...bytes,
    ...new Array<number>(after).fill(0xff),
  ]);
  return outcome(() => deserializeRange(type, payload, before, before + bytes.length));
}

function expectSameAsDeserialize<T>(type: SimpleType<T>, bytes: readonly number[]): void {
  const expected = outcome(() => type.deserialize(Uint8Array.from(bytes)));
  for (const [before, after] of [
    [0, 0],
    [3, 0],
    [0, 2],
    [5, 7],
  ] as const) {
    expect(inPayload(type, bytes, before, after), `${bytes} at ${before}/${after}`).toEqual(
      expected,
    );
  }
}

const ascii = (text: string) => [...Buffer.from(text, "latin1")];

describe("deserializeRange", () => {
  it("reads a string as deserialize does, for canonical encodings and their look-alikes", () => {
    const cases: number[][] = [
      [],
      [0x0a, 0x00],
      [0x0a, 0x01, 0x41],
      [0x0a, 0x05, ...ascii("Alice")],
      [0x0a, 32, ...ascii("x".repeat(32))],
      [0x0a, 33, ...ascii("y".repeat(33))],
      [0x0a, 0x03, 0xc3, 0xa9, 0x41], // non-ASCII UTF-8
      [0x0a, 0x02, 0xc3, 0x28], // invalid UTF-8: the same error
      [0x0a, 0x02, 0x80, 0x41], // a lone continuation byte
      [0x12, 0x01, 0x41], // field 2 (unknown): the text of field 1 is ""
      [0x12, 0x05, ...ascii("Alice")],
      [0x0a, 0x02, 0x41], // a length beyond the value
      [0x0a, 0x01, 0x41, 0x42], // a length short of the value
      [0x0a, 0x81, 0x00, 0x41], // a non-minimal varint length (1 as two bytes)
      [0x0a, 0x01, 0x41, 0x12, 0x01, 0x42], // field 1 then an unknown field
      [0x12, 0x01, 0x42, 0x0a, 0x01, 0x41], // an unknown field, then field 1
      [0x0a, 0x01, 0x41, 0x0a, 0x01, 0x42], // field 1 twice: the last one wins
      [0x08, 0x01], // a varint field
    ];
    for (const bytes of cases) expectSameAsDeserialize(StringType, bytes);
  });

  it("reads an int32 as deserialize does, for the canonical fixed32 and its look-alikes", () => {
    const cases: number[][] = [
      [],
      [0x0d, 0x01, 0x00, 0x00, 0x00],
      [0x0d, 0xff, 0xff, 0xff, 0xff], // -1
      [0x0d, 0x00, 0x00, 0x00, 0x80], // -2^31
      [0x0d, 0x78, 0x56, 0x34, 0x12],
      [0x15, 0x01, 0x00, 0x00, 0x00], // field 2, fixed32 (unknown): 0
      [0x08, 0x07], // field 1 as a varint
      [0x0d, 0x01, 0x00, 0x00], // truncated
      [0x0d, 0x01, 0x00, 0x00, 0x00, 0x0d, 0x02, 0x00, 0x00, 0x00], // twice: the last one wins
      [0x0d, 0x01, 0x00, 0x00, 0x00, 0x00], // a trailing byte
    ];
    for (const bytes of cases) expectSameAsDeserialize(Int32Type, bytes);
  });

  it("hands other types exactly the value's bytes, even when they look like a string or an int", () => {
    expectSameAsDeserialize(BoolType, [0x08, 0x01]);
    expectSameAsDeserialize(Int64Type, [0x08, 0x80, 0x01]);
    const raw: SimpleType<string> = {
      typeName: StringType.typeName,
      serialize: (value) => Buffer.from(value, "hex"),
      deserialize: (bytes) => Buffer.from(bytes).toString("hex"),
    };
    expectSameAsDeserialize(raw, [0x0a, 0x01, 0x41]);
    expectSameAsDeserialize(raw, [0x0d, 0x01, 0x00, 0x00, 0x00]);
    expectSameAsDeserialize(raw, []);
  });

  it("agrees with deserialize on random bytes and on random strings, anywhere in a payload", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.nat(4),
        fc.nat(4),
        (bytes, before, after) => {
          const list = [...bytes];
          const string = outcome(() => StringType.deserialize(bytes));
          const int = outcome(() => Int32Type.deserialize(bytes));
          expect(inPayload(StringType, list, before, after)).toEqual(string);
          expect(inPayload(Int32Type, list, before, after)).toEqual(int);
        },
      ),
      { numRuns: 2_000 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.nat(4), fc.nat(4), (text, before, after) => {
        const bytes = [...StringType.serialize(text)];
        expect(inPayload(StringType, bytes, before, after)).toEqual({ value: text });
      }),
      { numRuns: 2_000 },
    );
  });
});
