// GET /metrics of the egress port (prom-client): queue depth, in-flight batches per endpoint,
// batch sizes, latency by function type, retries, dead letters, egress records by topic and
// commit times, as a scrape sees them after real traffic; and nothing of it with metrics: false.
import { KafkaEgressBuilder, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.js";
import { parseModuleYaml } from "../src/module-yaml.js";
import type { RuntimeStats } from "../src/runtime-core.js";
import { RuntimeMetrics } from "../src/runtime-metrics.js";
import { memoryLog, moduleYaml, runtimeFor, send, serve } from "./harness.js";
import { replyEffects } from "./store-fixture.js";

const ECHO = typeNameFrom("com.example.metrics/echo");
const OUT = typeNameFrom("com.example.metrics/out");
const EGRESS =
  "---\nkind: io.statefun.kafka.v1/egress\nspec:\n  id: com.example.metrics/out\n  address: kafka:9092\n";
let runtime: Runtime;
let functionsUrl = "";
let closeFunctions: () => Promise<void>;
let failNext = 1;

async function scrape(
  target: Runtime,
): Promise<{ status: number; type: string | null; text: string }> {
  const response = await fetch(`${target.egressUrl}/metrics`);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    text: await response.text(),
  };
}

/** The sum of every sample of a metric (all label sets). */
function total(text: string, name: string): number {
  return text
    .split("\n")
    .filter((l) => l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
}

/** The value of one sample line, e.g. `statefun_batch_size_count{function_type="a/b"}`. */
function sample(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`no sample ${name} in:\n${text}`);
  return Number(line.slice(name.length + 1));
}

beforeAll(async () => {
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: ECHO,
      function: (ctx, message) => {
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "echoes",
            key: ctx.self.id,
            value: message.asString(),
          }),
        );
      },
    })
    .asHandler();
  // the first call fails with a 500 (a retry), the others reach the SDK handler
  const functions = await serve((request, response) => {
    if (failNext > 0) {
      failNext--;
      request.resume();
      response.writeHead(500).end("down for a moment");
      return;
    }
    handler(request, response);
  });
  functionsUrl = functions.url;
  closeFunctions = functions.close;
  runtime = await runtimeFor(
    moduleYaml("com.example.metrics", functions.url, EGRESS),
    ":memory:",
    memoryLog(),
    {
      deadLetterAfter: 1,
    },
  );
});

afterAll(async () => {
  await runtime.close();
  await closeFunctions();
});

describe("GET /metrics", () => {
  it("reports what the runtime did, in the Prometheus text format", async () => {
    for (const id of ["a", "b", "c"])
      expect((await send(runtime, `com.example.metrics/echo/${id}`, `hi ${id}`)).status).toBe(202);
    // a function type the endpoint does not serve: 404, set aside as a dead letter
    expect((await send(runtime, "com.example.metrics/nobody/x", "lost")).status).toBe(202);
    const deadline = Date.now() + 20_000;
    let text = "";
    for (;;) {
      text = (await scrape(runtime)).text;
      const done =
        text.includes('statefun_egress_records_total{topic="echoes",kind="kafka"} 3') &&
        text.includes('statefun_dead_letters_total{function_type="com.example.metrics/nobody"} 1');
      if (done || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { status, type } = await scrape(runtime);
    expect(status).toBe(200);
    expect(type).toContain("text/plain");
    expect(sample(text, 'statefun_egress_records_total{topic="echoes",kind="kafka"}')).toBe(3);
    expect(
      sample(text, 'statefun_dead_letters_total{function_type="com.example.metrics/nobody"}'),
    ).toBe(1);
    // the first call of all failed with a 500: one retry (of whichever batch it carried)
    expect(total(text, "statefun_retries_total")).toBeGreaterThanOrEqual(1);
    expect(
      sample(text, 'statefun_batch_size_count{function_type="com.example.metrics/echo"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'statefun_batch_size_sum{function_type="com.example.metrics/echo"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(
        text,
        'statefun_invocation_latency_seconds_count{function_type="com.example.metrics/echo",outcome="ok"}',
      ),
    ).toBe(3);
    expect(total(text, "statefun_invocation_latency_seconds_count")).toBeGreaterThanOrEqual(4);
    expect(sample(text, "statefun_commit_seconds_count")).toBeGreaterThanOrEqual(3);
    expect(sample(text, "statefun_queue_depth")).toBe(0);
    expect(sample(text, `statefun_in_flight_batches{endpoint="${functionsUrl}"}`)).toBe(0);
  });

  it("is absent with metrics: false (the path is then an ordinary topic name)", async () => {
    const quiet = await runtimeFor(
      moduleYaml("com.example.metrics", functionsUrl),
      ":memory:",
      memoryLog(),
      { metrics: false },
    );
    try {
      const { status, text } = await scrape(quiet);
      expect(status).toBe(404);
      expect(text).toContain('no unread record in topic \\"metrics\\"');
    } finally {
      await quiet.close();
    }
  });

  it("counts the egress records of a reply by topic and kind, runs of several included", async () => {
    const metrics = new RuntimeMetrics(parseModuleYaml(moduleYaml("m.fns", functionsUrl)), {
      stats: () => ({ queued: 0, delayed: 0 }) as RuntimeStats,
    });
    const self = { namespace: "m.fns", type: "f", id: "a" };
    const record = (topic: string, kind: "kafka" | "kinesis") => ({
      topic,
      kind,
      egressId: "m.io/out",
      key: null,
      value: new Uint8Array(),
      typename: "t/x",
      offset: 0,
      timestamp: 0,
    });
    metrics.observer.replyApplied?.(replyEffects(self), [
      record("a", "kafka"),
      record("a", "kafka"),
      record("b", "kafka"),
      record("a", "kafka"),
      record("a", "kinesis"),
    ]);
    metrics.observer.replyApplied?.(replyEffects(self), []);
    const text = await metrics.registry.metrics();
    expect(sample(text, 'statefun_egress_records_total{topic="a",kind="kafka"}')).toBe(3);
    expect(sample(text, 'statefun_egress_records_total{topic="b",kind="kafka"}')).toBe(1);
    expect(sample(text, 'statefun_egress_records_total{topic="a",kind="kinesis"}')).toBe(1);
  });
});
