// Tests of the Kafka, Kinesis and generic egress builders: the exact record bytes and typenames,
// and the validation errors that name the builder and field.

import { describe, expect, it } from "vitest";
import { io } from "../../test/wire.js";
import { ConfigurationError } from "../errors.js";
import { typeNameFrom } from "../type-name.js";
import { Float64Type, Int32Type } from "../types/built-in-types.js";
import { makeJsonType } from "../types/json-type.js";
import { GenericEgressBuilder } from "./generic-egress-builder.js";
import { KafkaEgressBuilder } from "./kafka-egress-builder.js";
import { KinesisEgressBuilder } from "./kinesis-egress-builder.js";

const target = typeNameFrom("com.example/greets");
const kafka = (value: Uint8Array) => io.statefun.sdk.egress.KafkaProducerRecord.decode(value);

describe("KafkaEgressBuilder", () => {
  it("writes a KafkaProducerRecord under the exact typename", () => {
    const tv = new KafkaEgressBuilder({
      target,
      topic: "greetings",
      key: "Bob",
      value: "Hello Bob",
    }).toTypedValue();
    expect(tv.typename).toBe("type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord");
    expect(tv.hasValue).toBe(true);
    const record = kafka(tv.value);
    expect(record.toJSON()).toEqual({
      key: "Bob",
      topic: "greetings",
      valueBytes: Buffer.from("Hello Bob").toString("base64"),
    });
  });

  it("encodes values: string as UTF-8, Uint8Array as is, others with valueType", () => {
    const bytes = Uint8Array.from([0, 1, 255]);
    expect(
      Buffer.from(
        kafka(new KafkaEgressBuilder({ target, topic: "t", value: "é" }).toTypedValue().value)
          .valueBytes,
      ),
    ).toEqual(Buffer.from("é"));
    expect(
      Buffer.from(
        kafka(new KafkaEgressBuilder({ target, topic: "t", value: bytes }).toTypedValue().value)
          .valueBytes,
      ),
    ).toEqual(Buffer.from(bytes));
    const User = makeJsonType<{ name: string }>("com.example/User");
    const viaType = new KafkaEgressBuilder({
      target,
      topic: "t",
      value: { name: "Bob" },
      valueType: User,
    });
    expect(Buffer.from(kafka(viaType.toTypedValue().value).valueBytes).toString()).toBe(
      '{"name":"Bob"}',
    );
    const int = new KafkaEgressBuilder({
      target,
      topic: "t",
      value: 1234567,
      valueType: Int32Type,
    });
    expect(Buffer.from(kafka(int.toTypedValue().value).valueBytes)).toEqual(
      Buffer.from(Int32Type.serialize(1234567)),
    );
  });

  it("rejects strings without a UTF-8 form (like the Go SDK's invalid-string tests)", () => {
    expect(() => new KafkaEgressBuilder({ target, topic: "t", value: "\udc00" })).toThrow(
      /value "\\udc00" contains a lone UTF-16 surrogate/,
    );
    expect(() => new KafkaEgressBuilder({ target, topic: "t", key: "\ud800", value: "v" })).toThrow(
      /key/,
    );
    expect(
      () => new KinesisEgressBuilder({ target, stream: "s", partitionKey: "k", value: "\ud800" }),
    ).toThrow(/lone UTF-16 surrogate/);
  });

  it("an empty key means no key", () => {
    expect(
      kafka(new KafkaEgressBuilder({ target, topic: "t", value: "v" }).toTypedValue().value).key,
    ).toBe("");
  });

  it("validates on construction, naming the field", () => {
    expect(() => new KafkaEgressBuilder({ target, topic: "", value: "v" })).toThrow(
      /KafkaEgressBuilder: topic must be a non-empty string/,
    );
    expect(
      () =>
        new KafkaEgressBuilder({ target: "com.example/greets" as never, topic: "t", value: "v" }),
    ).toThrow(/target must be the egress TypeName/);
    expect(() => new KafkaEgressBuilder({ target, topic: "t", value: undefined } as never)).toThrow(
      /a record needs a value/,
    );
    expect(() => new KafkaEgressBuilder({ target, topic: "t", value: 1.5 } as never)).toThrow(
      /cannot encode 1\.5 without a valueType/,
    );
    expect(
      () => new KafkaEgressBuilder({ target, topic: "t", key: 5 as never, value: "v" }),
    ).toThrow(ConfigurationError);
  });
});

describe("KinesisEgressBuilder", () => {
  it("writes a KinesisEgressRecord under the exact typename", () => {
    const tv = new KinesisEgressBuilder({
      target,
      stream: "greetings",
      partitionKey: "Bob",
      explicitHashKey: "42",
      value: "hi",
    }).toTypedValue();
    expect(tv.typename).toBe("type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord");
    const record = io.statefun.sdk.egress.KinesisEgressRecord.decode(tv.value);
    expect([
      record.stream,
      record.partitionKey,
      record.explicitHashKey,
      Buffer.from(record.valueBytes).toString(),
    ]).toEqual(["greetings", "Bob", "42", "hi"]);
  });

  it("requires stream, partition key and value", () => {
    expect(
      () => new KinesisEgressBuilder({ target, stream: "", partitionKey: "k", value: "v" }),
    ).toThrow(/stream must be a non-empty string/);
    expect(
      () => new KinesisEgressBuilder({ target, stream: "s", partitionKey: "", value: "v" }),
    ).toThrow(/partitionKey must be a non-empty string/);
    expect(
      () => new KinesisEgressBuilder({ target, stream: "s", partitionKey: "k", value: 7 } as never),
    ).toThrow(/without a valueType/);
  });
});

describe("GenericEgressBuilder", () => {
  it("sends a typed value", () => {
    const tv = new GenericEgressBuilder({
      target,
      value: 1.25,
      valueType: Float64Type,
    }).toTypedValue();
    expect(tv).toEqual({
      typename: "io.statefun.types/double",
      hasValue: true,
      value: Float64Type.serialize(1.25),
    });
  });

  it("requires a valueType and a value", () => {
    expect(() => new GenericEgressBuilder({ target, value: 1 } as never)).toThrow(
      /valueType is required/,
    );
    expect(
      () => new GenericEgressBuilder({ target, value: undefined, valueType: Float64Type as never }),
    ).toThrow(/needs a value/);
  });
});
