// Egress record keys as the runtime stores them: a Kafka record without a key (proto3 "" on the
// wire) is stored with no key (null), as Flink's Kafka egress produces a record with a null key;
// a non-empty key, and a Kinesis partition key, are kept as they are.
import {
  KafkaEgressBuilder,
  KinesisEgressBuilder,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.js";
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

function keyed() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/keys"),
      states: [],
      function: (ctx) => {
        ctx.sendEgress(new KafkaEgressBuilder({ target: OUT, topic: "keys", value: "no key" }));
        ctx.sendEgress(
          new KafkaEgressBuilder({ target: OUT, topic: "keys", key: "", value: "empty key" }),
        );
        ctx.sendEgress(
          new KafkaEgressBuilder({ target: OUT, topic: "keys", key: "k 1", value: "key k 1" }),
        );
        ctx.sendEgress(
          new KinesisEgressBuilder({
            target: typeNameFrom("test.io/kinesis"),
            stream: "stream",
            partitionKey: "p",
            value: "kinesis",
          }),
        );
      },
    })
    .asHandler();
}

describe("egress record keys", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("stores a Kafka record without a key (or with an empty one) as keyless, and keeps real keys", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serveRecording(keyed());
    cleanups.push(served.close);
    const runtime: Runtime = await runtimeFor(
      moduleYaml("test.fns", served.url),
      `${dir}/state.db`,
      memoryLog(),
    );
    cleanups.push(() => runtime.close());

    expect((await send(runtime, "test.fns/keys/a", "go")).status).toBe(202);
    const records = await waitForRecords(runtime.egressUrl, "keys", 3);
    expect(records.map((r) => [r.value, r.key])).toEqual([
      ["no key", null],
      ["empty key", null],
      ["key k 1", "k 1"],
    ]);
    const [kinesis] = await waitForRecords(runtime.egressUrl, "stream", 1);
    expect(kinesis?.key).toBe("p");
    // consumed one by one, the keyless records carry an empty key header, the keyed one its key
    const headers: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${runtime.egressUrl}/keys`);
      expect(response.status).toBe(200);
      headers.push(response.headers.get("x-statefun-key"));
      await response.arrayBuffer();
    }
    expect(headers).toEqual(["", "", "k%201"]);
    expect(await listTopic(runtime.egressUrl, "keys")).toHaveLength(3);
  });
});
