// HandlerOptions.tracing with a real OpenTelemetry SDK (sdk-trace-base's in-memory exporter): a
// `statefun.batch` span per batch and a `statefun.invoke` span per invocation under it, with the
// function type, id and batch size; failures recorded; nothing traced without the option.

import { SpanStatusCode, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { stringValue, toFunction } from "../../test/wire.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { Int32Type } from "../types/built-in-types.js";
import { SDK_SPANS } from "./otel-tracing.js";

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
afterAll(async () => {
  await provider.shutdown();
  trace.disable();
});
beforeEach(() => exporter.reset());

const seen = { name: "seen", valueType: Int32Type };
function handler(tracing: boolean) {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("org.foo/greeter"),
      states: [seen],
      function: async (ctx, message) => {
        await Promise.resolve();
        if (message.asString() === "boom") throw new Error("boom refused");
        ctx.storage.set(seen, (ctx.storage.get(seen) ?? 0) + 1);
      },
    })
    .asHandler({ tracing, logger: { error() {} } });
}

const request = (texts: string[], withState = true) =>
  toFunction({
    target: { namespace: "org.foo", type: "greeter", id: "Bob" },
    ...(withState ? { states: { seen: null } } : {}),
    invocations: texts.map((text) => ({ argument: stringValue(text) })),
  });

const named = (name: string): ReadableSpan[] =>
  exporter.getFinishedSpans().filter((span) => span.name === name);

describe("HandlerOptions.tracing", () => {
  it("makes a batch span and one child span per invocation, with type, id and batch size", async () => {
    await handler(true).invoke(request(["a", "b"]));
    const [batch, ...more] = named(SDK_SPANS.batch);
    expect(more).toEqual([]);
    expect(batch?.attributes).toEqual({
      [SDK_SPANS.functionType]: "org.foo/greeter",
      [SDK_SPANS.id]: "Bob",
      [SDK_SPANS.batchSize]: 2,
    });
    expect(batch?.status.code).toBe(SpanStatusCode.UNSET);
    const invocations = named(SDK_SPANS.invoke);
    expect(invocations.map((span) => span.attributes[SDK_SPANS.invocation])).toEqual([1, 2]);
    for (const span of invocations) {
      expect(span.attributes).toMatchObject({
        [SDK_SPANS.functionType]: "org.foo/greeter",
        [SDK_SPANS.id]: "Bob",
        [SDK_SPANS.batchSize]: 2,
      });
      expect(span.parentSpanContext?.spanId).toBe(batch?.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(batch?.spanContext().traceId);
    }
  });

  it("records a failing invocation and its batch as errors", async () => {
    await expect(handler(true).invoke(request(["a", "boom", "c"]))).rejects.toThrow("boom refused");
    const [batch] = named(SDK_SPANS.batch);
    expect(batch?.status.code).toBe(SpanStatusCode.ERROR);
    const invocations = named(SDK_SPANS.invoke);
    expect(invocations.map((span) => span.status.code)).toEqual([
      SpanStatusCode.UNSET,
      SpanStatusCode.ERROR,
    ]);
    expect(invocations[1]?.status.message).toBe("boom refused");
    expect(invocations[1]?.events.map((event) => event.name)).toEqual(["exception"]);
  });

  it("marks the missing-state handshake, and traces nothing without the option", async () => {
    await handler(true).invoke(request(["a"], false));
    const [handshake] = named(SDK_SPANS.batch);
    expect(handshake?.attributes[SDK_SPANS.missingStates]).toBe(true);
    expect(named(SDK_SPANS.invoke)).toEqual([]);
    exporter.reset();
    await handler(false).invoke(request(["a", "b"]));
    expect(exporter.getFinishedSpans()).toEqual([]);
  });
});
