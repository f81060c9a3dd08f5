// The HTTP ingress and egress: content types, bad input, consuming and listing egress records.
import {
  GenericEgressBuilder,
  KafkaEgressBuilder,
  KinesisEgressBuilder,
  type Message,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { type Runtime, validatorsFromTypes } from "../src/index.js";
import {
  listTopic,
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serveRecording,
  tempDir,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");

function describeMessage(message: Message): string {
  if (message.isString()) return `string ${message.asString()}`;
  if (message.isInt32()) return `int ${message.asInt32()}`;
  if (message.isInt64()) return `long ${message.asInt64()}`;
  if (message.isBool()) return `bool ${message.asBool()}`;
  if (message.isFloat64()) return `double ${message.asFloat64()}`;
  return `${message.valueTypeName().toString()} ${Buffer.from(message.rawValue()).toString()}`;
}

function echo() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/echo"),
      states: [],
      function: (ctx, message) => {
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "echo",
            key: ctx.self.id,
            value: describeMessage(message),
          }),
        );
      },
    })
    .withSpec({
      functionType: typeNameFrom("test.fns/emitter"),
      states: [],
      function: (ctx) => {
        ctx.sendEgress(
          new KinesisEgressBuilder({
            target: typeNameFrom("test.io/kinesis"),
            stream: "events",
            partitionKey: "p1",
            value: "kinesis text",
          }),
        );
        ctx.sendEgress(
          new GenericEgressBuilder({
            target: typeNameFrom("test.io/generic"),
            value: new Uint8Array([0xff, 0xfe, 0x00]),
            valueType: {
              typeName: typeNameFrom("test.types/bytes"),
              serialize: (v: Uint8Array) => v,
              deserialize: (b: Uint8Array) => b,
            },
          }),
        );
      },
    })
    .asHandler();
}

const jsonPerson = {
  typeName: typeNameFrom("test.types/Person"),
  serialize: (v: { name: string }) => Buffer.from(JSON.stringify(v)),
  deserialize: (b: Uint8Array) => {
    const value = JSON.parse(Buffer.from(b).toString()) as { name?: unknown };
    if (typeof value.name !== "string")
      throw new Error('/name: must be a string (required property "name")');
    return value as { name: string };
  },
};

