// Tests of protobuf types: static and reflection classes, default and custom typenames.

import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { io } from "../../test/wire.js";
import { ConfigurationError, SerializationError } from "../errors.js";
import { makeProtobufType } from "./protobuf-type.js";

const root = protobuf.parse(`
  syntax = "proto3";
  package com.example;
  message Point { int32 x = 1; int32 y = 2; string label = 3; }
`).root;
const Point = root.lookupType("com.example.Point");

describe("makeProtobufType", () => {
  it("names a reflection type type.googleapis.com/<full name> and round-trips", () => {
    const PointType = makeProtobufType(Point);
    expect(PointType.typeName.toString()).toBe("type.googleapis.com/com.example.Point");
    const message = Point.fromObject({ x: 3, y: -4, label: "p" });
    const bytes = PointType.serialize(message);
    expect(Buffer.from(bytes)).toEqual(Buffer.from(Point.encode(message).finish()));
    expect(Point.toObject(PointType.deserialize(bytes))).toEqual({ x: 3, y: -4, label: "p" });
  });

  it("uses a static class's full name (getTypeUrl)", () => {
    const KafkaRecord = io.statefun.sdk.egress.KafkaProducerRecord;
    const withUrl = Object.assign(Object.create(KafkaRecord), {
      encode: KafkaRecord.encode,
      decode: KafkaRecord.decode,
      getTypeUrl: (prefix = "type.googleapis.com") =>
        `${prefix}/io.statefun.sdk.egress.KafkaProducerRecord`,
    });
    expect(makeProtobufType(withUrl).typeName.toString()).toBe(
      "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord",
    );
  });

  it("takes an explicit typename", () => {
    expect(makeProtobufType(Point, "com.example/point").typeName.toString()).toBe(
      "com.example/point",
    );
  });

  it("asks for a typename when the class has no full name", () => {
    const { encode, decode } = io.statefun.sdk.egress.KafkaProducerRecord;
    expect(() => makeProtobufType({ encode, decode })).toThrow(ConfigurationError);
  });

  it("reports undecodable bytes with the typename", () => {
    expect(() => makeProtobufType(Point).deserialize(Uint8Array.from([0x0a, 0x05, 0x01]))).toThrow(
      SerializationError,
    );
  });
});
