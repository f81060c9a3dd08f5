// Issue 16 rows: a queue too large for one request (700 x 100 KB), 413 halving, 404 for a type
// the endpoint does not serve, and the dead-letter API (HTTP and CLI).
import { writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { KafkaEgressBuilder, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import { spawnCli, startChild } from "./child-runtime.js";
import { memoryLog, moduleYaml, runtimeFor, send, serve, tempDir, waitFor } from "./harness.js";

const OUT = typeNameFrom("test.io/out");

/** Echoes the size of each message to topic "sizes". */
function sizes() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("test.fns/size"),
      states: [],
      function: (ctx, message) => {
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: OUT,
            topic: "sizes",
            key: ctx.self.id,
            value: `${message.rawValue().length}`,
          }),
        );
      },
    })
    .asHandler();
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function topicCount(egressUrl: string, topic: string): Promise<number> {
  const response = await fetch(`${egressUrl}/topics`);
  const { topics } = (await response.json()) as {
    topics: Array<{ topic: string; records: number }>;
  };
  return topics.find((t) => t.topic === topic)?.records ?? 0;
}

describe("batches within limits and dead letters", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it("delivers 700 x 100 KB queued for one id while the function was down, without dying (batches within 16 MiB)", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const port = await freePort();
    const moduleFile = `${dir}/module.yaml`;
    writeFileSync(moduleFile, moduleYaml("test.fns", `http://127.0.0.1:${port}/statefun`));
    const child = await startChild(moduleFile, `${dir}/state.db`);
    cleanups.push(() => {
      child.process.kill("SIGKILL");
    });
    const body = "x".repeat(100 * 1024);
    for (let i = 0; i < 700; i += 20) {
      const puts = Array.from({ length: 20 }, () =>
        fetch(`${child.ingressUrl}/test.fns/size/one`, {
          method: "PUT",
          headers: { "Content-Type": "text/plain" },
          body,
        }).then((r) => r.status),
      );
      expect(new Set(await Promise.all(puts))).toEqual(new Set([202]));
    }
    // The function starts: the SDK's own HTTP handler (64 MiB body limit, 413 + reset beyond).
    const handler = sizes();
    const server = (await import("node:http")).createServer(handler);
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
    );
    await waitFor(
      "700 records",
      async () => {
        if (child.process.exitCode !== null)
          throw new Error(`the runtime died:\n${child.output().slice(-2000)}`);
        return (await topicCount(child.egressUrl, "sizes")) >= 700;
      },
      60_000,
    );
    expect(await topicCount(child.egressUrl, "sizes")).toBe(700);
    expect(child.process.exitCode).toBeNull();
    expect(child.output()).not.toContain("ECONNRESET\n    at");
  }, 120_000);

  it("halves a batch refused with 413 until it fits, and sets a single refused message aside as a dead letter", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const handler = sizes();
    const bodies: number[] = [];
    // A function that refuses request bodies over 64 KB, after reading them.
    const served = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const body = Buffer.concat(chunks);
        bodies.push(body.length);
        if (body.length > 64 * 1024) {
          res.writeHead(413, { "Content-Type": "text/plain" });
          res.end("request body larger than 65536 bytes");
          return;
        }
        void handler.invoke(new Uint8Array(body)).then((reply) => {
          res.writeHead(200, { "Content-Type": "application/octet-stream" });
          res.end(reply);
        });
      });
    });
    cleanups.push(served.close);
    const logs = memoryLog();
    const runtime = await runtimeFor(moduleYaml("test.fns", served.url), `${dir}/state.db`, logs);
    cleanups.push(() => runtime.close());
    // 20 messages of 10 KB arrive together (one batch of ~200 KB), plus one of 100 KB.
    const statuses = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        send(runtime, "test.fns/size/a", `${i}`.padEnd(10 * 1024, "y")),
      ),
      send(runtime, "test.fns/size/a", "z".repeat(100 * 1024)),
    ]);
    expect(statuses.every((s) => s.status === 202)).toBe(true);
    await waitFor(
      "20 records and one dead letter",
      async () => {
        return (
          (await topicCount(runtime.egressUrl, "sizes")) === 20 && runtime.stats().deadLetters === 1
        );
      },
      20_000,
    );
    expect(runtime.stats()).toEqual({ queued: 0, delayed: 0, deadLetters: 1 });
    expect(logs.lines.some((l) => l.includes("retrying in batches of"))).toBe(true);
    const listed = (await (await fetch(`${runtime.egressUrl}/dead-letters`)).json()) as {
      deadLetters: Array<{ n: number; target: string; reason: string; attempts: number }>;
    };
    expect(listed.deadLetters).toHaveLength(1);
    expect(listed.deadLetters[0]?.target).toBe("test.fns/size/a");
    expect(listed.deadLetters[0]?.reason).toContain("HTTP 413");
    expect(listed.deadLetters[0]?.attempts).toBe(3);
  });

  it("survives a function that answers 413 early and resets the socket mid-body (no unhandled ECONNRESET/EPIPE), halving until it fits", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const handler = sizes();
    // Like the SDK's own limit: past 200 KB it answers 413 at once and destroys the socket.
    const served = await serve((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on("data", (c: Buffer) => {
        size += c.length;
        if (size > 200 * 1024) {
          if (!res.headersSent) {
            res.writeHead(413, { "Content-Type": "text/plain" });
            res.end("request body larger than 204800 bytes");
          }
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on("end", () => {
        if (res.headersSent) return;
        void handler.invoke(new Uint8Array(Buffer.concat(chunks))).then((reply) => {
          res.writeHead(200, { "Content-Type": "application/octet-stream" });
          res.end(reply);
        });
      });
    });
    cleanups.push(served.close);
    const moduleFile = `${dir}/module.yaml`;
    writeFileSync(moduleFile, moduleYaml("test.fns", served.url));
    const child = await startChild(moduleFile, `${dir}/state.db`, [], {});
    cleanups.push(() => {
      child.process.kill("SIGKILL");
    });
    const body = "q".repeat(50 * 1024);
    const puts = Array.from({ length: 40 }, () =>
      fetch(`${child.ingressUrl}/test.fns/size/r`, {
        method: "PUT",
        headers: { "Content-Type": "text/plain" },
        body,
      }).then((r) => r.status),
    );
    expect(new Set(await Promise.all(puts))).toEqual(new Set([202]));
    await waitFor(
      "40 records",
      async () => {
        if (child.process.exitCode !== null)
          throw new Error(`the runtime died:\n${child.output().slice(-2000)}`);
        return (await topicCount(child.egressUrl, "sizes")) >= 40;
      },
      30_000,
    );
    expect(child.process.exitCode).toBeNull();
  }, 60_000);

  it("sets messages to a type the endpoint does not serve (404) aside as dead letters; list, replay and drop them over HTTP and the CLI", async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    // The SDK's own HTTP handler: 404 for a function type it does not serve.
    const handler = sizes();
    let calls = 0;
    const served = await serve((req, res) => {
      calls += 1;
      handler(req, res);
    });
    cleanups.push(served.close);
    const logs = memoryLog();
    const runtime = await runtimeFor(moduleYaml("test.fns", served.url), `${dir}/state.db`, logs);
    cleanups.push(() => runtime.close());
    expect((await send(runtime, "test.fns/nosuch/1", "a")).status).toBe(202);
    expect((await send(runtime, "test.fns/nosuch/2", "b")).status).toBe(202);
    expect((await send(runtime, "test.fns/size/ok", "c")).status).toBe(202);
    await waitFor("two dead letters", () => runtime.stats().deadLetters === 2);
    // Only 3 attempts each, then the addresses moved on.
    expect(calls).toBe(2 * 3 + 1);
    expect(logs.lines.some((l) => l.includes("DEAD LETTER test.fns/nosuch:1"))).toBe(true);

    const egressPort = new URL(runtime.egressUrl).port;
    const cli = async (...args: string[]) => {
      const child = spawnCli(["dead-letters", ...args, "--egress-port", egressPort]);
      const code = await child.exited;
      return { code, output: child.output() };
    };
    const listed = await cli("list");
    expect(listed.code).toBe(0);
    expect(listed.output).toContain("#1 test.fns/nosuch/1 io.statefun.types/string");
    expect(listed.output).toContain("3 attempt(s): POST");
    expect(listed.output).toContain("HTTP 404");

    // Replay #1 (still unknown: it comes back as a new dead letter), drop #2.
    const replay = await fetch(`${runtime.egressUrl}/dead-letters/1/replay`, { method: "POST" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ replayed: 1, target: "test.fns/nosuch/1" });
    await waitFor("the replayed message to come back", () =>
      runtime.core.deadLetters().some((l) => l.n === 3),
    );
    const dropped = await cli("drop", "2");
    expect(dropped).toMatchObject({ code: 0 });
    expect(dropped.output).toContain("dead letter #2 dropped");
    expect((await cli("drop", "2")).code).toBe(1);
    expect((await fetch(`${runtime.egressUrl}/dead-letters/2`, { method: "DELETE" })).status).toBe(
      404,
    );
    const after = (await (await fetch(`${runtime.egressUrl}/dead-letters`)).json()) as {
      deadLetters: Array<{ n: number; target: string; value: string }>;
    };
    expect(after.deadLetters.map((l) => [l.n, l.target, l.value])).toEqual([
      [3, "test.fns/nosuch/1", "a"],
    ]);
    const replayed = await cli("replay", "3");
    expect(replayed.code).toBe(0);
    expect(replayed.output).toContain("queued again for test.fns/nosuch/1");
  }, 60_000);
});
