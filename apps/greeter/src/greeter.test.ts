// The greeter with the local runtime, end to end over real HTTP on 127.0.0.1: ingress -> runtime
// -> greeter service -> runtime -> Kafka egress topic.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runDemo } from "./demo-script.js";
import { RECENT_LIMIT } from "./functions/inbox.js";
import { type StartedGreeter, type StartGreeterOptions, startGreeter } from "./start-greeter.js";

let dir: string;
let running: StartedGreeter | undefined;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "greeter-test-"));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(options: StartGreeterOptions = {}): Promise<StartedGreeter> {
  running = await startGreeter({
    port: 0,
    ...options,
    runtime: { ingressPort: 0, egressPort: 0, stateFile: join(dir, "state.db"), log: () => {} },
  });
  return running;
}

async function put(
  g: StartedGreeter,
  path: string,
  contentType: string,
  body: string,
): Promise<Response> {
  return fetch(`${g.runtime.ingressUrl}/${path}`, {
    method: "PUT",
    headers: { "Content-Type": contentType },
    body,
  });
}

interface EgressRecord {
  key: string;
  value: string;
  typename: string;
  kind: string;
  egress: string;
  timestamp: number;
}

async function greetings(g: StartedGreeter): Promise<EgressRecord[]> {
  const res = await fetch(`${g.runtime.egressUrl}/greetings/records?from=0&limit=1000`);
  if (res.status === 404) return [];
  const body = (await res.json()) as { records: EgressRecord[] };
  return body.records;
}

async function waitForGreetings(
  g: StartedGreeter,
  count: number,
  timeoutMs = 10_000,
): Promise<EgressRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const records = await greetings(g);
    if (records.length >= count || Date.now() > deadline) return records;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Waits until the runtime's queue and pending delayed messages have exactly these counts. */
