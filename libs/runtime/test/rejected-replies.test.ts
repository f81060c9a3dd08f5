// Replies the real runtime would fail on: rejected per function, nothing applied, dead-lettered, others keep running.
import {
  fromFunctionCodec,
  type InvocationBatchRequest,
  type InvocationResponse,
  kafkaProducerRecordCodec,
  toFunctionCodec,
} from "@statefun-ts/sdk/wire";
import { afterEach, describe, expect, it } from "vitest";
import {
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serve,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

const KAFKA = "type.googleapis.com/io.statefun.sdk.egress.KafkaProducerRecord";

// A function written directly on the wire messages, to produce replies the SDK refuses to build
// (negative delays, duplicate tokens, a state written with another type).
function rawReply(request: InvocationBatchRequest): Uint8Array {
  const id = request.target?.id ?? "";
  if ((request.state ?? []).length === 0) {
    return fromFunctionCodec.encode({
      incompleteInvocationContext: {
        missingValues: [{ stateName: "n", typeTypename: "io.statefun.types/int" }],
      },
    });
  }
  const target = { namespace: "test.raw", type: "f", id: "ok" };
  const argument = {
    typename: "io.statefun.types/string",
    hasValue: true,
    value: new Uint8Array([0x0a, 0x01, 0x78]),
  };
  const egress = {
    egressNamespace: "test.io",
    egressType: "out",
    argument: {
      typename: KAFKA,
      hasValue: true,
      value: kafkaProducerRecordCodec.encode({
        topic: "raw",
        key: id,
        valueBytes: Buffer.from(`done ${id}`),
      }),
    },
  };
  const results: Record<string, InvocationResponse> = {
    negative: {
      delayedInvocations: [{ delayInMs: -5, target, argument }],
      outgoingEgresses: [egress],
    },
    duplicate: {
      delayedInvocations: [
        { delayInMs: 60_000, cancellationToken: "same", target, argument },
        { delayInMs: 60_000, cancellationToken: "same", target, argument },
      ],
      outgoingEgresses: [egress],
    },
    badtype: {
      stateMutations: [
        {
          mutationType: 1,
          stateName: "n",
          stateValue: {
            typename: "io.statefun.types/long",
            hasValue: true,
            value: new Uint8Array(),
          },
        },
      ],
      outgoingEgresses: [egress],
    },
    unrouted: {
      outgoingMessages: [{ target: { namespace: "nowhere", type: "fn", id: "1" }, argument }],
    },
    ok: { outgoingEgresses: [egress] },
  };
  return fromFunctionCodec.encode({ invocationResult: results[id] ?? {} });
}

describe("replies the real runtime would fail on", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("reports negative delays, duplicate tokens, mistyped state writes and unknown targets per function, applies nothing of them and keeps running", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const served = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const request = toFunctionCodec.decode(Buffer.concat(chunks)).invocation;
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(request ? rawReply(request) : new Uint8Array());
      });
    });
    cleanups.push(served.close);
    const logs = memoryLog();
    const runtime = await runtimeFor(moduleYaml("test.raw", served.url), `${dir}/state.db`, logs);
    cleanups.push(() => runtime.close());

    for (const id of ["negative", "duplicate", "badtype", "unrouted"]) {
      expect((await send(runtime, `test.raw/f/${id}`, "go")).status).toBe(202);
    }
    const failed = (id: string) =>
      logs.lines.find((l) => l.startsWith(`error FAILED test.raw/f:${id}:`));
    await waitFor("four failure reports", () =>
      ["negative", "duplicate", "badtype", "unrouted"].every(failed),
    );
    expect(failed("negative")).toContain("negative delay of -5 ms");
    expect(failed("duplicate")).toContain(
      'cancellation token "same" is already pending for sender test.raw/f:duplicate',
    );
    expect(failed("badtype")).toContain(
      'MODIFY of state "n" with type io.statefun.types/long, but the state is registered with type io.statefun.types/int',
    );
    expect(failed("unrouted")).toContain("nowhere/fn, which no endpoint in module.yaml serves");

    // The runtime keeps serving other addresses; the rejected replies wrote nothing to "raw"
    // (checked after the one that did, which they all preceded).
    await send(runtime, "test.raw/f/ok", "go");
    await waitForRecords(runtime.egressUrl, "raw", 1);
    const records = await (await fetch(`${runtime.egressUrl}/raw/records`)).json();
    expect((records as { records: Array<{ key: string }> }).records.map((r) => r.key)).toEqual([
      "ok",
    ]);
    // Nothing of the rejected replies was applied: no delayed message, no egress; after a few
    // attempts each message is set aside as a dead letter with the reason, and the address moves on.
    await waitFor("four dead letters", () => runtime.stats().deadLetters === 4);
    expect(runtime.stats()).toEqual({ queued: 0, delayed: 0, deadLetters: 4 });
    const listed = (await (await fetch(`${runtime.egressUrl}/dead-letters`)).json()) as {
      deadLetters: Array<{ target: string; reason: string; attempts: number }>;
    };
    expect(listed.deadLetters.map((l) => l.target).sort()).toEqual([
      "test.raw/f/badtype",
      "test.raw/f/duplicate",
      "test.raw/f/negative",
      "test.raw/f/unrouted",
    ]);
    expect(listed.deadLetters.every((l) => l.attempts === 3)).toBe(true);
    expect(listed.deadLetters.find((l) => l.target.endsWith("/negative"))?.reason).toContain(
      "negative delay of -5 ms",
    );
  });
});