describe("ingress and egress", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serveRecording(echo());
    cleanups.push(served.close);
    const runtime: Runtime = await runtimeFor(
      moduleYaml("test.fns", served.url),
      `${dir}/state.db`,
      memoryLog(),
      {
        validators: validatorsFromTypes([jsonPerson]),
      },
    );
    cleanups.push(() => runtime.close());
    return { runtime, served };
  }

  it("rejects bad input with a 4xx and a reason, and enqueues nothing", async () => {
    const { runtime, served } = await setup();
    const cases: Array<[string, string, string, number, string]> = [
      ["other.ns/fn/1", "text/plain", "x", 404, "unknown function type other.ns/fn"],
      ["test.fns/echo", "text/plain", "x", 400, "/<namespace>/<type>/<id>"],
      ["test.fns/echo/1", "application/json", "{}", 415, "application/vnd.<typename>"],
      ["test.fns/echo/1", "application/vnd.noslash", "x", 400, "<namespace>/<name>"],
      [
        "test.fns/echo/1",
        "application/vnd.io.statefun.types/int",
        "abc",
        400,
        "io.statefun.types/int",
      ],
      [
        "test.fns/echo/1",
        "application/vnd.io.statefun.types/int",
        "99999999999",
        400,
        "int32 range",
      ],
      [
        "test.fns/echo/1",
        "application/vnd.test.types/Person",
        '{"nom":"x"}',
        400,
        "/name: must be a string",
      ],
      [
        "test.fns/echo/1",
        "application/vnd.test.types/Person",
        "{not json",
        400,
        "not a valid test.types/Person",
      ],
    ];
    for (const [path, type, body, status, reason] of cases) {
      const response = await send(runtime, path, body, type);
      expect([path, type, response.status]).toEqual([path, type, status]);
      expect(String(response.json.error)).toContain(reason);
    }
    const get = await fetch(`${runtime.ingressUrl}/test.fns/echo/1`);
    expect(get.status).toBe(405);
    expect(runtime.stats()).toEqual({ queued: 0, delayed: 0, deadLetters: 0 });
    expect(served.requests).toHaveLength(0);
  });

  it("encodes plain-text bodies of built-in types and passes other bodies through", async () => {
    const { runtime } = await setup();
    const inputs: Array<[string, string]> = [
      ["text/plain; charset=utf-8", "héllo"],
      ["application/vnd.io.statefun.types/string", "plain"],
      ["application/vnd.io.statefun.types/int", "42"],
      ["application/vnd.io.statefun.types/long", "-9007199254740993"],
      ["application/vnd.io.statefun.types/bool", "true"],
      ["application/vnd.io.statefun.types/double", "1.5"],
      ["application/vnd.test.types/Person", '{"name":"Bob"}'],
    ];
    for (const [type, body] of inputs) {
      const response = await fetch(`${runtime.ingressUrl}/test.fns/echo/e`, {
        method: "POST",
        headers: { "Content-Type": type },
        body,
      });
      expect(response.status).toBe(202);
    }
    // Wrapper bytes are taken as they are: int 5 = 0d 05 00 00 00.
    await send(
      runtime,
      "test.fns/echo/e",
      new Uint8Array([0x0d, 5, 0, 0, 0]),
      "application/vnd.io.statefun.types/int",
    );
    const records = await waitForRecords(runtime.egressUrl, "echo", 8);
    expect(records.map((r) => r.value)).toEqual([
      "string héllo",
      "string plain",
      "int 42",
      "long -9007199254740993",
      "bool true",
      "double 1.5",
      'test.types/Person {"name":"Bob"}',
      "int 5",
    ]);
  });

  it("serves egress records once with GET /<topic> and lists them without consuming", async () => {
    const { runtime } = await setup();
    for (const id of ["a", "b", "c"]) await send(runtime, `test.fns/echo/${id}`, id);
    await send(runtime, "test.fns/emitter/x", "go");
    await waitForRecords(runtime.egressUrl, "echo", 3);
    await waitForRecords(runtime.egressUrl, "test.io/generic", 1);

    const first = await fetch(`${runtime.egressUrl}/echo`);
    expect(first.status).toBe(200);
    expect(await first.text()).toBe("string a");
    expect(first.headers.get("x-statefun-key")).toBe("a");
    expect(first.headers.get("x-statefun-offset")).toBe("0");
    const topics = (await (await fetch(`${runtime.egressUrl}/topics`)).json()) as {
      topics: unknown[];
    };
    expect(topics.topics).toEqual([
      { topic: "echo", kind: "kafka", records: 3, unread: 2 },
      { topic: "events", kind: "kinesis", records: 1, unread: 1 },
      { topic: "test.io/generic", kind: "generic", records: 1, unread: 1 },
    ]);
    expect(await (await fetch(`${runtime.egressUrl}/echo`)).text()).toBe("string b");
    expect(await (await fetch(`${runtime.egressUrl}/echo`)).text()).toBe("string c");
    const empty = await fetch(`${runtime.egressUrl}/echo`);
    expect(empty.status).toBe(404);
    expect(((await empty.json()) as { error: string }).error).toContain(
      'no unread record in topic "echo"',
    );

    // Listing does not consume and pages by offset.
    const page = await listTopic(runtime.egressUrl, "echo", 1, 1);
    expect(page.map((r) => [r.offset, r.key, r.value])).toEqual([[1, "b", "string b"]]);
    expect((await listTopic(runtime.egressUrl, "echo")).map((r) => r.value)).toEqual([
      "string a",
      "string b",
      "string c",
    ]);
    const [kinesis] = await listTopic(runtime.egressUrl, "events");
    expect(kinesis).toMatchObject({
      key: "p1",
      value: "kinesis text",
      valueEncoding: "utf8",
      kind: "kinesis",
      egress: "test.io/kinesis",
    });
    const [generic] = await listTopic(runtime.egressUrl, "test.io/generic");
    expect(generic).toMatchObject({
      key: null,
      value: Buffer.from([0xff, 0xfe, 0x00]).toString("base64"),
      valueEncoding: "base64",
      typename: "test.types/bytes",
    });
    const generic1 = await fetch(`${runtime.egressUrl}/test.io/generic`);
    expect(generic1.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await generic1.arrayBuffer())).toEqual(
      new Uint8Array([0xff, 0xfe, 0x00]),
    );
    expect((await fetch(`${runtime.egressUrl}/echo/records?limit=0`)).status).toBe(400);
  });
});
