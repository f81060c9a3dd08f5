// Tests of the invocation context: the effects of ctx.send, sendAfter, cancellation and
// sendEgress as wire shapes, and the errors for bad targets, delays and tokens.

import { describe, expect, it } from "vitest";
import { io } from "../test/wire.js";
import { BatchStorage } from "./address-scoped-storage.js";
import { GenericEgressBuilder } from "./egress/generic-egress-builder.js";
import { KafkaEgressBuilder } from "./egress/kafka-egress-builder.js";
import { KinesisEgressBuilder } from "./egress/kinesis-egress-builder.js";
import { ConfigurationError } from "./errors.js";
import { BatchEffects, InvocationContext } from "./invocation-context.js";
import { typeNameFrom } from "./type-name.js";
import { Float32Type, Int32Type } from "./types/built-in-types.js";

const self = { functionType: typeNameFrom("namespace/function2"), id: "2" };
const caller = { functionType: typeNameFrom("namespace/function1"), id: "1" };
const target = { functionType: typeNameFrom("example/func"), id: "0" };

function context() {
  const effects = new BatchEffects();
  const ctx = new InvocationContext(
    self,
    caller,
    new BatchStorage([], new Map(), [], self),
    effects,
  );
  return { ctx, effects };
}

describe("InvocationContext", () => {
  it("exposes self and caller", () => {
    const { ctx } = context();
    expect(ctx.self).toBe(self);
    expect(ctx.caller).toBe(caller);
  });

  it("send: a string value is deduced as StringType", () => {
    const { ctx, effects } = context();
    ctx.send({ target, value: "hello" });
    expect(effects.messages).toEqual([
      {
        target: { namespace: "example", type: "func", id: "0" },
        // kept as text: the writer encodes it as StringType.serialize("hello") (wire/round-trip.test.ts)
        argument: {
          typename: "io.statefun.types/string",
          hasValue: true,
          text: "hello",
        },
      },
    ]);
  });

  it("send: boolean and bigint are deduced; numbers need a type", () => {
    const { ctx, effects } = context();
    ctx.send({ target, value: true });
    ctx.send({ target, value: 5n });
    ctx.send({ target, value: 1, valueType: Int32Type });
    ctx.send({ target, value: 5, valueType: Float32Type });
    expect(effects.messages.map((m) => m.argument.typename)).toEqual([
      "io.statefun.types/bool",
      "io.statefun.types/long",
      "io.statefun.types/int",
      "io.statefun.types/float",
    ]);
    expect(() => ctx.send({ target, value: 2 } as never)).toThrow(
      /cannot deduce the type of the number 2; set valueType to Int32Type/,
    );
    expect(() => ctx.send({ target, value: { a: 1 } } as never)).toThrow(/set valueType/);
  });

  it("send: validates the target and the value", () => {
    const { ctx } = context();
    expect(() =>
      ctx.send({ target: { functionType: "example/func", id: "0" }, value: "x" } as never),
    ).toThrow(/target must be an Address/);
    expect(() => ctx.send({ target: { ...target, id: "" }, value: "x" })).toThrow(
      /target id must be a non-empty string/,
    );
    expect(() => ctx.send({ target, value: undefined as unknown as string })).toThrow(
      /a message needs a value/,
    );
    expect(() => ctx.send({ target, value: 2 ** 40, valueType: Int32Type })).toThrow(
      /ctx\.send to example\/func:0: io\.statefun\.types\/int cannot serialize 1099511627776: out of the int32 range/,
    );
  });

  it("sendAfter: records the delay in ms and no token", () => {
    const { ctx, effects } = context();
    ctx.sendAfter(1, { target, value: "later" });
    expect(effects.delayed).toHaveLength(1);
    const d = effects.delayed[0]!;
    expect(d.delayInMs).toBe(1);
    expect(d.cancellationToken).toBeUndefined();
    expect(d.isCancellationRequest).toBeUndefined();
    expect(d.argument?.typename).toBe("io.statefun.types/string");
  });

  it("sendAfterWithCancellationToken and cancelDelayedMessage", () => {
    const { ctx, effects } = context();
    ctx.sendAfterWithCancellationToken(0, "token", { target, value: "x" });
    ctx.cancelDelayedMessage("token");
    expect(effects.delayed[0]).toMatchObject({ delayInMs: 0, cancellationToken: "token" });
    expect(effects.delayed[1]).toEqual({ isCancellationRequest: true, cancellationToken: "token" });
  });

  it.each([-1, 1.5, Number.NaN, "10"])("rejects the delay %j", (delay) => {
    const { ctx } = context();
    expect(() => ctx.sendAfter(delay as number, { target, value: "x" })).toThrow(
      ConfigurationError,
    );
    expect(() => ctx.sendAfter(delay as number, { target, value: "x" })).toThrow(
      /must be a whole number of milliseconds >= 0/,
    );
  });

  it("rejects empty cancellation tokens", () => {
    const { ctx, effects } = context();
    expect(() => ctx.sendAfterWithCancellationToken(5, "", { target, value: "x" })).toThrow(
      /cancellation token must be a non-empty string/,
    );
    expect(() => ctx.cancelDelayedMessage("")).toThrow(ConfigurationError);
    expect(effects.delayed).toEqual([]);
  });

  it("sendEgress: Kafka", () => {
    const { ctx, effects } = context();
    ctx.sendEgress(
      new KafkaEgressBuilder({
        target: typeNameFrom("example/kafka"),
        topic: "topic",
        key: "key",
        value: "value",
      }),
    );
    const egress = effects.egress[0]!;
    expect(egress.egressNamespace).toBe("example");
    expect(egress.egressType).toBe("kafka");
    expect(egress.argument.typename).toBe(
      "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord",
    );
    const record = io.statefun.sdk.egress.KafkaProducerRecord.decode(egress.argument.value);
    expect(record.topic).toBe("topic");
    expect(record.key).toBe("key");
    expect(Buffer.from(record.valueBytes).toString()).toBe("value");
  });

  it("sendEgress: Kinesis", () => {
    const { ctx, effects } = context();
    ctx.sendEgress(
      new KinesisEgressBuilder({
        target: typeNameFrom("example/kinesis"),
        stream: "stream",
        partitionKey: "key",
        value: "value",
      }),
    );
    const egress = effects.egress[0]!;
    expect([egress.egressNamespace, egress.egressType]).toEqual(["example", "kinesis"]);
    expect(egress.argument.typename).toBe(
      "type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord",
    );
    const record = io.statefun.sdk.egress.KinesisEgressRecord.decode(egress.argument.value);
    expect([record.stream, record.partitionKey, record.explicitHashKey]).toEqual([
      "stream",
      "key",
      "",
    ]);
  });

  it("sendEgress: generic, and rejects things that are not builders", () => {
    const { ctx, effects } = context();
    ctx.sendEgress(
      new GenericEgressBuilder({
        target: typeNameFrom("com.example/audit"),
        value: 42,
        valueType: Int32Type,
      }),
    );
    expect(effects.egress[0]).toEqual({
      egressNamespace: "com.example",
      egressType: "audit",
      argument: {
        typename: "io.statefun.types/int",
        hasValue: true,
        value: Int32Type.serialize(42),
      },
    });
    expect(() => ctx.sendEgress({ target: "x" } as never)).toThrow(/expected a KafkaEgressBuilder/);
  });

  it("keeps side effects in the order they were produced", () => {
    const { ctx, effects } = context();
    for (const v of ["1", "2", "3"]) ctx.send({ target, value: v });
    expect(
      effects.messages.map((m) => ("text" in m.argument ? m.argument.text : m.argument.value)),
    ).toEqual(["1", "2", "3"]);
  });
});
