import {
  expireAfterCall,
  expireAfterWrite,
  KafkaEgressBuilder,
  StringType,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  listTopic,
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serve,
  sleep,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");
const SINK = typeNameFrom("test.fns/sink");
const DELAY_MS = 400;

function functions() {
  const written = { name: "written", valueType: StringType, expiration: expireAfterWrite(1000) };
  const called = { name: "called", valueType: StringType, expiration: expireAfterCall(1000) };
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/scheduler"),
      states: [],
      function: (ctx, message) => {
        const [command, token] = message.asString().split(" ");
        const target = { functionType: SINK, id: "s" };
        if (command === "schedule") {
          ctx.sendAfter(DELAY_MS, {
            target,
            value: `plain from ${ctx.self.id}`,
            valueType: StringType,
          });
          ctx.sendAfterWithCancellationToken(DELAY_MS, "t1", {
            target,
            value: "t1",
            valueType: StringType,
          });
          ctx.sendAfterWithCancellationToken(DELAY_MS, "t2", {
            target,
            value: "t2",
            valueType: StringType,
          });
        } else if (command === "cancel" && token) {
          ctx.cancelDelayedMessage(token);
        }
      },
    })
    .withSpec({
      functionType: SINK,
      states: [],
      function: (ctx, message) => {
        const caller = ctx.caller ? `${ctx.caller.functionType.toString()}/${ctx.caller.id}` : "-";
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "sink",
            key: caller,
            value: message.asString(),
          }),
        );
      },
    })
    .withSpec({
      functionType: typeNameFrom("test.fns/ttl"),
      states: [written, called],
      function: (ctx, message) => {
        if (message.asString() === "set") {
          ctx.storage.set(written, "w");
          ctx.storage.set(called, "c");
          return;
        }
        const seen = `written=${ctx.storage.get(written) ?? "-"} called=${ctx.storage.get(called) ?? "-"}`;
        ctx.sendEgress(new KafkaEgressBuilder({ target: OUT, topic: "ttl", value: seen }));
      },
    })
    .asHandler();
}

describe("delayed messages and state TTL", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serve(functions());
    cleanups.push(served.close);
    const runtime = await runtimeFor(
      moduleYaml("test.fns", served.url),
      `${dir}/state.db`,
      memoryLog(),
    );
    cleanups.push(() => runtime.close());
    return runtime;
  }

  it("delivers delayed messages after their delay with the sender as caller; a cancelled one never arrives; another sender cannot cancel", async () => {
    const runtime = await setup();
    const start = Date.now();
    await send(runtime, "test.fns/scheduler/a", "schedule");
    await waitFor("3 pending delayed messages", () => runtime.stats().delayed === 3);
    await send(runtime, "test.fns/scheduler/a", "cancel t2");
    await send(runtime, "test.fns/scheduler/b", "cancel t1");
    await send(runtime, "test.fns/scheduler/a", "cancel unknown-token");
    const records = await waitForRecords(runtime.egressUrl, "sink", 2);
    expect(Date.now() - start).toBeGreaterThanOrEqual(DELAY_MS);
    expect(records[0]?.timestamp).toBeGreaterThanOrEqual(start + DELAY_MS);
    await sleep(300);
    const all = await listTopic(runtime.egressUrl, "sink");
    expect(all.map((r) => [r.key, r.value]).sort()).toEqual([
      ["test.fns/scheduler/a", "plain from a"],
      ["test.fns/scheduler/a", "t1"],
    ]);
    expect(runtime.stats().delayed).toBe(0);
  });

  it("expires AFTER_WRITE values after their last write and AFTER_INVOKE values after the last invocation", async () => {
    const runtime = await setup();
    const start = Date.now();
    const at = async (ms: number, body: string) => {
      await sleep(Math.max(0, start + ms - Date.now()));
      await send(runtime, "test.fns/ttl/x", body);
    };
    await at(0, "set");
    await at(400, "read"); // both alive; "called" refreshed
    await waitForRecords(runtime.egressUrl, "ttl", 1);
    await at(1300, "read"); // "written" expired at ~1000; "called" alive (refreshed at ~400)
    await waitForRecords(runtime.egressUrl, "ttl", 2);
    await at(2700, "read"); // "called" expired ~1000 ms after the read at ~1300
    const records = await waitForRecords(runtime.egressUrl, "ttl", 3);
    expect(records.map((r) => r.value)).toEqual([
      "written=w called=c",
      "written=- called=c",
      "written=- called=-",
    ]);
  });
});
