// The dedicated server as users run it: options, keep-alive with undici (fetch), timeouts, clients
// that go away mid-body or mid-batch, write backpressure. (https with mutual TLS, Unix sockets and
// graceful shutdown: src/http/tls-unix-shutdown.test.ts, for both servers.)

import { once } from "node:events";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { echoBatch as batch, echoed } from "../../test/echo.js";
import { sendNode } from "../../test/http-harness.js";
import { openRaw } from "../../test/raw-http.js";
import { ConfigurationError } from "../errors.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { PIPELINE_BYTES } from "./http1-connection.js";
import {
  createStatefunServer,
  type StatefunServer,
  type StatefunServerOptions,
} from "./statefun-server.js";

const ECHO = typeNameFrom("com.example/echo");
let delayMs = 0;
let started = 0;
/** While set, a message "hold" waits for it. */
let hold: Promise<void> | undefined;
const builder = statefulFunctionsBuilder().withSpec({
  functionType: ECHO,
  function: async (ctx, message) => {
    started++;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    if (hold !== undefined && message.asString() === "hold") await hold;
    ctx.send({ target: { functionType: ECHO, id: "out" }, value: message.asString() });
  },
});
const handler = builder.asHandler({ logger: { error() {} } });

const octets = { "Content-Type": "application/octet-stream" };
const rawPost = (text: string): Buffer => {
  const body = batch(text);
  return Buffer.concat([
    Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`),
    body,
  ]);
};

const servers: StatefunServer[] = [];
afterEach(async () => {
  delayMs = 0;
  hold = undefined;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(options: StatefunServerOptions = {}): Promise<number> {
  return (await start(options)).port;
}

/** A listening server, its port, and the server side of each connection it accepted. */
async function start(options: StatefunServerOptions = {}) {
  const server = createStatefunServer(builder, { logger: { error() {} }, ...options });
  servers.push(server);
  const sockets: Socket[] = [];
  server.on("connection", (socket: Socket) => sockets.push(socket));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return { port: (server.address() as AddressInfo).port, sockets };
}

async function waitUntil(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe("createStatefunServer options", () => {
  it("refuses a bad option, naming it", () => {
    expect(() => createStatefunServer(builder, { headersTimeoutMs: 0 })).toThrow(
      /server option headersTimeoutMs must be a whole number from 1/,
    );
    expect(() => createStatefunServer(builder, { maxBodyBytes: -1 })).toThrow(
      /handler option maxBodyBytes/,
    );
    expect(() => createStatefunServer(handler, { maxBodyBytes: 10 })).toThrow(
      /handler options \(maxBodyBytes\) given with a handler: pass them to asHandler/,
    );
    expect(() => createStatefunServer((() => undefined) as unknown as typeof handler)).toThrow(
      ConfigurationError,
    );
  });

  it("serves a handler from asHandler() as well as a builder", async () => {
    const server = createStatefunServer(handler);
    servers.push(server);
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const res = await sendNode((server.address() as AddressInfo).port, {
      headers: octets,
      body: batch("handler"),
    });
    expect(res.status).toBe(200);
    expect(echoed(res.body)).toBe("handler");
  });
});

describe("createStatefunServer with undici (fetch, keep-alive)", () => {
  it("serves many requests on pooled connections, any path", async () => {
    const port = await listen();
    for (let round = 0; round < 5; round++) {
      const replies = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const res = await fetch(`http://127.0.0.1:${port}/any/path/${i}`, {
            method: "POST",
            headers: octets,
            body: batch(`r${round}-${i}`),
          });
          return { status: res.status, text: echoed(new Uint8Array(await res.arrayBuffer())) };
        }),
      );
      expect(replies).toEqual(replies.map((_, i) => ({ status: 200, text: `r${round}-${i}` })));
    }
  });
});

