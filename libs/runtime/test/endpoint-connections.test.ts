// The local runtime calls endpoints the way Flink StateFun 3.3 can be told to: https with a CA and
// a client certificate named as the async transport names them (trust_cacerts, client_cert,
// client_key), http+unix:// socket files, and gzip-compressed replies (Accept-Encoding).

import { once } from "node:events";
import { rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  Int32Type,
  KafkaEgressBuilder,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { makeTestCertificates } from "../../../tools/scripts/test-certificates.mjs";
import { parseModuleYaml } from "../src/module-yaml.js";
import { memoryLog, runtimeFor, send, tempDir, waitForRecords } from "./harness.js";

const OUT = typeNameFrom("test.io/out");
const seen = { name: "seen_count", valueType: Int32Type };
/** Counts per address; a long padding makes each reply larger than 1 KiB (so it is gzip'd). */
const handler = statefulFunctionsBuilder()
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
          value: `${ctx.self.id}:${count}:${"-".repeat(2000)}`,
        }),
      );
    },
  })
  .asHandler();

const certs = makeTestCertificates();
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Records the Accept-Encoding and Content-Encoding of every exchange, then serves the handler. */
const seenEncodings: { accept: string | undefined; reply: string | undefined }[] = [];
function recording(req: Parameters<typeof handler>[0], res: Parameters<typeof handler>[1]): void {
  const writeHead = res.writeHead.bind(res) as (status: number, headers: string[]) => unknown;
  (res as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => {
    const at = headers.findIndex((h) => h.toLowerCase() === "content-encoding");
    seenEncodings.push({
      accept: req.headers["accept-encoding"],
      reply: at < 0 ? undefined : headers[at + 1],
    });
    return writeHead(status, headers);
  };
  handler(req, res);
}

async function listening(server: Server, ...args: unknown[]): Promise<Server> {
  cleanups.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  );
  (server.listen as (...a: unknown[]) => void)(...args);
  await once(server, "listening");
  return server;
}

function module(url: string, transport = "", type = "async"): string {
  return `kind: io.statefun.endpoints.v2/http
spec:
  functions: test.fns/*
  urlPathTemplate: ${url}
  transport:
    type: io.statefun.transports.v1/${type}
    call: 5s
    connect: 1s
${transport}`;
}

async function runThrough(moduleText: string) {
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const logs = memoryLog();
  const runtime = await runtimeFor(moduleText, `${dir}/state.db`, logs);
  cleanups.push(() => runtime.close());
  return { runtime, logs };
}

describe("local runtime endpoint connections", () => {
  it("https with mutual TLS: CA and client certificate from module.yaml (Flink's field names)", async () => {
    const server = await listening(
      createHttpsServer(
        {
          key: certs.pem.serverKey,
          cert: certs.pem.serverCert,
          ca: certs.pem.ca,
          requestCert: true,
          rejectUnauthorized: true,
        },
        recording,
      ),
      0,
      "127.0.0.1",
    );
    const port = (server.address() as AddressInfo).port;
    const { runtime } = await runThrough(
      module(
        `https://localhost:${port}/statefun`,
        `    trust_cacerts: file://${certs.files.ca}
    client_cert: ${certs.files.clientCert}
    client_key: ${certs.files.clientKey}
`,
      ),
    );
    await send(runtime, "test.fns/counter/a", "x");
    await send(runtime, "test.fns/counter/a", "y");
    const records = await waitForRecords(runtime.egressUrl, "counts", 2);
    expect(records.map((r) => r.value.split(":").slice(0, 2).join(":"))).toEqual(["a:1", "a:2"]);
    // Replies over 1 KiB came back gzip'd and were decoded by the runtime.
    expect(seenEncodings.at(-1)).toEqual({ accept: "gzip, deflate", reply: "gzip" });
  });

  it("a runtime without the client certificate is refused, and says so in its log", async () => {
    const server = await listening(
      createHttpsServer(
        {
          key: certs.pem.serverKey,
          cert: certs.pem.serverCert,
          ca: certs.pem.ca,
          requestCert: true,
          rejectUnauthorized: true,
        },
        recording,
      ),
      0,
      "127.0.0.1",
    );
    const port = (server.address() as AddressInfo).port;
    let served = 0;
    server.on("request", () => served++);
    const { runtime, logs } = await runThrough(
      module(`https://localhost:${port}/statefun`, `    trust_cacerts: ${certs.files.ca}\n`),
    );
    await send(runtime, "test.fns/counter/a", "x");
    const deadline = Date.now() + 10_000;
    while (!logs.lines.some((l) => /counter\/a/.test(l)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(served).toBe(0);
    expect(logs.lines.join("\n")).toMatch(
      /https:\/\/localhost:\d+\/statefun failed \(.*(certificate|socket hang up|ECONNRESET|alert)/i,
    );
  });

  it("http+unix:// endpoints (the socket file up to the .sock segment, then the HTTP path)", async () => {
    const socketPath = join(certs.dir, "functions.sock");
    let path = "";
    await listening(
      createHttpServer((req, res) => {
        path = req.url ?? "";
        handler(req, res);
      }),
      socketPath,
    );
    const { runtime } = await runThrough(
      module(`http+unix://${socketPath}/statefun`, "", "okhttp"),
    );
    await send(runtime, "test.fns/counter/u", "x");
    const records = await waitForRecords(runtime.egressUrl, "counts", 1);
    expect(records[0]!.value).toMatch(/^u:1:/);
    expect(path).toBe("/statefun");
  });

  it("module.yaml errors name the field: unreadable files, cert without key, classpath:", () => {
    const parse = (transport: string) =>
      parseModuleYaml(module("https://localhost:1/statefun", transport));
    expect(() => parse("    trust_cacerts: /nonexistent/ca.pem\n")).toThrow(
      /field "spec\.transport\.trust_cacerts": cannot read \/nonexistent\/ca\.pem/,
    );
    expect(() => parse(`    client_cert: ${certs.files.clientCert}\n`)).toThrow(
      /"spec\.transport\.client_cert" and "spec\.transport\.client_key" go together/,
    );
    expect(() => parse("    trust_cacerts: classpath:ca.pem\n")).toThrow(
      /classpath: resources exist only inside Flink's JVM/,
    );
    // As on Flink: Unix sockets need the OkHttp transport, TLS fields the async one.
    expect(() => parseModuleYaml(module("http+unix:///run/fn.sock/statefun"))).toThrow(
      /uses http\+unix:, which Flink's async transport \(the default\) cannot call: set spec\.transport\.type to io\.statefun\.transports\.v1\/okhttp/,
    );
    expect(() =>
      parseModuleYaml(
        module("https://localhost:1/statefun", `    trust_cacerts: ${certs.files.ca}\n`, "okhttp"),
      ),
    ).toThrow(/"spec\.transport\.trust_cacerts" belongs to the async transport/);
    expect(parse(`    trust_cacerts: ${certs.files.ca}\n`).endpoints[0]!.tls?.ca).toMatch(
      /BEGIN CERTIFICATE/,
    );
  });
});
