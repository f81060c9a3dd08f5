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
// generous: the cancellations must reach the runtime before the delay ends on a loaded machine
const DELAY_MS = 2_000;
const TTL_MS = 3_000;

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
    const records = await waitForRecords(runtime.egressUrl, "sink", 2, 20_000);
    expect(Date.now() - start).toBeGreaterThanOrEqual(DELAY_MS);
    expect(records[0]?.timestamp).toBeGreaterThanOrEqual(start + DELAY_MS);
    // Nothing pending and nothing queued: every delayed message has fired or been cancelled and
    // every delivery is committed, so the topic is final.
    await waitFor("no pending or queued message", () => {
      const stats = runtime.stats();
      return stats.delayed === 0 && stats.queued === 0;
    });
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
    const records = await waitForRecords(second.egressUrl, "sink", 3, 20_000);
    expect(Math.min(...records.map((r) => r.timestamp))).toBeGreaterThanOrEqual(start + DELAY_MS);
    expect(records.map((r) => r.value).sort()).toEqual(["plain from r", "t1", "t2"]);
  });

  it("expires AFTER_WRITE values after their last write and AFTER_INVOKE values after the last invocation", async () => {
    const runtime = await setup();
    // Each step is timed from the commit times of the earlier ones (the egress timestamps, the
    // runtime's clock for the writes and expiries), so every check sits at least a quarter TTL
    // (750 ms) away from the expiry it tests.
    const step = async (body: string, count: number, at?: number) => {
      if (at !== undefined) await sleep(Math.max(0, at - Date.now()));
      await send(runtime, "test.fns/ttl/x", body);
      const records = await waitForRecords(runtime.egressUrl, "ttl", count);
      return records[count - 1]?.timestamp ?? 0;
    };
    const setAt = await step("set", 1);
    // both alive; "called" refreshed: it expires at firstAt + TTL, "written" at setAt + TTL
    const firstAt = await step("read", 2, setAt + 0.5 * TTL_MS);
    // between the two expiries: "written" expired, "called" alive (and refreshed again)
    const refreshedAt = await step("read", 3, (setAt + firstAt) / 2 + TTL_MS);
    expect(refreshedAt, "the second read ran before 'called' expired").toBeLessThan(
      firstAt + TTL_MS,
    );
    await step("read", 4, refreshedAt + 1.25 * TTL_MS); // "called" expired
    const records = await listTopic(runtime.egressUrl, "ttl");
    expect(records.map((r) => r.value)).toEqual([
      "set",
      "written=w called=c",
      "written=- called=c",
      "written=- called=-",
    ]);
  });
});