describe("createStatefunServer timeouts", () => {
  it("headersTimeoutMs: a head sent too slowly gets a 408 and the connection closes", async () => {
    const port = await listen({ headersTimeoutMs: 150 });
    const connection = await openRaw(port);
    connection.write("POST / HTTP/1.1\r\nHost: x\r\n");
    expect(await connection.waitClosed(5000)).toBe(true);
    expect(connection.replies()[0]?.status).toBe(408);
    expect(connection.replies()[0]?.text).toMatch(/headersTimeoutMs = 150 ms/);
  });

  it("requestTimeoutMs: a body sent too slowly gets a 408 and the connection closes", async () => {
    const port = await listen({ requestTimeoutMs: 200 });
    const connection = await openRaw(port);
    connection.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
    expect(await connection.waitClosed(5000)).toBe(true);
    expect(connection.replies()[0]?.status).toBe(408);
    expect(connection.replies()[0]?.text).toMatch(/requestTimeoutMs = 200 ms/);
  });

  it("keepAliveTimeoutMs: an idle connection is closed without a reply, a silent new one too", async () => {
    const port = await listen({ keepAliveTimeoutMs: 150 });
    const used = await openRaw(port);
    used.write(rawPost("once"));
    expect((await used.waitReplies(1))[0]?.status).toBe(200);
    const silent = await openRaw(port);
    expect(await used.waitClosed(5000)).toBe(true);
    expect(await silent.waitClosed(5000)).toBe(true);
    expect(used.replies().length).toBe(1);
    expect(silent.raw.length).toBe(0);
  });
});

describe("createStatefunServer and clients that go away", () => {
  it("mid-body: nothing breaks, and the request no longer counts against maxConcurrentRequests", async () => {
    const port = await listen({ maxConcurrentRequests: 1 });
    const connection = await openRaw(port);
    connection.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial");
    await new Promise((r) => setTimeout(r, 50));
    connection.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const res = await sendNode(port, { headers: octets, body: batch("after") });
    expect(res.status).toBe(200);
  });

  it("mid-batch: the late reply is dropped, and the next request is served", async () => {
    const port = await listen({ maxConcurrentRequests: 1 });
    delayMs = 150;
    const before = started;
    const connection = await openRaw(port);
    connection.write(rawPost("gone"));
    while (started === before) await new Promise((r) => setTimeout(r, 5));
    connection.destroy();
    await new Promise((r) => setTimeout(r, 300)); // the batch finishes after the client left
    delayMs = 0;
    const res = await sendNode(port, { headers: octets, body: batch("next") });
    expect(res.status).toBe(200);
    expect(echoed(res.body)).toBe("next");
  });

  it("read-ahead: while a batch runs, the server reads at most PIPELINE_BYTES more, then pauses; all replies arrive in order", async () => {
    const { port, sockets } = await start();
    let release = (): void => undefined;
    hold = new Promise((r) => {
      release = r;
    });
    const n = 4000;
    const bytes = Buffer.concat([
      rawPost("hold"),
      ...Array.from({ length: n }, (_, i) => rawPost(`r${i}`)),
    ]);
    expect(bytes.length).toBeGreaterThan(4 * PIPELINE_BYTES);
    const connection = await openRaw(port);
    connection.write(bytes);
    await waitUntil("the server pauses the connection", () => sockets[0]?.isPaused() === true);
    // Paused while the first batch still runs: the rest stays in the kernel, not in memory.
    expect(sockets[0]!.bytesRead).toBeLessThan(bytes.length);
    release();
    const replies = await connection.waitReplies(n + 1, 20_000);
    connection.destroy();
    expect(echoed(replies[0]!.body)).toBe("hold");
    expect(replies.slice(1).every((r, i) => r.status === 200 && echoed(r.body) === `r${i}`)).toBe(
      true,
    );
  });

  it("write backpressure: a client that stops reading pauses the server; all replies arrive in order", async () => {
    const { port, sockets } = await start();
    // 300 replies of 64 KiB: more than the kernel's socket buffers hold.
    const n = 300;
    const text = (i: number) => `p${i}:${"x".repeat(64 * 1024)}`;
    const connection = await openRaw(port);
    connection.socket.pause();
    connection.write(Buffer.concat(Array.from({ length: n }, (_, i) => rawPost(text(i)))));
    await waitUntil("the server pauses the connection", () => sockets[0]?.isPaused() === true);
    connection.socket.resume();
    const replies = await connection.waitReplies(n, 20_000);
    connection.destroy();
    expect(replies.length).toBe(n);
    expect(replies.every((r, i) => r.status === 200 && echoed(r.body) === text(i))).toBe(true);
  });
});
