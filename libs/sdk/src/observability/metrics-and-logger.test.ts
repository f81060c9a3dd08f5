// HandlerOptions.metrics (prom-client counters and histograms by function type, missing-state
// handshakes, failed batches; nothing registered without the option) and HandlerOptions.logger
// given a pino logger (error({ err }, message) on a failure, nothing on success).

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { Registry, register } from "prom-client";
import { describe, expect, it } from "vitest";
import { stringValue, toFunction } from "../../test/wire.js";
import { ConfigurationError } from "../errors.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { Int32Type } from "../types/built-in-types.js";
import { SDK_METRICS } from "./prometheus-metrics.js";

const seen = { name: "seen", valueType: Int32Type };
const GREETER = typeNameFrom("org.foo/greeter");
const FAILING = typeNameFrom("org.foo/failing");

function builder() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: GREETER,
      states: [seen],
      function: (ctx) => ctx.storage.set(seen, (ctx.storage.get(seen) ?? 0) + 1),
    })
    .withSpec({
      functionType: FAILING,
      function: async (_ctx, message) => {
        await Promise.resolve();
        if (message.asString() === "boom") throw new Error("boom refused");
      },
    });
}

const greeterAt = (id: string, n: number, withState = true) =>
  toFunction({
    target: { namespace: "org.foo", type: "greeter", id },
    ...(withState ? { states: { seen: null } } : {}),
    invocations: Array.from({ length: n }, () => ({ argument: stringValue("x") })),
  });

async function value(registry: Registry, name: string, type: string, suffix = "") {
  const metric = await registry.getSingleMetric(name)?.get();
  return metric?.values.find(
    (v: { labels: Record<string, unknown>; metricName?: string }) =>
      v.labels.function_type === type && (suffix === "" || v.metricName === name + suffix),
  )?.value;
}

/** Resolves after the metrics' latency gate (a 1 ms timer set by the last timed batch) reopened. */
const laterThanTheGate = () => new Promise((resolve) => setTimeout(resolve, 2));

