// The runtime's wire codec on its own: the ToFunction request it builds for a batch (states with
// and without a value, callers only when there is one), the store's shape of a typed value, the
// egress record decoders and the string-wrapper reader the ingress checks text with. Found
// missing by the mutation run (wire-codec.ts).
import {
  kafkaProducerRecordCodec,
  kinesisEgressRecordCodec,
  toFunctionCodec,
} from "@statefun-ts/sdk/wire";
import { describe, expect, it } from "vitest";
import {
  decodeKafkaRecord,
  decodeKinesisRecord,
  encodeToFunction,
  stringWrapperBytes,
  toStoredValue,
} from "../src/wire-codec.js";

const bytes = (...values: number[]) => new Uint8Array(values);
const hex = (value: Uint8Array | null | undefined) => Buffer.from(value ?? []).toString("hex");

describe("encodeToFunction", () => {
  it("writes the target, the states (a value only when there is one) and each message", () => {
    const target = { namespace: "ns", type: "fn", id: "7" };
    const caller = { namespace: "ns", type: "caller", id: "1" };
    const encoded = encodeToFunction(
      target,
      [
        { name: "seen", typename: "io.statefun.types/int", value: bytes(0x0d, 1, 0, 0, 0) },
        { name: "missing", typename: "io.statefun.types/int", value: undefined },
      ],
      [
        { seq: 1, target, caller, argument: { typename: "t/a", hasValue: true, value: bytes(1) } },
        {
          seq: 2,
          target,
          caller: undefined,
          argument: { typename: "t/b", hasValue: false, value: bytes() },
        },
      ],
    );
    const invocation = toFunctionCodec.decode(encoded).invocation!;
    expect(invocation.target).toEqual(target);
    expect(
      (invocation.state ?? []).map((s) => ({
        name: s.stateName,
        present: s.stateValue != null,
        typename: s.stateValue?.typename,
        hasValue: s.stateValue?.hasValue,
        value: hex(s.stateValue?.value),
      })),
    ).toEqual([
      {
        name: "seen",
        present: true,
        typename: "io.statefun.types/int",
        hasValue: true,
        value: "0d01000000",
      },
      { name: "missing", present: false, typename: undefined, hasValue: undefined, value: "" },
    ]);
    expect(
      (invocation.invocations ?? []).map((i) => ({
        caller: i.caller ?? null,
        typename: i.argument?.typename,
        hasValue: i.argument?.hasValue,
        value: hex(i.argument?.value),
      })),
    ).toEqual([
      { caller, typename: "t/a", hasValue: true, value: "01" },
      { caller: null, typename: "t/b", hasValue: false, value: "" },
    ]);
  });
});

describe("toStoredValue", () => {
  it("keeps a wire value's fields", () => {
    expect(toStoredValue({ typename: "t/x", hasValue: true, value: bytes(1, 2) })).toEqual({
      typename: "t/x",
      hasValue: true,
      value: bytes(1, 2),
    });
  });

  it.each([null, undefined, {}])(
    "fills an absent value or its absent fields with defaults (%j)",
    (value) => {
      expect(toStoredValue(value)).toEqual({ typename: "", hasValue: false, value: bytes() });
    },
  );
});

describe("egress record decoders", () => {
  it("decodeKafkaRecord keeps the topic, key and value", () => {
    const encoded = kafkaProducerRecordCodec.encode({
      topic: "greetings",
      key: "Bob",
      valueBytes: bytes(7, 8),
    });
    const record = decodeKafkaRecord(encoded);
    expect({ ...record, value: hex(record.value) }).toEqual({
      topic: "greetings",
      key: "Bob",
      value: "0708",
    });
  });

  it("decodeKinesisRecord keeps the stream, partition key and value", () => {
    const encoded = kinesisEgressRecordCodec.encode({
      stream: "s",
      partitionKey: "p",
      explicitHashKey: "h",
      valueBytes: bytes(9),
    });
    const record = decodeKinesisRecord(encoded);
    expect({ ...record, value: hex(record.value) }).toEqual({
      stream: "s",
      partitionKey: "p",
      value: "09",
    });
  });

  it("throw on bytes that are not such a record", () => {
    expect(() => decodeKafkaRecord(bytes(0x0a, 9, 1))).toThrow();
    expect(() => decodeKinesisRecord(bytes(0x0a, 9, 1))).toThrow();
  });
});

describe("stringWrapperBytes", () => {
  it("gives the text bytes inside a wrapper, as a view of the input", () => {
    const wrapper = bytes(0x0a, 2, 0x68, 0x69);
    const inner = stringWrapperBytes(wrapper);
    expect(inner).toEqual(bytes(0x68, 0x69));
    expect(inner?.buffer).toBe(wrapper.buffer);
    expect(inner?.byteOffset).toBe(2);
  });

  it("reads a length written with five varint bytes (valid protobuf, not minimal)", () => {
    expect(stringWrapperBytes(bytes(0x0a, 0x81, 0x80, 0x80, 0x80, 0x00, 0x41))).toEqual(
      bytes(0x41),
    );
  });

  it("gives no bytes for the empty wrapper (an empty string)", () => {
    expect(stringWrapperBytes(bytes())).toEqual(bytes());
    expect(stringWrapperBytes(bytes(0x0a, 0))).toEqual(bytes());
  });

  it("reads multi-byte lengths", () => {
    for (const length of [127, 128, 300, 16_384]) {
      const text = new Uint8Array(length).fill(0x61);
      const lengthBytes: number[] = [];
      let rest = length;
      while (rest >= 0x80) {
        lengthBytes.push((rest & 0x7f) | 0x80);
        rest >>>= 7;
      }
      lengthBytes.push(rest);
      const wrapper = Uint8Array.from([0x0a, ...lengthBytes, ...text]);
      expect(stringWrapperBytes(wrapper)).toEqual(text);
    }
  });

  it.each([
    ["another field first", bytes(0x12, 1, 0x61)],
    ["a length running past the end", bytes(0x0a, 3, 0x61)],
    ["bytes after the string", bytes(0x0a, 1, 0x61, 0x62)],
    ["a tag without a length", bytes(0x0a)],
    ["a length cut in the middle", bytes(0x0a, 0x80)],
    ["a length of more than five bytes", bytes(0x0a, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)],
  ])("is undefined for %s", (_, input) => {
    expect(stringWrapperBytes(input)).toBeUndefined();
  });
});
