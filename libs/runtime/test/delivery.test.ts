// Delivery: one request per address, batching, the missing-state handshake, failing calls kept and retried.
import {
  Int32Type,
  KafkaEgressBuilder,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import {
  memoryLog,
  moduleYaml,
  runtimeFor,
  type SeenRequest,
  send,
  serveRecording,
  tempDir,
  waitFor,
  waitForRecords,
} from "./harness.js";

const OUT = typeNameFrom("test.io/out");
const seen = { name: "seen_count", valueType: Int32Type };

/** Counts messages per address and emits `<id>:<count>` to topic "counts". */
function counterFunctions() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/counter"),
      states: [seen],
      function: (ctx) => {
        const count = (ctx.storage.get(seen) ?? 0) + 1;
        ctx.storage.set(seen, count);
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "counts",
            key: ctx.self.id,
            value: `${ctx.self.id}:${count}`,
          }),
        );
      },
    })
    .asHandler();
}

/** Requests that carried state (not the first, handshake-only request). */
function withState(requests: SeenRequest[]): SeenRequest[] {
  return requests.filter((r) => (r.state ?? []).length > 0);
}

describe("delivery to functions", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(
    intercept?: Parameters<typeof serveRecording>[1],
    batch = 1000,
    call = "10s",
  ) {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const functions = await serveRecording(counterFunctions(), intercept);
    cleanups.push(functions.close);
    const logs = memoryLog();
    const module = moduleYaml("test.fns", functions.url, "", batch, call);
    const runtime = await runtimeFor(module, `${dir}/state.db`, logs);
    cleanups.push(() => runtime.close());
    return { functions, runtime, logs };
  }

  it("sends one request per address at a time and batches what arrives meanwhile (maxNumBatchRequests)", async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { functions, runtime } = await setup(async (request) => {
      if ((request.state ?? []).length > 0 && withState(functions.requests).length === 1)
        await held;
      return undefined;
    }, 3);
    await send(runtime, "test.fns/counter/a", "m0");
    await waitFor("the first request", () => withState(functions.requests).length === 1);
    for (let i = 1; i <= 5; i += 1) await send(runtime, "test.fns/counter/a", `m${i}`);
    // Another address is not blocked by the held one.
    await send(runtime, "test.fns/counter/b", "x");
    await waitForRecords(runtime.egressUrl, "counts", 1);
    expect(withState(functions.requests).filter((r) => r.target?.id === "a")).toHaveLength(1);
    release();
    const records = await waitForRecords(runtime.egressUrl, "counts", 7);
    const sizes = withState(functions.requests)
      .filter((r) => r.target?.id === "a")
      .map((r) => r.invocations?.length);
    expect(sizes).toEqual([1, 3, 2]);
    expect(records.filter((r) => r.key === "a").map((r) => r.value)).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => `a:${n}`),
    );
    const texts = withState(functions.requests)
      .filter((r) => r.target?.id === "a")
      .flatMap((r) =>
        (r.invocations ?? []).map((i) =>
          Buffer.from(i.argument?.value ?? [])
            .subarray(2)
            .toString(),
        ),
      );
    expect(texts).toEqual(["m0", "m1", "m2", "m3", "m4", "m5"]);
  });

  it("registers missing states on IncompleteInvocationContext and re-sends the same batch", async () => {
    const { functions, runtime } = await setup();
    await send(runtime, "test.fns/counter/h", "first");
    await waitForRecords(runtime.egressUrl, "counts", 1);
    await send(runtime, "test.fns/counter/h", "second");
    await waitForRecords(runtime.egressUrl, "counts", 2);
    const [handshake, retried, next] = functions.requests;
    expect(handshake?.state ?? []).toEqual([]);
    expect(retried?.state?.map((s) => [s.stateName, s.stateValue ?? undefined])).toEqual([
      ["seen_count", undefined],
    ]);
    expect(retried?.invocations).toEqual(handshake?.invocations);
    expect(next?.state?.[0]?.stateValue?.typename).toBe("io.statefun.types/int");
    expect(Int32Type.deserialize(next?.state?.[0]?.stateValue?.value ?? new Uint8Array())).toBe(1);
    expect(functions.requests).toHaveLength(3);
  });

  it("retries a 500 with backoff and applies the reply exactly once", async () => {
    let failures = 0;
    const { functions, runtime, logs } = await setup((request) => {
      if ((request.state ?? []).length > 0 && failures < 2) {
        failures += 1;
        return { status: 500, body: `boom ${failures}` };
      }
      return undefined;
    });
    await send(runtime, "test.fns/counter/r", "one");
    await send(runtime, "test.fns/counter/r", "two");
    const records = await waitForRecords(runtime.egressUrl, "counts", 2);
    expect(records.map((r) => r.value)).toEqual(["r:1", "r:2"]);
    expect(failures).toBe(2);
    expect(logs.lines.some((l) => l.startsWith("warn") && l.includes("HTTP 500: boom 1"))).toBe(
      true,
    );
    expect(functions.requests.length).toBeGreaterThanOrEqual(4);
    expect(runtime.stats().queued).toBe(0);
  });

  it("reports a call that fails beyond its budget loudly and keeps the batch until the function recovers", async () => {
    let failing = true;
    const { runtime, logs } = await setup(
      (request) =>
        (request.state ?? []).length > 0 && failing
          ? { status: 503, body: "down for maintenance" }
          : undefined,
      1000,
      "150ms",
    );
    await send(runtime, "test.fns/counter/k", "kept");
    const line = await waitFor("the failure report", () =>
      logs.lines.find((l) => l.startsWith("error FAILED test.fns/counter:k")),
    );
    expect(line).toContain("HTTP 503: down for maintenance");
    expect(line).toContain("The batch is kept (1 message(s) queued");
    expect(runtime.stats().queued).toBe(1);
    failing = false;
    const records = await waitForRecords(runtime.egressUrl, "counts", 1);
    expect(records.map((r) => r.value)).toEqual(["k:1"]);
    await waitFor("an empty queue", () => runtime.stats().queued === 0);
  });
});
