import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { DurableStore, type ReplyEffects } from "../durable-store.js";
import { ActivityRecorder } from "./activity-recorder.js";
import { MAX_INVOCATIONS_PER_FLUSH, openEventStream } from "./event-stream.js";
import { StoreReader } from "./store-reader.js";

const self = { namespace: "t.fns", type: "counter", id: "a" };

function recorder(bounds = { invocations: 5, cancelled: 2 }) {
  const store = new DurableStore(":memory:");
  let now = 1_000_000;
  const reader = new StoreReader(
    () => store.database(),
    () => now,
  );
  const recorded = new ActivityRecorder(
    {
      reader,
      types: { validators: new Map() },
      now: () => now,
      stateTypename: () => "io.statefun.types/int",
    },
    bounds,
  );
  return { store, recorded, tick: (ms: number) => (now += ms) };
}

function effects(seq: number, extra: Partial<ReplyEffects> = {}): ReplyEffects {
  return {
    self,
    consumedSeqs: [seq],
    stateChanges: [{ kind: "set", name: "n", value: new Uint8Array([8, seq & 0x7f]) }],
    registered: new Map(),
    outgoing: [],
    delayed: [],
    egress: [],
    now: 0,
    ...extra,
  };
}

function call(r: ReturnType<typeof recorder>, seq: number, extra: Partial<ReplyEffects> = {}) {
  r.recorded.callStarted(self, [
    {
      seq,
      target: self,
      caller: undefined,
      argument: {
        typename: "io.statefun.types/int",
        hasValue: true,
        value: new Uint8Array([8, 1]),
      },
    },
  ]);
  r.tick(7);
  const e = effects(seq, extra);
  r.recorded.replyApplying(e);
  r.recorded.replyApplied(e, []);
}

describe("ActivityRecorder", () => {
  it("keeps only the last invocations of its bound, however many there were", () => {
    const r = recorder();
    for (let i = 1; i <= 1000; i += 1) call(r, i);
    const kept = r.recorded.invocations.newestFirst();
    expect(kept).toHaveLength(5);
    expect(kept.map((e) => e.seq)).toEqual([1000, 999, 998, 997, 996]);
    expect(kept[0]).toMatchObject({ batchSize: 1, latencyMs: 7, outcome: "ok" });
    expect(r.recorded.invocations.pushed).toBe(1000);
    expect(r.recorded.statsOf("t.fns/counter")).toMatchObject({
      calls: 1000,
      inFlight: 0,
      health: { status: "ok" },
    });
    r.store.close();
  });

  it("keeps at most 10 items of a list and counts the rest as omitted", () => {
    const r = recorder();
    const outgoing = Array.from({ length: 25 }, (_, i) => ({
      target: { namespace: "t.fns", type: "sink", id: String(i) },
      argument: {
        typename: "io.statefun.types/string",
        hasValue: true,
        value: new Uint8Array([10, 1, 120]),
      },
    }));
    call(r, 1, { outgoing });
    const entry = r.recorded.invocations.newestFirst()[0];
    expect(entry?.sends).toHaveLength(10);
    expect(entry?.omitted).toBe(15);
    r.store.close();
  });

  it("marks failures on the function's health with the reason, until the next success", () => {
    const r = recorder();
    r.recorded.callStarted(self, []);
    r.recorded.callFailed(self, new Error("HTTP 500: boom"));
    r.recorded.callStarted(self, []);
    r.recorded.callFailed(self, new Error("HTTP 500: boom"));
    expect(r.recorded.statsOf("t.fns/counter")?.health).toMatchObject({
      status: "failed",
      reason: "HTTP 500: boom",
      consecutiveFailures: 2,
    });
    call(r, 3);
    expect(r.recorded.statsOf("t.fns/counter")?.health).toMatchObject({
      status: "ok",
      reason: null,
      consecutiveFailures: 0,
    });
    r.store.close();
  });
});

describe("the event stream", () => {
  it("sends at most 50 invocations per flush and counts the others as skipped", async () => {
    const r = recorder({ invocations: 500, cancelled: 2 });
    const server = createServer((_req, res) => openEventStream(res, r.recorded));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const abort = new AbortController();
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        signal: abort.signal,
      });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = "";
      const until = async (needle: string) => {
        while (!text.includes(needle))
          text += new TextDecoder().decode((await reader.read()).value);
      };
      await until("event: hello");
      for (let i = 1; i <= 200; i += 1) call(r, i);
      await until("event: changed");
      const invocations = text.split("event: invocation").length - 1;
      expect(invocations).toBe(MAX_INVOCATIONS_PER_FLUSH);
      expect(text).toContain(
        `event: skipped\ndata: {"invocations":${200 - MAX_INVOCATIONS_PER_FLUSH}}`,
      );
      // The newest are the ones sent.
      expect(text).toContain('"seq":200');
      expect(text).not.toContain('"seq":150,');
    } finally {
      abort.abort();
      server.closeAllConnections();
      server.close();
      r.store.close();
    }
  });
});
