// The node:http adapter and the dedicated StateFun server under pressure: a 413 before the body is read, bodies over the limit not kept,
// memory flat over 2,000 timed-out calls, and memory bounded with many large bodies at once.

import { once } from "node:events";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sendNode } from "../../test/http-harness.js";
import { stringValue, toFunction } from "../../test/wire.js";
import type { HandlerOptions } from "../handler-options.js";
import { createStatefunServer } from "../server/statefun-server.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const ECHO = typeNameFrom("com.example/echo");
let server:
  | { close(callback: (error?: Error) => void): unknown; closeAllConnections(): void }
  | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

type Kind = "node:http" | "statefun-server";
let kind: Kind = "node:http";

async function listen(fn: (text: string) => unknown, options: HandlerOptions): Promise<number> {
  const handler = statefulFunctionsBuilder()
    .withSpec({
      functionType: ECHO,
      function: async (_ctx, message) => {
        await fn(message.asString());
      },
    })
    .asHandler({ logger: { error() {} }, ...options });
  const listening = kind === "node:http" ? createServer(handler) : createStatefunServer(handler);
  server = listening;
  listening.listen(0, "127.0.0.1");
  await once(listening, "listening");
  return (listening.address() as AddressInfo).port;
}

const batch = (text: string) =>
  toFunction({
    target: { namespace: "com.example", type: "echo", id: "1" },
    invocations: [{ argument: stringValue(text) }],
  });

describe.each<Kind>(["node:http", "statefun-server"])("%s limits", (given) => {
  beforeEach(() => {
    kind = given;
  });

  it("413 as soon as Content-Length is over the limit, before any body is sent", async () => {
    const port = await listen(() => undefined, { maxBodyBytes: 1024 * 1024 });
    const res = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/",
          agent: false,
          headers: {
            "Content-Type": "application/octet-stream",
            "Content-Length": String(2 ** 30),
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on("error", reject);
      req.flushHeaders(); // headers only: the 1 GiB body is never sent
    });
    expect(res.status).toBe(413);
    expect(res.text).toMatch(/maxBodyBytes = 1048576 bytes \(Content-Length is 1073741824\)/);
  });

  it("413 once a chunked body passes the limit; the connection is closed, the rest not read", async () => {
    const port = await listen(() => undefined, { maxBodyBytes: 64 * 1024 });
    const result = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
      let sent = 0;
      const req = request(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/",
          agent: false,
          headers: { "Transfer-Encoding": "chunked" },
        },
        (res) => {
          res.resume();
          resolve({ status: res.statusCode ?? 0, sent });
          req.destroy();
        },
      );
      req.on("error", () => undefined);
      const chunk = Buffer.alloc(16 * 1024, 1);
      const pump = (): void => {
        if (sent > 64 * 1024 * 1024) {
          reject(new Error("the server kept reading 64 MiB"));
          return;
        }
        sent += chunk.length;
        if (req.write(chunk)) setImmediate(pump);
        else req.once("drain", pump);
      };
      pump();
    });
    expect(result.status).toBe(413);
    expect(result.sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("memory stays flat over 2,000 timed-out calls (regression: each held its request forever)", async () => {
    // Each hanging call holds 64 KiB: 2,000 leaked calls would hold 128 MiB.
    const port = await listen(
      () => {
        const held = Buffer.alloc(64 * 1024, 7);
        return new Promise(() => void held);
      },
      { invocationTimeoutMs: 5 },
    );
    const round = async (n: number) => {
      for (let i = 0; i < n; i += 50) {
        const replies = await Promise.all(
          Array.from({ length: 50 }, () =>
            sendNode(port, {
              headers: { "Content-Type": "application/octet-stream" },
              body: batch("x"),
            }),
          ),
        );
        for (const r of replies) expect(r.status).toBe(500);
      }
    };
    // Warm-up: sockets, pools and code reach their steady size first (Node 24 keeps more per
    // connection than Node 20), so what grows after it is what the calls leak.
    await round(1000);
    gc();
    const before = process.memoryUsage();
    await round(2000);
    await new Promise((r) => setTimeout(r, 50));
    gc();
    gc();
    const after = process.memoryUsage();
    const grown = after.heapUsed + after.arrayBuffers - (before.heapUsed + before.arrayBuffers);
    // The leak held 128 MiB here. A quarter of it leaves room for what 2,000 sockets' worth of
    // garbage still in the heap weighs on a busy machine (17 MiB seen once in CI), and still
    // fails the leak by far.
    expect(grown).toBeLessThan(32 * 1024 * 1024);
  });

  it("many large bodies at once: memory bounded by maxConcurrentRequests × maxBodyBytes (regression)", async () => {
    const size = 8 * 1024 * 1024;
    // The same payload for every request: the client itself holds 8 MiB.
    const payload = batch("y".repeat(size - 100));
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const port = await listen(() => gate, { maxConcurrentRequests: 3, maxBodyBytes: size + 1024 });
    gc();
    const base = process.memoryUsage().arrayBuffers;
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
    }, 2);
    const replies = Array.from({ length: 16 }, () =>
      sendNode(port, { headers: { "Content-Type": "application/octet-stream" }, body: payload }),
    );
    await new Promise((r) => setTimeout(r, 500));
    release();
    const statuses = (await Promise.all(replies)).map((r) => r.status);
    clearInterval(sampler);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(3);
    expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    // 3 bodies in flight (+ the client's payload and socket buffers), far below 16 × 8 MiB.
    expect(peak).toBeLessThan(64 * 1024 * 1024);
  });
});
