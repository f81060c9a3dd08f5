// RuntimeOptions.tracing with a real OpenTelemetry SDK (sdk-trace-base's in-memory exporter): a
// `statefun.delivery` span per batch delivered, ended when the reply committed or the call
// failed, beside the SDK's own spans when the function service traces too; none without it.
import { SpanStatusCode, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { KafkaEgressBuilder, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { RUNTIME_SPANS } from "../src/index.js";
import { memoryLog, moduleYaml, runtimeFor, send, serve, waitFor } from "./harness.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});
beforeEach(() => exporter.reset());

const deliveries = (): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.name === RUNTIME_SPANS.delivery);

async function setUp(tracing: boolean) {
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("com.example.trace/fn"),
      function: (ctx, message) => {
        if (message.asString() === "boom") throw new Error("boom refused");
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: typeNameFrom("com.example.trace/out"),
            topic: "t",
            value: message.asString(),
          }),
        );
      },
    })
    .asHandler({ tracing: true, logger: { error() {} } });
  const functions = await serve(handler);
  const runtime = await runtimeFor(
    moduleYaml(
      "com.example.trace",
      functions.url,
      "---\nkind: io.statefun.kafka.v1/egress\nspec:\n  id: com.example.trace/out\n  address: k:9092\n",
      1000,
      // The client retries a 500 until the call budget is spent: 1 s, well inside waitFor's 10 s
      // (with the default 10 s budget the failed span raced the deadline).
      "1s",
    ),
    ":memory:",
    memoryLog(),
    { tracing, deadLetterAfter: 1 },
  );
  return {
    runtime,
    close: async () => {
      await runtime.close();
      await functions.close();
    },
  };
}

describe("RuntimeOptions.tracing", () => {
  it("makes a delivery span per batch with the function type, id, batch size and effects", async () => {
    const { runtime, close } = await setUp(true);
    try {
      expect((await send(runtime, "com.example.trace/fn/Ann", "hi")).status).toBe(202);
      await waitFor("a delivery span", () => deliveries().length === 1);
      const [span] = deliveries();
      expect(span?.attributes).toEqual({
        [RUNTIME_SPANS.functionType]: "com.example.trace/fn",
        [RUNTIME_SPANS.id]: "Ann",
        [RUNTIME_SPANS.batchSize]: 1,
        [RUNTIME_SPANS.outgoing]: 0,
        [RUNTIME_SPANS.egress]: 1,
        [RUNTIME_SPANS.stateChanges]: 0,
      });
      expect(span?.status.code).toBe(SpanStatusCode.UNSET);
      // The function service traced the same batch on its side.
      const sdkBatch = exporter.getFinishedSpans().find((s) => s.name === "statefun.batch");
      expect(sdkBatch?.attributes["statefun.id"]).toBe("Ann");
    } finally {
      await close();
    }
  });

  it("ends a failed delivery's span with the error", async () => {
    const { runtime, close } = await setUp(true);
    try {
      expect((await send(runtime, "com.example.trace/fn/Bo", "boom")).status).toBe(202);
      await waitFor("a failed delivery span", () =>
        deliveries().some((s) => s.status.code === SpanStatusCode.ERROR),
      );
      const failed = deliveries().find((s) => s.status.code === SpanStatusCode.ERROR);
      expect(failed?.attributes[RUNTIME_SPANS.id]).toBe("Bo");
      expect(failed?.status.message).toMatch(/500/);
      expect(failed?.events.map((e) => e.name)).toContain("exception");
    } finally {
      await close();
    }
  });

  it("makes no delivery span when off", async () => {
    const { runtime, close } = await setUp(false);
    try {
      expect((await send(runtime, "com.example.trace/fn/Cy", "hi")).status).toBe(202);
      await waitFor("the SDK's span", () =>
        exporter.getFinishedSpans().some((s) => s.name === "statefun.batch"),
      );
      expect(deliveries()).toEqual([]);
    } finally {
      await close();
    }
  });
});
