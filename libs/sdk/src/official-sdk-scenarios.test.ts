// Scenarios of the official SDKs' own tests (official-sdks.md §3) that exercise the whole request
// path, checked against our SDK.

import { describe, expect, it } from "vitest";
import {
  intValue,
  invocationResult,
  io,
  replyJson,
  stringValue,
  toFunction,
} from "../test/wire.js";
import { BatchStorage } from "./address-scoped-storage.js";
import { KafkaEgressBuilder } from "./egress/kafka-egress-builder.js";
import { KinesisEgressBuilder } from "./egress/kinesis-egress-builder.js";
import { statefulFunctionsBuilder } from "./stateful-functions-builder.js";
import { typeNameFrom } from "./type-name.js";
import { Int32Type } from "./types/built-in-types.js";
import { makeJsonType } from "./types/json-type.js";
import type { ValueSpec } from "./value-spec.js";
import type { WireTypedValue } from "./wire/typed-value.js";

const seen: ValueSpec<number> = { name: "seen", valueType: Int32Type };

describe("Python request_reply_test.test_integration", () => {
  it("state, a reply to the caller, delayed messages, a cancellation and two egresses", async () => {
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("org.foo/greeter"),
        states: [seen],
        function: (ctx, message) => {
          const count = (ctx.storage.get(seen) ?? 0) + 1;
          ctx.storage.set(seen, count);
          const caller = ctx.caller!;
          ctx.send({ target: caller, value: count, valueType: Int32Type });
          ctx.sendAfter(3_600_000, { target: caller, value: message.asString() });
          ctx.sendAfterWithCancellationToken(3_600_000, "token-1234", {
            target: caller,
            value: "cancel me",
          });
          ctx.cancelDelayedMessage("token-1234");
          ctx.sendEgress(
            new KafkaEgressBuilder({
              target: typeNameFrom("e/kafka"),
              topic: "out",
              key: "abc",
              value: 1337420,
              valueType: Int32Type,
            }),
          );
          ctx.sendEgress(
            new KinesisEgressBuilder({
              target: typeNameFrom("e/kinesis"),
              stream: "out",
              partitionKey: "abc",
              value: "hello there",
            }),
          );
        },
      })
      .asHandler();

    const result = invocationResult(
      await handler.invoke(
        toFunction({
          target: { namespace: "org.foo", type: "greeter", id: "0" },
          states: { seen: intValue(1) },
          invocations: [
            {
              caller: { namespace: "org.foo", type: "greeter-java", id: "0" },
              argument: stringValue("Gordon"),
            },
          ],
        }),
      ),
    );

    const outgoing = result.outgoingMessages[0]!;
    expect(`${outgoing.target!.namespace}/${outgoing.target!.type}:${outgoing.target!.id}`).toBe(
      "org.foo/greeter-java:0",
    );
    expect(outgoing.argument!.typename).toBe("io.statefun.types/int");
    expect(Int32Type.deserialize(outgoing.argument!.value!)).toBe(2);

    const mutation = result.stateMutations[0]!;
    expect([mutation.mutationType, mutation.stateName]).toEqual([1, "seen"]);
    expect(mutation.stateValue!.typename).toBe("io.statefun.types/int");
    expect(mutation.stateValue!.hasValue).toBe(true);
    expect(Int32Type.deserialize(mutation.stateValue!.value!)).toBe(2);

    const [plain, withToken, cancellation] = result.delayedInvocations;
    expect(plain!.delayInMs).toBe(3_600_000);
    expect(withToken!.cancellationToken).toBe("token-1234");
    expect(cancellation!.isCancellationRequest).toBe(true);
    expect(cancellation!.cancellationToken).toBe("token-1234");

    const [kafka, kinesis] = result.outgoingEgresses;
    expect([kafka!.egressNamespace, kafka!.egressType, kafka!.argument!.typename]).toEqual([
      "e",
      "kafka",
      "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord",
    ]);
    const record = io.statefun.sdk.egress.KafkaProducerRecord.decode(kafka!.argument!.value!);
    expect([record.topic, record.key]).toEqual(["out", "abc"]);
    expect(Int32Type.deserialize(record.valueBytes)).toBe(1337420);
    expect([
      kinesis!.egressNamespace,
      kinesis!.egressType,
      kinesis!.argument!.typename,
      kinesis!.argument!.hasValue,
    ]).toEqual([
      "e",
      "kinesis",
      "type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord",
      true,
    ]);
    // the whole record: a string value without a type is its UTF-8 bytes, as in the Python SDK
    const kinesisRecord = io.statefun.sdk.egress.KinesisEgressRecord.decode(
      kinesis!.argument!.value!,
    );
    expect(
      io.statefun.sdk.egress.KinesisEgressRecord.toObject(kinesisRecord, {
        defaults: true,
        bytes: String,
      }),
    ).toEqual({
      partitionKey: "abc",
      valueBytes: Buffer.from("hello there").toString("base64"),
      stream: "out",
      explicitHashKey: "",
    });
  });
});

describe("Java MoreFuturesTest.bigList", () => {
  it("a batch of 20,000 async invocations completes without exhausting the stack", async () => {
    const counter: ValueSpec<number> = { name: "counter", valueType: Int32Type };
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("big/batch"),
        states: [counter],
        function: async (ctx) => {
          ctx.storage.set(counter, (ctx.storage.get(counter) ?? 0) + 1);
        },
      })
      .asHandler();
    const invocations = Array.from({ length: 20_000 }, () => ({ argument: stringValue("x") }));
    const result = invocationResult(
      await handler.invoke(
        toFunction({
          target: { namespace: "big", type: "batch", id: "1" },
          states: { counter: null },
          invocations,
        }),
      ),
    );
    expect(Int32Type.deserialize(result.stateMutations[0]!.stateValue!.value!)).toBe(20_000);
  });
});

describe("Go handler_test: an invocation without an argument", () => {
  it("is tolerated: the message has no typename and no value", async () => {
    const seenTypes: string[] = [];
    const handler = statefulFunctionsBuilder()
      .withSpec({
        functionType: typeNameFrom("go/nil"),
        function: (_ctx, message) => {
          seenTypes.push(message.isString() ? "string" : `raw:${message.rawValue().length}`);
        },
      })
      .asHandler();
    const reply = replyJson(
      await handler.invoke(
        toFunction({ target: { namespace: "go", type: "nil", id: "1" }, invocations: [{}] }),
      ),
    );
    expect(seenTypes).toEqual(["raw:0"]);
    expect(reply).toEqual({ invocationResult: {} });
  });
});

describe("Java ConcurrentAddressScopedStorageTest.setMutableTypeCell: our rule differs", () => {
  it("a JSON value changed after set() is persisted as it is when the batch completes", () => {
    const Obj = makeJsonType<{ n: number }>("com.example/Obj");
    const spec: ValueSpec<{ n: number }> = { name: "obj", valueType: Obj };
    const self = { functionType: typeNameFrom("a/b"), id: "1" };
    const storage = new BatchStorage(
      [spec as ValueSpec<unknown>],
      new Map([["obj", 0]]),
      [null],
      self,
    );
    const value = { n: 1 };
    storage.set(spec, value);
    value.n = 2;
    const written = (storage.mutations()[0]!.stateValue as WireTypedValue).value;
    expect(Obj.deserialize(written)).toEqual({ n: 2 });
  });
});
