// Delayed messages (sender as caller, cancellation, restarts) and state TTL (after write, after invoke).
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
const TTL_MS = 2000;

function functions() {
  const written = { name: "written", valueType: StringType, expiration: expireAfterWrite(TTL_MS) };
  const called = { name: "called", valueType: StringType, expiration: expireAfterCall(TTL_MS) };
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
          ctx.sendEgress(new KafkaEgressBuilder({ target: OUT, topic: "ttl", value: "set" }));
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

  it("keeps pending delayed messages across a restart and fires them at their absolute due time", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serve(functions());
    cleanups.push(served.close);
    const module = moduleYaml("test.fns", served.url);
    const first = await runtimeFor(module, `${dir}/state.db`, memoryLog());
    const start = Date.now();
    await send(first, "test.fns/scheduler/r", "schedule");
    await waitFor("3 pending delayed messages", () => first.stats().delayed === 3);
    await first.close();
    const second = await runtimeFor(module, `${dir}/state.db`, memoryLog());
    cleanups.push(() => second.close());
    expect(second.stats().delayed).toBe(3);
    const records = await waitForRecords(second.egressUrl, "sink", 3);
    expect(Math.min(...records.map((r) => r.timestamp))).toBeGreaterThanOrEqual(start + DELAY_MS);
    expect(records.map((r) => r.value).sort()).toEqual(["plain from r", "t1", "t2"]);
  });

  it("expires AFTER_WRITE values after their last write and AFTER_INVOKE values after the last invocation", async () => {
    const runtime = await setup();
    // Each step is timed from the commit time of the previous one (the egress timestamps), so
    // every check sits 300 ms (0.15 TTL) away from the expiry it tests.
    const step = async (body: string, count: number, at?: number) => {
      if (at !== undefined) await sleep(Math.max(0, at - Date.now()));
      await send(runtime, "test.fns/ttl/x", body);
      const records = await waitForRecords(runtime.egressUrl, "ttl", count);
      return records[count - 1];
    };
    const set = await step("set", 1);
    const setAt = set?.timestamp ?? 0;
    const first = await step("read", 2, setAt + 0.3 * TTL_MS); // both alive; "called" refreshed
    await step("read", 3, setAt + 1.15 * TTL_MS); // "written" expired, "called" alive
    const refreshed = (await listTopic(runtime.egressUrl, "ttl"))[2]?.timestamp ?? 0;
    await step("read", 4, refreshed + 1.15 * TTL_MS); // "called" expired
    const records = await listTopic(runtime.egressUrl, "ttl");
    expect(first?.value).toBe("written=w called=c");
    expect(records.map((r) => r.value)).toEqual([
      "set",
      "written=w called=c",
      "written=- called=c",
      "written=- called=-",
    ]);
  });
});
