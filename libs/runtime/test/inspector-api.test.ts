// The inspector's HTTP API against a real runtime calling real SDK functions over HTTP: what it
// shows of functions, addresses (decoded state), invocations, delayed messages, egress and types,
// the send action, the browser-safety rules and the server-sent events.
import { request } from "node:http";
import { fileURLToPath } from "node:url";
import type {
  AddressesResponse,
  AddressResponse,
  DeadLettersResponse,
  DelayedResponse,
  FunctionsResponse,
  InvocationsResponse,
  OverviewResponse,
  TopicResponse,
  TopicsResponse,
  TypesResponse,
} from "@statefun-ts/inspector/api-types";
import { GreetRequestType } from "@statefun-ts/registry-examples";
import {
  type Context,
  expireAfterWrite,
  Int32Type,
  KafkaEgressBuilder,
  type Message,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadJsonSchemas, type Runtime, validatorsFromTypes } from "../src/index.js";
import { memoryLog, moduleYaml, runtimeFor, send, serve, tempDir, waitFor } from "./harness.js";

const COUNTER = typeNameFrom("insp.fns/counter");
const SINK = typeNameFrom("insp.fns/sink");
const SCHEMAS = fileURLToPath(new URL("../../../schemas", import.meta.url));

const count = { name: "count", valueType: Int32Type };
const note = { name: "note", valueType: GreetRequestType, expiration: expireAfterWrite(3_600_000) };

function counter(ctx: Context, message: Message): void {
  const text = message.asString();
  if (text === "boom") throw new Error("the counter refuses boom");
  if (text === "later") {
    ctx.sendAfterWithCancellationToken(60_000, "tok", {
      target: { functionType: SINK, id: ctx.self.id },
      value: "late",
    });
    return;
  }
  if (text === "cancel" || text === "cancel-again") {
    ctx.cancelDelayedMessage("tok");
    return;
  }
  const n = (ctx.storage.get(count) ?? 0) + 1;
  ctx.storage.set(count, n);
  ctx.storage.set(note, { name: text });
  ctx.send({ target: { functionType: SINK, id: ctx.self.id }, value: `${text} #${n}` });
  ctx.sendEgress(
    new KafkaEgressBuilder({
      target: typeNameFrom("insp/out"),
      topic: "out",
      key: ctx.self.id,
      value: `${text} #${n}`,
    }),
  );
}

let dir: ReturnType<typeof tempDir>;
let runtime: Runtime;
let closeFunctions: () => Promise<void>;
let base: string;

beforeEach(async () => {
  dir = tempDir();
  const handler = statefulFunctionsBuilder()
    .withSpec({ functionType: COUNTER, states: [count, note], function: counter })
    .withSpec({ functionType: SINK, function: () => {} })
    .asHandler();
  // The SDK's own HTTP adapter: an unknown function type is answered with 404, as in production.
  const functions = await serve(handler);
  closeFunctions = functions.close;
  runtime = await runtimeFor(
    moduleYaml(
      "insp.fns",
      `${functions.url}/statefun`,
      "---\nkind: io.statefun.kafka.v1/egress\nspec:\n  id: insp/out\n  address: x:9092\n",
      1000,
      // A failing call is retried within this budget before the inspector shows it as failed.
      "2s",
    ),
    `${dir.dir}/state.db`,
    memoryLog(),
    {
      inspectorPort: 0,
      validators: validatorsFromTypes([GreetRequestType]),
      schemas: loadJsonSchemas(SCHEMAS),
      retry: { initialMs: 60_000, maxMs: 60_000 },
      deadLetterAfter: 1,
    },
  );
  base = `${runtime.inspectorUrl}api/`;
});

afterEach(async () => {
  await runtime.close();
  await closeFunctions();
  dir.cleanup();
});