describe("HandlerOptions.metrics", () => {
  it("counts invocations, batch sizes, latency, failures and handshakes by function type", async () => {
    const registry = new Registry();
    const handler = builder().asHandler({ metrics: registry, logger: { error() {} } });
    // Batches a few milliseconds apart: each one is timed (see the next test).
    await handler.invoke(greeterAt("a", 3));
    await laterThanTheGate();
    await handler.invoke(greeterAt("b", 1));
    await handler.invoke(greeterAt("c", 2, false)); // the runtime lacks "seen"
    const failing = (text: string) =>
      toFunction({
        target: { namespace: "org.foo", type: "failing", id: "x" },
        invocations: [{ argument: stringValue("ok") }, { argument: stringValue(text) }],
      });
    await laterThanTheGate();
    await handler.invoke(failing("fine"));
    await laterThanTheGate();
    await expect(handler.invoke(failing("boom"))).rejects.toThrow("boom refused");

    expect(await value(registry, SDK_METRICS.invocations, "org.foo/greeter")).toBe(4);
    expect(await value(registry, SDK_METRICS.batchSize, "org.foo/greeter", "_count")).toBe(2);
    expect(await value(registry, SDK_METRICS.batchSize, "org.foo/greeter", "_sum")).toBe(4);
    expect(await value(registry, SDK_METRICS.latency, "org.foo/greeter", "_count")).toBe(2);
    expect(await value(registry, SDK_METRICS.missingStates, "org.foo/greeter")).toBe(1);
    expect(await value(registry, SDK_METRICS.errors, "org.foo/greeter")).toBe(0);
    expect(await value(registry, SDK_METRICS.errors, "org.foo/failing")).toBe(1);
    expect(await value(registry, SDK_METRICS.latency, "org.foo/failing", "_count")).toBe(2);
    const text = await registry.metrics();
    expect(text).toContain('statefun_sdk_invocations_total{function_type="org.foo/failing"} 4');
    expect(text).toContain("# TYPE statefun_sdk_batch_duration_seconds histogram");
    for (const [le, count] of [
      ["1", 1],
      ["2", 1],
      ["5", 2],
      ["+Inf", 2],
    ]) {
      expect(text).toContain(
        `statefun_sdk_batch_size_bucket{le="${le}",function_type="org.foo/greeter"} ${count}\n`,
      );
    }
    expect(text).toContain('statefun_sdk_batch_size_sum{function_type="org.foo/greeter"} 4\n');
    const json = await registry.getMetricsAsJSON();
    expect(json.map((m) => `${m.name} ${m.type}`).sort()).toEqual(
      [
        `${SDK_METRICS.latency} histogram`,
        `${SDK_METRICS.errors} counter`,
        `${SDK_METRICS.batchSize} histogram`,
        `${SDK_METRICS.invocations} counter`,
        `${SDK_METRICS.missingStates} counter`,
      ].sort(),
    );
    registry.resetMetrics();
    expect(await value(registry, SDK_METRICS.invocations, "org.foo/greeter")).toBeUndefined();
  });

  it("times at most one batch per millisecond (clock reads cost 7% of a tiny batch), and counts every batch", async () => {
    const registry = new Registry();
    const handler = builder().asHandler({ metrics: registry });
    for (let i = 0; i < 50; i++) await handler.invoke(greeterAt(`id${i}`, 1));
    expect(await value(registry, SDK_METRICS.batchSize, "org.foo/greeter", "_count")).toBe(50);
    expect(await value(registry, SDK_METRICS.invocations, "org.foo/greeter")).toBe(50);
    const timed = await value(registry, SDK_METRICS.latency, "org.foo/greeter", "_count");
    // Only the first batch is timed: the loop never yields to the timer that reopens the gate.
    expect(timed).toBe(1);
    await laterThanTheGate();
    await handler.invoke(greeterAt("late", 1));
    expect(await value(registry, SDK_METRICS.latency, "org.foo/greeter", "_count")).toBe(
      (timed ?? 0) + 1,
    );
  });

  it("shares one registry between handlers, and registers nothing without the option", async () => {
    const registry = new Registry();
    const first = builder().asHandler({ metrics: registry });
    const second = builder().asFetchHandler({ metrics: registry });
    await first.invoke(greeterAt("a", 1));
    const response = await second(
      new Request("http://x/statefun", { method: "POST", body: greeterAt("b", 2) }),
    );
    expect(response.status).toBe(200);
    expect(await value(registry, SDK_METRICS.invocations, "org.foo/greeter")).toBe(3);
    // Without the option nothing is registered anywhere (prom-client's default registry neither).
    await builder().asHandler().invoke(greeterAt("a", 1));
    expect(register.getSingleMetric(SDK_METRICS.invocations)).toBeUndefined();
  });

  it("refuses something that is not a registry, naming the option", () => {
    expect(() => builder().asHandler({ metrics: {} as unknown as Registry })).toThrow(
      ConfigurationError,
    );
    expect(() => builder().asHandler({ metrics: {} as unknown as Registry })).toThrow(
      "handler option metrics must be a prom-client Registry",
    );
  });
});

describe("HandlerOptions.logger with a pino logger", () => {
  it("logs a failed request as error({ err }, message) and nothing on success", async () => {
    let text = "";
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    const handler = builder().asHandler({ logger: pino({ level: "info" }, sink) });
    const server = createServer(handler).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/statefun`;
    try {
      const ok = await fetch(url, { method: "POST", body: greeterAt("a", 1) });
      expect(ok.status).toBe(200);
      expect(text).toBe("");
      const failed = await fetch(url, {
        method: "POST",
        body: toFunction({
          target: { namespace: "org.foo", type: "failing", id: "x" },
          invocations: [{ argument: stringValue("boom") }],
        }),
      });
      expect(failed.status).toBe(500);
      const line = JSON.parse(text.trim()) as {
        level: number;
        msg: string;
        err: { message: string; stack: string };
      };
      expect(line.level).toBe(50);
      expect(line.msg).toContain("org.foo/failing:x");
      expect(line.err.message).toContain("boom refused");
      expect(line.err.stack).toContain("Error");
    } finally {
      server.close();
    }
  });
});
