// Runs every TypeScript twin of the Go SDK documentation's examples.
import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  Int32Type,
  type StatefulFunctionSpec,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  intValue,
  invocationResult,
  io,
  replyJson,
  stringValue,
  type TestTypedValue,
  toFunction,
} from "../test/wire.js";
import { delayed } from "./delayed.js";
import { expiresAfterCall, expiresAfterWrite } from "./expiration.js";
import { greeter as greeterInstance } from "./greeter.js";
import { greeter as greeterFunction, seenCount } from "./greeter-function.js";
import { kafkaGreeter } from "./kafka-egress.js";
import { kinesisGreeter } from "./kinesis-egress.js";
import { serve } from "./serve.js";
import { app } from "./serve-express.js";
import { Greeter as StateGreeter, seenCountSpec, userSpec } from "./state.js";
import { UserType } from "./user-type.js";

const greeterType = typeNameFrom("com.example.fns/greeter");
const target = { namespace: "com.example.fns", type: "greeter", id: "Bob" };

function handle(spec: Omit<StatefulFunctionSpec, "functionType">) {
  return statefulFunctionsBuilder()
    .withSpec({ functionType: greeterType, ...spec })
    .asHandler();
}

function call(
  argument: TestTypedValue,
  states: Record<string, TestTypedValue | null>,
  caller?: string,
) {
  return toFunction({
    target,
    states,
    invocations: [
      {
        argument,
        ...(caller ? { caller: { namespace: "com.example.fns", type: "caller", id: caller } } : {}),
      },
    ],
  });
}

const userValue = (name: string): TestTypedValue => ({
  typename: "com.example/User",
  value: UserType.serialize({ name, favoriteColor: "blue" }),
});

describe("Greeter (class with a ValueSpec) and greeter (plain function)", () => {
  it.each([
    ["class", greeterInstance, greeterInstance.seenCount],
    ["function", greeterFunction, seenCount],
  ] as const)("%s: counts per user and greets the inbox", async (_, fn, spec) => {
    const handler = handle({ states: [spec], function: fn });
    const first = invocationResult(
      await handler.invoke(call(stringValue("Bob"), { seen_count: null })),
    );
    expect(Int32Type.deserialize(first.stateMutations[0]!.stateValue!.value!)).toBe(1);
    const second = invocationResult(
      await handler.invoke(call(stringValue("Bob"), { seen_count: intValue(1) })),
    );
    expect(Int32Type.deserialize(second.stateMutations[0]!.stateValue!.value!)).toBe(2);
    const message = second.outgoingMessages[0]!;
    expect(`${message.target!.namespace}/${message.target!.type}:${message.target!.id}`).toBe(
      "com.example.fns/inbox:Bob",
    );
    expect(StringType.deserialize(message.argument!.value!)).toBe("Hello Bob for the 2th time!");
  });

  it("the class rejects a message of another type", async () => {
    const handler = handle({ states: [greeterInstance.seenCount], function: greeterInstance });
    await expect(handler.invoke(call(intValue(3), { seen_count: null }))).rejects.toThrow(
      /unexpected message type io\.statefun\.types\/int/,
    );
  });
});

describe("Types: the User JSON type", () => {
  it("round-trips and reads the Go SDK's output (trailing newline)", () => {
    const user = { name: "Bob", favoriteColor: "red" };
    expect(UserType.deserialize(UserType.serialize(user))).toEqual(user);
    expect(UserType.deserialize(Buffer.from(`${JSON.stringify(user)}\n`))).toEqual(user);
    expect(UserType.typeName.toString()).toBe("com.example/User");
  });
});

describe("State: get, set, remove", () => {
  it("declares seen_count (int) and user (com.example/User)", async () => {
    const handler = handle({ states: [seenCountSpec, userSpec], function: () => {} });
    expect(replyJson(await handler.invoke(call(stringValue("Bob"), {})))).toEqual({
      incompleteInvocationContext: {
        missingValues: [
          { stateName: "seen_count", typeTypename: "io.statefun.types/int", expirationSpec: {} },
          { stateName: "user", typeTypename: "com.example/User", expirationSpec: {} },
        ],
      },
    });
  });

  it("increments, and deletes the value once it passes 10", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const fn = new StateGreeter(seenCountSpec);
    const handler = handle({ states: [seenCountSpec], function: fn });
    const five = invocationResult(
      await handler.invoke(call(stringValue("x"), { seen_count: intValue(4) })),
    );
    expect(Int32Type.deserialize(five.stateMutations[0]!.stateValue!.value!)).toBe(5);
    const eleven = replyJson(
      await handler.invoke(call(stringValue("x"), { seen_count: intValue(10) })),
    );
    // DELETE is the enum's zero value: on the wire the mutation carries only the state name.
    expect(eleven.invocationResult).toEqual({ stateMutations: [{ stateName: "seen_count" }] });
    expect(log).toHaveBeenCalledWith("the current count is 11");
    log.mockRestore();
  });
});