async function waitForStats(
  g: StartedGreeter,
  expected: { queued: number; delayed: number },
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = g.runtime.stats();
    if (stats.queued === expected.queued && stats.delayed === expected.delayed) return;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${JSON.stringify(expected)}; runtime stats: ${JSON.stringify(stats)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Waits until a greeting keyed `key` is in the topic; fails after `timeoutMs`. */
async function waitForKey(g: StartedGreeter, key: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await greetings(g)).some((r) => r.key === key)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for a greeting to ${key}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("the greeter on the local runtime", () => {
  it("greets each user with an exact count and writes every greeting to the Kafka topic", async () => {
    const g = await start();
    for (const name of ["Bob", "Alice", "Bob", "Bob", "Alice"]) {
      expect(
        (await put(g, `com.example.fns/greeter/${name}`, "text/plain", name)).status,
      ).toBeLessThan(300);
    }
    const records = await waitForGreetings(g, 5);
    const byUser = (name: string) => records.filter((r) => r.key === name).map((r) => r.value);
    expect(byUser("Bob")).toEqual([
      "Hello Bob for the 1th time!",
      "Hello Bob for the 2th time!",
      "Hello Bob for the 3th time!",
    ]);
    expect(byUser("Alice")).toEqual([
      "Hello Alice for the 1th time!",
      "Hello Alice for the 2th time!",
    ]);
    expect(records[0]).toMatchObject({ egress: "com.example/greets", kind: "kafka" });
  });

  it("takes a com.example/GreetRequest and validates it at the ingress", async () => {
    const g = await start();
    const ok = await put(
      g,
      "com.example.fns/greeter/Ann",
      "application/vnd.com.example/GreetRequest",
      '{"name":"Ann"}',
    );
    expect(ok.status, await ok.clone().text()).toBeLessThan(300);
    const bad = await put(
      g,
      "com.example.fns/greeter/Ann",
      "application/vnd.com.example/GreetRequest",
      '{"nome":"Ann"}',
    );
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/com\.example\/GreetRequest/);
    const records = await waitForGreetings(g, 1);
    expect(records.map((r) => r.value)).toEqual(["Hello Ann for the 1th time!"]);
  });

  it("keeps counts across a restart of the runtime and the service (durable state)", async () => {
    const first = await start();
    await put(first, "com.example.fns/greeter/Bob", "text/plain", "Bob");
    await put(first, "com.example.fns/greeter/Bob", "text/plain", "Bob");
    expect(await waitForGreetings(first, 2)).toHaveLength(2);
    await first.close();
    running = undefined;

    const second = await start();
    await put(second, "com.example.fns/greeter/Bob", "text/plain", "Bob");
    const records = await waitForGreetings(second, 3);
    expect(records.map((r) => r.value).at(-1)).toBe("Hello Bob for the 3th time!");
  });

  it("keeps only the last greetings in the inbox state", async () => {
    const g = await start();
    for (let i = 0; i < RECENT_LIMIT + 2; i++)
      await put(g, "com.example.fns/greeter/Zed", "text/plain", "Zed");
    const records = await waitForGreetings(g, RECENT_LIMIT + 2);
    expect(records).toHaveLength(RECENT_LIMIT + 2);
    expect(records.at(-1)!.value).toBe(`Hello Zed for the ${RECENT_LIMIT + 2}th time!`);
  });

  it("delivers a delayed reply after its delay, and never a cancelled one", async () => {
    const delayMs = 400;
    const g = await start({ delayMs });
    const sentAt = Date.now();
    await put(g, "com.example.fns/delayed/Bob", "text/plain", "later");
    await put(g, "com.example.fns/delayed/Carl", "text/plain", "later");
    await put(g, "com.example.fns/delayed/Carl", "text/plain", "cancel");
    // every message handled: Bob's reply pending, Carl's cancelled
    await waitForStats(g, { queued: 0, delayed: 1 });

    const records = await waitForGreetings(g, 1, 10_000);
    expect(records.map((r) => [r.key, r.value])).toEqual([["Bob", "Hello from the future!"]]);
    expect(records[0]!.timestamp - sentAt).toBeGreaterThanOrEqual(delayMs);

    // Carl's cancelled reply would be due before a reply asked for now: once that one arrived
    // and nothing is pending, Carl's never came.
    await put(g, "com.example.fns/delayed/Marker", "text/plain", "later");
    await waitForKey(g, "Marker");
    await waitForStats(g, { queued: 0, delayed: 0 });
    expect((await greetings(g)).map((r) => r.key)).toEqual(["Bob", "Marker"]);
  });

  it("a newer message replaces the pending delayed reply (one reply, not two)", async () => {
    const delayMs = 500;
    const g = await start({ delayMs });
    await put(g, "com.example.fns/delayed/Dee", "text/plain", "first");
    await waitForStats(g, { queued: 0, delayed: 1 });
    const secondAt = Date.now();
    await put(g, "com.example.fns/delayed/Dee", "text/plain", "second");
    // both messages handled (the second replaced the first reply): still one reply pending
    await waitForStats(g, { queued: 0, delayed: 1 });
    const [dee] = await waitForGreetings(g, 1, 10_000);
    expect(dee).toMatchObject({ key: "Dee", value: "Hello from the future!" });
    // the reply is the second message's: due a full delay after it was sent
    expect(dee!.timestamp - secondAt).toBeGreaterThanOrEqual(delayMs);

    // A reply asked for now is due after any reply to Dee: once it arrived and nothing is
    // pending, a second reply to Dee would have been written before it.
    await put(g, "com.example.fns/delayed/Marker", "text/plain", "later");
    await waitForKey(g, "Marker");
    await waitForStats(g, { queued: 0, delayed: 0 });
    expect((await greetings(g)).map((r) => r.key)).toEqual(["Dee", "Marker"]);
  });
});

describe("npm run demo", () => {
  it("prints three greetings for two users and succeeds", async () => {
    const lines: string[] = [];
    expect(await runDemo((line) => lines.push(line))).toBe(true);
    expect(lines.filter((l) => l.startsWith("  "))).toHaveLength(3);
  });
});