async function get<T>(path: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(base + path, { headers });
  const body = (await response.json()) as T;
  if (response.status !== 200)
    throw new Error(`GET ${path}: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function delivered(id: string, value: number): Promise<void> {
  await waitFor(`count ${value} of ${id}`, async () => {
    const address = await get<AddressResponse>(`addresses/insp.fns/counter/${id}`);
    return address.states.find((s) => s.name === "count")?.value?.value === value;
  });
}

describe("the inspector API", () => {
  it("is off unless asked for, and serves on a free port when asked", async () => {
    const plain = await runtimeFor(
      moduleYaml("x.fns", "http://127.0.0.1:1/statefun"),
      ":memory:",
      memoryLog(),
    );
    expect(plain.inspectorUrl).toBeUndefined();
    await plain.close();
    expect(runtime.inspectorUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const overview = await get<OverviewResponse>("overview");
    expect(overview).toMatchObject({
      ingressUrl: runtime.ingressUrl,
      egressUrl: runtime.egressUrl,
      bounds: { invocations: 500, cancelled: 200 },
    });
  });

  it("shows each function with its endpoint, health, calls and queue, and the reason of a failure", async () => {
    await send(runtime, "insp.fns/counter/alice", "hello");
    await delivered("alice", 1);
    let functions = await get<FunctionsResponse>("functions");
    const row = functions.functions.find((f) => f.functionType === "insp.fns/counter");
    expect(row).toMatchObject({
      pattern: "insp.fns/*",
      health: { status: "ok", reason: null },
      calls: 1,
      inFlight: 0,
      queued: 0,
    });
    expect(row?.url).toMatch(/\/statefun$/);
    expect(row?.callsPerSecond).toBeGreaterThan(0);
    expect(functions.endpoints[0]?.pattern).toBe("insp.fns/*");

    await send(runtime, "insp.fns/counter/bob", "boom");
    functions = await waitFor("the failure", async () => {
      const f = await get<FunctionsResponse>("functions");
      return f.functions.find((x) => x.functionType === "insp.fns/counter")?.health.status ===
        "failed"
        ? f
        : undefined;
    });
    const failed = functions.functions.find((f) => f.functionType === "insp.fns/counter");
    expect(failed?.health.reason).toContain("the counter refuses boom");
    expect(failed?.queued).toBe(1);
    const flow = await get<InvocationsResponse>("invocations?id=bob");
    expect(flow.entries[0]).toMatchObject({
      outcome: "failed",
      batchSize: 1,
      address: { id: "bob" },
    });
    expect(flow.entries[0]?.error).toContain("the counter refuses boom");
  });

  it("lists addresses by type or id and decodes every state value with its expiration", async () => {
    await send(runtime, "insp.fns/counter/alice", "Alice");
    await send(runtime, "insp.fns/counter/bob", "Bob");
    await delivered("alice", 1);
    await delivered("bob", 1);
    const byId = await get<AddressesResponse>("addresses?q=alic");
    expect(byId.addresses.map((a) => a.address.id)).toEqual(["alice"]);
    const byType = await get<AddressesResponse>("addresses?type=insp.fns/counter");
    expect(byType.total).toBe(2);
    const address = await get<AddressResponse>("addresses/insp.fns/counter/alice");
    expect(address.served).toBe(true);
    const countState = address.states.find((s) => s.name === "count");
    expect(countState).toMatchObject({
      registered: true,
      expiresAt: null,
      value: { kind: "builtin", typename: "io.statefun.types/int", value: 1 },
    });
    const noteState = address.states.find((s) => s.name === "note");
    expect(noteState?.value).toMatchObject({
      kind: "json",
      typename: "com.example/GreetRequest",
      value: { name: "Alice" },
      schema: "valid",
    });
    expect(noteState?.value?.text).toBe('{\n  "name": "Alice"\n}');
    expect(noteState?.expiry).toEqual({ mode: "after-write", ttlMs: 3_600_000 });
    expect(noteState?.expiresAt).toBeGreaterThan(Date.now() + 3_500_000);
    expect(address.invocations[0]?.mutations.map((m) => m.name).sort()).toEqual(["count", "note"]);
  });

  it("records each invocation's effects: mutations, sends, egress records; filters by type and id", async () => {
    await send(runtime, "insp.fns/counter/alice", "hi");
    await delivered("alice", 1);
    const flow = await waitFor("the sink's invocation", async () => {
      const f = await get<InvocationsResponse>("invocations");
      return f.entries.some((e) => e.address.type === "sink") ? f : undefined;
    });
    expect(flow.bound).toBe(500);
    const entry = (await get<InvocationsResponse>("invocations?type=counter&id=alice")).entries[0];
    expect(entry?.messages[0]).toMatchObject({ caller: null, argument: { value: "hi" } });
    expect(entry?.sends).toEqual([
      expect.objectContaining({
        target: { namespace: "insp.fns", type: "sink", id: "alice" },
        argument: expect.objectContaining({ value: "hi #1" }),
      }),
    ]);
    expect(entry?.egress).toEqual([
      expect.objectContaining({
        topic: "out",
        offset: 0,
        key: "alice",
        value: "hi #1",
        valueEncoding: "utf8",
      }),
    ]);
    expect(entry?.latencyMs).toBeGreaterThanOrEqual(0);
    const sink = (await get<InvocationsResponse>("invocations?type=sink")).entries[0];
    expect(sink?.messages[0]?.caller).toEqual({
      namespace: "insp.fns",
      type: "counter",
      id: "alice",
    });
  });

  it("shows a pending delayed message with its token, then marks it cancelled", async () => {
    await send(runtime, "insp.fns/counter/carol", "later");
    const pending = await waitFor("the delayed message", async () => {
      const d = await get<DelayedResponse>("delayed");
      return d.pending.length === 1 ? d : undefined;
    });
    expect(pending.pending[0]).toMatchObject({
      status: "pending",
      token: "tok",
      sender: { type: "counter", id: "carol" },
      target: { type: "sink", id: "carol" },
      argument: { value: "late" },
    });
    expect(pending.pending[0]?.dueAt).toBeGreaterThan(Date.now() + 50_000);
    await send(runtime, "insp.fns/counter/carol", "cancel");
    const after = await waitFor("the cancellation", async () => {
      const d = await get<DelayedResponse>("delayed");
      return d.cancelled.length === 1 ? d : undefined;
    });
    expect(after.pending).toEqual([]);
    expect(after.cancelled[0]).toMatchObject({ status: "cancelled", token: "tok" });
    expect(after.cancelled[0]?.cancelledAt).toBeGreaterThan(0);
    // A cancellation with nothing pending is shown as such, not as a cancelled message.
    await send(runtime, "insp.fns/counter/carol", "cancel-again");
    const again = await waitFor("the second cancel", async () => {
      const e = (await get<InvocationsResponse>("invocations?id=carol")).entries[0];
      return e?.messages[0]?.argument.value === "cancel-again" ? e : undefined;
    });
    expect(again.cancellations).toEqual([{ token: "tok", cancelled: false }]);
    expect((await get<DelayedResponse>("delayed")).cancelled).toHaveLength(1);
  });

  it("lists egress topics and their latest records, newest first, as the egress API decodes them", async () => {
    for (const name of ["a", "b", "c"]) await send(runtime, `insp.fns/counter/${name}`, name);
    await waitFor(
      "3 records",
      async () => (await get<TopicsResponse>("egress")).topics[0]?.records === 3,
    );
    const topic = await get<TopicResponse>("egress/out?limit=2");
    expect(topic.total).toBe(3);
    expect(topic.records.map((r) => r.offset)).toEqual([2, 1]);
    expect(topic.records[0]).toMatchObject({
      topic: "out",
      kind: "kafka",
      egress: "insp/out",
      valueEncoding: "utf8",
    });
  });

  it("lists the types with the registry's schemas", async () => {
    const { types } = await get<TypesResponse>("types");
    expect(types.filter((t) => t.kind === "builtin").map((t) => t.typename)).toContain(
      "io.statefun.types/long",
    );
    const greet = types.find((t) => t.typename === "com.example/GreetRequest");
    expect(greet?.kind).toBe("registry");
    expect(greet?.schema?.$id).toBe(
      "https://statefun-ts.local/schemas/com.example/GreetRequest.schema.json",
    );
  });

  it("sends a message through POST /api/send with the ingress's checks", async () => {
    const ok = await post("send", {
      functionType: "insp.fns/counter",
      id: "dave",
      typename: "io.statefun.types/string",
      value: "Dave",
    });
    expect(ok.status).toBe(202);
    expect(ok.json).toMatchObject({
      accepted: true,
      target: "insp.fns/counter/dave",
      typename: "io.statefun.types/string",
    });
    await delivered("dave", 1);
    const bad = await post("send", {
      functionType: "insp.fns/counter",
      id: "dave",
      typename: "com.example/GreetRequest",
      value: '{"name":1}',
    });
    expect(bad.status).toBe(400);
    expect(String(bad.json.error)).toContain("/name");
    const unknown = await post("send", {
      functionType: "other.fns/x",
      id: "1",
      typename: "io.statefun.types/string",
      value: "",
    });
    expect(unknown.status).toBe(404);
    const missing = await post("send", { functionType: "insp.fns/counter" });
    expect(missing.status).toBe(400);
    expect(String(missing.json.error)).toContain('"id"');
    const form = await fetch(`${base}send`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "{}",
    });
    expect(form.status).toBe(415);
  });

  it("lists dead letters with their reason and attempts, replays and drops them", async () => {
    expect((await send(runtime, "insp.fns/nobody/x", "lost")).status).toBe(202);
    const listed = await waitFor("the dead letter", async () => {
      const d = await get<DeadLettersResponse>("dead-letters");
      return d.total === 1 ? d : undefined;
    });
    const letter = listed.deadLetters[0];
    expect(letter).toMatchObject({
      address: { namespace: "insp.fns", type: "nobody", id: "x" },
      caller: null,
      attempts: 1,
      argument: { kind: "builtin", value: "lost" },
    });
    expect(letter?.reason).toContain("404");
    expect((await get<OverviewResponse>("overview")).deadLetters).toBe(1);
    const n = letter?.n ?? -1;
    expect((await fetch(`${base}dead-letters/${n}/replay`)).status).toBe(405);
    const replay = await fetch(`${base}dead-letters/${n}/replay`, { method: "POST" });
    expect(await replay.json()).toEqual({ replayed: n, target: "insp.fns/nobody/x" });
    // It fails again (the type is still unserved) and comes back under a new number.
    const again = await waitFor("the replayed dead letter", async () => {
      const d = await get<DeadLettersResponse>("dead-letters");
      return d.deadLetters[0] && d.deadLetters[0].n !== n ? d.deadLetters[0] : undefined;
    });
    const drop = await fetch(`${base}dead-letters/${again.n}`, { method: "DELETE" });
    expect(await drop.json()).toEqual({ dropped: again.n });
    expect((await get<DeadLettersResponse>("dead-letters")).total).toBe(0);
    expect((await fetch(`${base}dead-letters/${again.n}`, { method: "DELETE" })).status).toBe(404);
    expect((await fetch(`${base}dead-letters/abc`, { method: "DELETE" })).status).toBe(404);
  });

  it("applies the browser-safety rules: loopback Host, own Origin, no cross-site API calls, no state change on GET", async () => {
    const port = new URL(base).port;
    const origin = `http://127.0.0.1:${port}`;
    expect((await get<OverviewResponse>("overview", { Origin: origin })).ingressUrl).toBe(
      runtime.ingressUrl,
    );
    const refused = async (headers: Record<string, string>, method = "GET", path = "overview") => {
      const response = await fetch(base + path, { method, headers });
      return {
        status: response.status,
        error: ((await response.json()) as { error: string }).error,
      };
    };
    // fetch cannot set Host (DNS rebinding is what sends a foreign one): a plain request can.
    const rebinding = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const r = request(
        {
          host: "127.0.0.1",
          port,
          path: "/api/overview",
          headers: { Host: `evil.example:${port}` },
        },
        (res) => {
          let body = "";
          res.on("data", (c: Buffer) => {
            body += c.toString();
          });
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      r.on("error", reject);
      r.end();
    });
    expect(rebinding.status).toBe(403);
    expect(rebinding.body).toContain("loopback");
    const foreign = await refused({ Origin: "http://evil.example" }, "POST", "send");
    expect(foreign.status).toBe(403);
    expect(foreign.error).toContain("Origin");
    const crossSite = await refused({ "Sec-Fetch-Site": "cross-site" });
    expect(crossSite.status).toBe(403);
    expect((await refused({}, "GET", "send")).status).toBe(405);
    expect((await refused({}, "POST", "functions")).status).toBe(405);
    expect((await refused({}, "DELETE", "addresses")).status).toBe(405);
    expect((await refused({}, "GET", "nothing")).status).toBe(404);
    const page = await fetch(runtime.inspectorUrl ?? "");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("streams invocations and changes as server-sent events", async () => {
    const abort = new AbortController();
    const response = await fetch(`${base}events`, { signal: abort.signal });
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}: ${text}`);
        text += new TextDecoder().decode(value);
      }
    };
    await readUntil("event: hello");
    await send(runtime, "insp.fns/counter/erin", "Erin");
    await readUntil('"id":"erin"');
    await readUntil("event: changed");
    expect(text).toContain("event: invocation");
    const invocation = text.split("\n\n").find((block) => block.startsWith("event: invocation"));
    const data = JSON.parse(invocation?.split("\ndata: ")[1] ?? "{}") as {
      address: { id: string };
    };
    expect(data.address.id).toBe("erin");
    abort.abort();
  });
});