describe("State Expiration", () => {
  it("registers after-call and after-write TTLs of 30 minutes", async () => {
    for (const [spec, mode] of [
      [expiresAfterCall, "AFTER_INVOKE"],
      [expiresAfterWrite, "AFTER_WRITE"],
    ] as const) {
      const handler = handle({ states: [spec], function: () => {} });
      expect(replyJson(await handler.invoke(call(stringValue("x"), {})))).toEqual({
        incompleteInvocationContext: {
          missingValues: [
            {
              stateName: "seen_count",
              typeTypename: "io.statefun.types/int",
              expirationSpec: { mode, expireAfterMillis: "1800000" },
            },
          ],
        },
      });
    }
  });
});

describe("Sending Delayed Messages", () => {
  it("replies to the caller after 30 minutes", async () => {
    const handler = handle({ function: delayed });
    const result = replyJson(await handler.invoke(call(stringValue("hi"), {}, "alice")));
    expect(result.invocationResult).toEqual({
      delayedInvocations: [
        {
          delayInMs: "1800000",
          target: { namespace: "com.example.fns", type: "caller", id: "alice" },
          argument: {
            typename: "io.statefun.types/string",
            hasValue: true,
            value: Buffer.from(StringType.serialize("Hello from the future!")).toString("base64"),
          },
        },
      ],
    });
  });

  it("says so, and sends nothing, when the message came from an ingress", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const handler = handle({ function: delayed });
    expect(replyJson(await handler.invoke(call(stringValue("hi"), {}))).invocationResult).toEqual(
      {},
    );
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/no known caller/));
    log.mockRestore();
  });
});

describe("Egress", () => {
  it("Kafka: topic greetings, key = user name", async () => {
    const handler = handle({ states: [kafkaGreeter.seenCount], function: kafkaGreeter });
    const result = invocationResult(
      await handler.invoke(call(userValue("Bob"), { seen_count: intValue(2) })),
    );
    const egress = result.outgoingEgresses[0]!;
    expect(`${egress.egressNamespace}/${egress.egressType}`).toBe("com.example/greets");
    expect(egress.argument!.typename).toBe(
      "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord",
    );
    const record = io.statefun.sdk.egress.KafkaProducerRecord.decode(egress.argument!.value!);
    expect([record.topic, record.key, Buffer.from(record.valueBytes).toString()]).toEqual([
      "greetings",
      "Bob",
      "Hello Bob for the 3-th time!",
    ]);
  });

  it("Kinesis: stream greetings, partition key = user name", async () => {
    const handler = handle({ states: [kinesisGreeter.seenCount], function: kinesisGreeter });
    const result = invocationResult(
      await handler.invoke(call(userValue("Ann"), { seen_count: null })),
    );
    const egress = result.outgoingEgresses[0]!;
    expect(egress.argument!.typename).toBe(
      "type.googleapis.com/io.statefun.sdk.egress.KinesisEgressRecord",
    );
    const record = io.statefun.sdk.egress.KinesisEgressRecord.decode(egress.argument!.value!);
    expect([record.stream, record.partitionKey, Buffer.from(record.valueBytes).toString()]).toEqual(
      ["greetings", "Ann", "Hello Ann for the 1-th time!"],
    );
  });

  it("rejects a message that is not a User", async () => {
    const handler = handle({ states: [kafkaGreeter.seenCount], function: kafkaGreeter });
    await expect(handler.invoke(call(stringValue("Bob"), { seen_count: null }))).rejects.toThrow(
      /unknown type io\.statefun\.types\/string/,
    );
  });
});

describe("Serving Functions: the greeter at /statefun over HTTP", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    server = undefined;
  });

  async function url(started: Server): Promise<string> {
    server = started;
    if (!started.listening) await once(started, "listening");
    return `http://127.0.0.1:${(started.address() as AddressInfo).port}/statefun`;
  }

  it.each([
    ["node:http", () => serve(0, "127.0.0.1")],
    ["express", () => app().listen(0, "127.0.0.1")],
  ])("%s: missing state first, then MODIFY seen_count = 1 and the greeting", async (_, start) => {
    const endpoint = await url(start());
    const post = (body: Uint8Array) =>
      fetch(endpoint, {
        method: "POST",
        body,
        headers: { "content-type": "application/octet-stream" },
      });

    const first = await post(call(stringValue("Bob"), {}));
    expect(first.status).toBe(200);
    expect(replyJson(new Uint8Array(await first.arrayBuffer()))).toEqual({
      incompleteInvocationContext: {
        missingValues: [
          { stateName: "seen_count", typeTypename: "io.statefun.types/int", expirationSpec: {} },
        ],
      },
    });

    const second = await post(call(stringValue("Bob"), { seen_count: null }));
    expect(second.status).toBe(200);
    expect(second.headers.get("content-type")).toBe("application/octet-stream");
    expect(replyJson(new Uint8Array(await second.arrayBuffer()))).toEqual({
      invocationResult: {
        stateMutations: [
          {
            mutationType: "MODIFY",
            stateName: "seen_count",
            stateValue: {
              typename: "io.statefun.types/int",
              hasValue: true,
              value: Buffer.from([0x0d, 1, 0, 0, 0]).toString("base64"),
            },
          },
        ],
        outgoingMessages: [
          {
            target: { namespace: "com.example.fns", type: "inbox", id: "Bob" },
            argument: {
              typename: "io.statefun.types/string",
              hasValue: true,
              value: Buffer.from(StringType.serialize("Hello Bob for the 1th time!")).toString(
                "base64",
              ),
            },
          },
        ],
      },
    });
  });
});
