// A reply is applied all or nothing: when its last effect is rejected (a duplicate cancellation
// token), none of its earlier effects (a state write, an outgoing message, an egress record, a
// delayed message) may remain, on the first attempt or on any retry. Each effect is checked on
// its own, through what the runtime shows from outside: the state in the next request, the
// target's mailbox, the egress topic and the pending delayed messages.
import { Int32Type, StringType } from "@statefun-ts/sdk";
import {
  fromFunctionCodec,
  kafkaProducerRecordCodec,
  toFunctionCodec,
} from "@statefun-ts/sdk/wire";
import { afterEach, describe, expect, it } from "vitest";
import {
  listTopic,
  memoryLog,
  moduleYaml,
  runtimeFor,
  type SeenRequest,
  send,
  serve,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

const KAFKA = "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";
const INT = "io.statefun.types/int";
const STRING = "io.statefun.types/string";

const stringValue = (text: string) => ({
  typename: STRING,
  hasValue: true,
  value: StringType.serialize(text),
});
const kafka = (topic: string, key: string, value: string) => ({
  egressNamespace: "test.io",
  egressType: "out",
  argument: {
    typename: KAFKA,
    hasValue: true,
    value: kafkaProducerRecordCodec.encode({
      topic,
      key,
      valueBytes: Buffer.from(value),
    }),
  },
});
const argumentText = (request: SeenRequest, index = 0): string =>
  StringType.deserialize(request.invocations?.[index]?.argument?.value ?? new Uint8Array(0));

/**
 * test.raw/f: registers the int state `n`, then replies with a state write, an outgoing message
 * to test.raw/sink/1, a Kafka record, a delayed message, and a duplicate cancellation token last.
 * test.raw/sink: writes each argument it gets to the Kafka topic `sink`.
 */
function rawFunctions(seen: SeenRequest[]) {
  return (request: SeenRequest): Uint8Array => {
    seen.push(request);
    if (request.target?.type === "sink") {
      const texts = (request.invocations ?? []).map((_, i) => argumentText(request, i));
      return fromFunctionCodec.encode({
        invocationResult: { outgoingEgresses: texts.map((t) => kafka("sink", "1", t)) },
      });
    }
    if ((request.state ?? []).length === 0) {
      return fromFunctionCodec.encode({
        incompleteInvocationContext: { missingValues: [{ stateName: "n", typeTypename: INT }] },
      });
    }
    const sink = { namespace: "test.raw", type: "sink", id: "1" };
    const later = { namespace: "test.raw", type: "sink", id: "2" };
    return fromFunctionCodec.encode({
      invocationResult: {
        stateMutations: [
          {
            mutationType: 1,
            stateName: "n",
            stateValue: {
              typename: INT,
              hasValue: true,
              value: Int32Type.serialize(5),
            },
          },
        ],
        outgoingMessages: [{ target: sink, argument: stringValue("from f") }],
        outgoingEgresses: [kafka("atomic", "f", "from f")],
        delayedInvocations: [
          {
            delayInMs: 60_000,
            cancellationToken: "first",
            target: later,
            argument: stringValue("a"),
          },
          {
            delayInMs: 60_000,
            cancellationToken: "dup",
            target: later,
            argument: stringValue("b"),
          },
          {
            delayInMs: 60_000,
            cancellationToken: "dup",
            target: later,
            argument: stringValue("c"),
          },
        ],
      },
    });
  };
}

describe("a rejected reply applies nothing", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("leaves no state write, outgoing message, egress record or delayed message behind, on any retry", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const seen: SeenRequest[] = [];
    const reply = rawFunctions(seen);
    const served = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const request = toFunctionCodec.decode(Buffer.concat(chunks)).invocation as SeenRequest;
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(reply(request));
      });
    });
    cleanups.push(served.close);
    const logs = memoryLog();
    // Dead letters only after many attempts: this test watches the retries themselves.
    const runtime = await runtimeFor(moduleYaml("test.raw", served.url), `${dir}/state.db`, logs, {
      deadLetterAfter: 100,
    });
    cleanups.push(() => runtime.close());

    expect((await send(runtime, "test.raw/f/1", "go")).status).toBe(202);
    // the first attempt and two retries, each rejected
    const failures = () => logs.lines.filter((l) => l.startsWith("error FAILED test.raw/f:1:"));
    await waitFor("three rejected attempts", () => failures().length >= 3, 20_000);
    expect(failures()[0]).toContain('cancellation token "dup" is already pending');
    // (a first attempt that left "dup" or "first" pending would make the retries fail on them)
    for (const line of failures()) expect.soft(line).toContain('token "dup"');

    // State: every attempt after the registration saw `n` without a value.
    const attempts = seen.filter((r) => r.target?.type === "f" && (r.state ?? []).length > 0);
    expect.soft(attempts.length).toBeGreaterThanOrEqual(3);
    for (const attempt of attempts) {
      expect
        .soft(attempt.state?.map((s) => [s.stateName, s.stateValue?.hasValue ?? false]))
        .toEqual([["n", false]]);
    }

    // Outgoing message: sink/1's mailbox is FIFO, so a message enqueued by a rejected reply
    // would reach sink/1 before this one.
    expect((await send(runtime, "test.raw/sink/1", "marker")).status).toBe(202);
    const sinkRecords = await waitForRecords(runtime.egressUrl, "sink", 1);
    expect.soft(sinkRecords.map((r) => r.value)).toEqual(["marker"]);
    const sinkCalls = seen.filter((r) => r.target?.type === "sink");
    expect
      .soft(sinkCalls.flatMap((r) => (r.invocations ?? []).map((_, i) => argumentText(r, i))))
      .toEqual(["marker"]);

    // Egress records: none in the reply's topic.
    await expect.soft(listTopic(runtime.egressUrl, "atomic")).resolves.toEqual([]);
    // Delayed messages: none pending; the batch is kept for the next retry.
    expect.soft(runtime.stats()).toEqual({ queued: 1, delayed: 0, deadLetters: 0 });
  });
});
