// The dedicated server as users run it: options, keep-alive with undici (fetch), timeouts, clients
// that go away mid-body or mid-batch, write backpressure, https with mutual TLS, a Unix socket,
// and graceful shutdown under load.

import { once } from "node:events";
import { rmSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { makeTestCertificates } from "../../../../tools/scripts/test-certificates.mjs";
import { sendNode } from "../../test/http-harness.js";
import { openRaw, rawExchange } from "../../test/raw-http.js";
import { invocationResult, stringValue, toFunction } from "../../test/wire.js";
import { ConfigurationError } from "../errors.js";
import { closeGracefully } from "../http/graceful-close.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { StringType } from "../types/built-in-types.js";
import {
  createStatefunServer,
  type StatefunServer,
  type StatefunServerOptions,
} from "./statefun-server.js";

const ECHO = typeNameFrom("com.example/echo");
let delayMs = 0;
let started = 0;
const builder = statefulFunctionsBuilder().withSpec({
  functionType: ECHO,
  function: async (ctx, message) => {
    started++;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    ctx.send({ target: { functionType: ECHO, id: "out" }, value: message.asString() });
  },
});
const handler = builder.asHandler({ logger: { error() {} } });

const batch = (text: string): Buffer =>
  Buffer.from(
    toFunction({
      target: { namespace: "com.example", type: "echo", id: "1" },
      invocations: [{ argument: stringValue(text) }],
    }),
  );
const echoed = (bytes: Uint8Array): string =>
  StringType.deserialize(invocationResult(bytes).outgoingMessages[0]!.argument!.value!);
const octets = { "Content-Type": "application/octet-stream" };
const rawPost = (text: string): Buffer => {
  const body = batch(text);
  return Buffer.concat([
    Buffer.from(`POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`),
    body,
  ]);
};

const certs = makeTestCertificates();
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

const servers: StatefunServer[] = [];
afterEach(async () => {
  delayMs = 0;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function listen(options: StatefunServerOptions = {}): Promise<number> {
  const server = createStatefunServer(builder, { logger: { error() {} }, ...options });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
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

  it("write backpressure: a client that stops reading pauses the server; all replies arrive in order", async () => {
    const port = await listen();
    const n = 3000;
    const connection = await openRaw(port);
    connection.socket.pause();
    connection.write(Buffer.concat(Array.from({ length: n }, (_, i) => rawPost(`p${i}`))));
    await new Promise((r) => setTimeout(r, 200));
    connection.socket.resume();
    const replies = await connection.waitReplies(n, 20_000);
    connection.destroy();
    expect(replies.length).toBe(n);
    expect(replies.every((r, i) => r.status === 200 && echoed(r.body) === `p${i}`)).toBe(true);
  });
});

describe("createStatefunServer over https with mutual TLS", () => {
  async function listenMtls(): Promise<number> {
    return listen({
      tls: {
        key: certs.pem.serverKey,
        cert: certs.pem.serverCert,
        ca: certs.pem.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
    });
  }

  function post(port: number, client?: { cert: string; key: string }) {
    return new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const payload = batch("over mTLS");
      const req = httpsRequest(
        {
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/statefun",
          ca: certs.pem.ca,
          servername: "localhost",
          agent: false,
          headers: { ...octets, "Content-Length": payload.length },
          ...client,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }),
          );
        },
      );
      req.on("error", reject);
      req.end(payload);
    });
  }

  it("serves a client with a certificate signed by the CA", async () => {
    const port = await listenMtls();
    const res = await post(port, { cert: certs.pem.clientCert, key: certs.pem.clientKey });
    expect(res.status).toBe(200);
    expect(echoed(res.body)).toBe("over mTLS");
  });

  it("refuses a client without a certificate, and one signed by another CA", async () => {
    const port = await listenMtls();
    await expect(post(port)).rejects.toThrow(/certificate|socket hang up|ECONNRESET|alert/i);
    await expect(
      post(port, { cert: certs.pem.rogueCert, key: certs.pem.rogueKey }),
    ).rejects.toThrow(/certificate|unknown ca|socket hang up|ECONNRESET|alert/i);
  });
});

describe("createStatefunServer on a Unix domain socket", () => {
  it("serves requests on a socket file (Flink: http+unix:///path/fn.sock/statefun)", async () => {
    const socketPath = join(certs.dir, "server.sock");
    const server = createStatefunServer(builder);
    servers.push(server);
    server.listen(socketPath);
    await once(server, "listening");
    const res = await sendNode(
      0,
      { headers: octets, body: batch("over a socket file") },
      socketPath,
    );
    expect(res.status).toBe(200);
    expect(echoed(res.body)).toBe("over a socket file");
    const raw = await rawExchange(socketPath, rawPost("raw on a socket"));
    expect(echoed(raw.replies[0]!.body)).toBe("raw on a socket");
  });
});

describe("createStatefunServer graceful shutdown", () => {
  it("under load: in-flight batches finish with 200, new connections are refused, then it closes", async () => {
    delayMs = 500;
    const port = await listen();
    const server = servers.at(-1)!;
    const before = started;
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      sendNode(port, { headers: octets, body: batch(`m${i}`) }),
    );
    const idle = await openRaw(port); // an idle keep-alive connection: closed at once
    while (started - before < 40) await new Promise((r) => setTimeout(r, 5));
    const closingAt = Date.now();
    const closing = closeGracefully(server, { timeoutMs: 5000 });
    await expect(sendNode(port, { headers: octets, body: batch("late") })).rejects.toThrow(
      /ECONNREFUSED/,
    );
    expect(await idle.waitClosed(1000)).toBe(true);
    const replies = await Promise.all(inFlight);
    expect(replies.map((r) => r.status)).toEqual(replies.map(() => 200));
    expect(replies.map((r) => echoed(r.body))).toEqual(replies.map((_, i) => `m${i}`));
    expect(replies.every((r) => r.headers.connection === "close")).toBe(true);
    expect(await closing).toEqual({ forced: false });
    expect(Date.now() - closingAt).toBeLessThan(3000);
    expect(server.listening).toBe(false);
  });

  it("closes what is left at the timeout (the runtime retries those batches)", async () => {
    delayMs = 10_000;
    const port = await listen();
    const stuck = sendNode(port, { headers: octets, body: batch("stuck") }).catch(
      (error: Error) => error,
    );
    await new Promise((r) => setTimeout(r, 100));
    const result = await closeGracefully(servers.at(-1)!, { timeoutMs: 200 });
    expect(result).toEqual({ forced: true });
    expect(await stuck).toBeInstanceOf(Error);
  });
});
