// The SDK's endpoint as production serves it, called by the REAL Flink StateFun runtime (and the
// local runtime, which must behave the same): https with mutual TLS through Flink's async
// transport (trust_cacerts, client_cert, client_key), a client without a certificate refused,
// an http+unix:// socket file through the OkHttp transport, and gzip-compressed replies (both of
// Flink's clients send Accept-Encoding and decode them); then the same functions served by the
// SDK's dedicated server (createStatefunServer) over http, https with mutual TLS, and a Unix
// socket. Certificates are made by openssl here.

import { once } from "node:events";
import { rmSync } from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Server as NetServer } from "node:net";
import { join } from "node:path";
import {
  createStatefunServer,
  type GracefullyClosable,
  Int32Type,
  KafkaEgressBuilder,
  statefulFunctionsBuilder,
  typeNameFrom,
} from "@statefun-ts/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTestCertificates } from "../../scripts/test-certificates.mjs";
import type { ScenarioDriver } from "./support/driver.js";
import { sleep } from "./support/driver.js";
import { DRIVER_CASES, reportStartup } from "./support/drivers.js";

const EGRESS = "test.io/out";
const TOPIC = "counts";
const seen = { name: "seen_count", valueType: Int32Type };
const PADDING = "-".repeat(3000); // replies over 1 KiB, so the SDK gzips them

/** A counter for every function type of the test; each reply carries a 3 KB Kafka record. */
function handlerFor(namespaces: string[]) {
  const builder = statefulFunctionsBuilder();
  for (const ns of namespaces) {
    builder.withSpec({
      functionType: typeNameFrom(`${ns}/counter`),
      states: [seen],
      function: (ctx) => {
        const count = (ctx.storage.get(seen) ?? 0) + 1;
        ctx.storage.set(seen, count);
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: typeNameFrom(EGRESS),
            topic: TOPIC,
            key: `${ns}:${ctx.self.id}`,
            value: `${ns}:${ctx.self.id}:${count}:${PADDING}`,
          }),
        );
      },
    });
  }
  return builder.asHandler();
}

/** What one server saw: requests served, reply encodings, TLS handshakes refused. */
interface Observed {
  served: number;
  acceptEncoding: Set<string>;
  replyEncoding: Set<string>;
  tlsRefused: number;
}

function observing(
  handler: ReturnType<typeof handlerFor>,
  observed: Observed,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    observed.served++;
    observed.acceptEncoding.add(req.headers["accept-encoding"] ?? "(none)");
    const writeHead = res.writeHead.bind(res) as (status: number, headers: string[]) => unknown;
    (res as unknown as { writeHead: typeof writeHead }).writeHead = (status, headers) => {
      const at = headers.findIndex((h) => h.toLowerCase() === "content-encoding");
      observed.replyEncoding.add(at < 0 ? "identity" : String(headers[at + 1]));
      return writeHead(status, headers);
    };
    handler(req, res);
  };
}

/** A module.yaml HTTP endpoint: `functions` at `url`, with these transport lines. */
function endpoint(functions: string, url: string, transport: string[]): string {
  return `kind: io.statefun.endpoints.v2/http
spec:
  functions: ${functions}
  urlPathTemplate: ${url}
  transport:
${transport.map((line) => `    ${line}\n`).join("")}`;
}

const newObserved = (): Observed => ({
  served: 0,
  acceptEncoding: new Set(),
  replyEncoding: new Set(),
  tlsRefused: 0,
});

describe.each(DRIVER_CASES)("SDK endpoint transports on the $name runtime", (driverCase) => {
  const certs = makeTestCertificates();
  const servers: (NetServer & GracefullyClosable)[] = [];
  const mtls = newObserved();
  const noCert = newObserved();
  const unix = newObserved();
  let driver: ScenarioDriver;

  async function listen<S extends NetServer & GracefullyClosable>(
    server: S,
    ...args: unknown[]
  ): Promise<S> {
    servers.push(server);
    (server.listen as (...a: unknown[]) => void)(...args);
    await once(server, "listening");
    return server;
  }

  function mtlsServer(observed: Observed): Server {
    const server = createHttpsServer(
      {
        key: certs.pem.serverKey,
        cert: certs.pem.serverCert,
        ca: certs.pem.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
      observing(handlerFor(["e2e.tls", "e2e.nocert"]), observed),
    );
    server.on("tlsClientError", () => observed.tlsRefused++);
    return server;
  }

  beforeAll(async () => {
    if (driverCase.skipReason) return;
    const tlsPort = ((await listen(mtlsServer(mtls), 0, "127.0.0.1")).address() as AddressInfo)
      .port;
    const noCertPort = ((await listen(mtlsServer(noCert), 0, "127.0.0.1")).address() as AddressInfo)
      .port;
    const socketPath = join(certs.dir, "functions.sock");
    await listen(createHttpServer(observing(handlerFor(["e2e.unix"]), unix)), socketPath);
    // The dedicated server: plain http, https with mutual TLS, and a Unix socket.
    const srvPort = (
      (
        await listen(createStatefunServer(handlerFor(["e2e.srv"])), 0, "127.0.0.1")
      ).address() as AddressInfo
    ).port;
    const srvTls = createStatefunServer(handlerFor(["e2e.srvtls"]), {
      tls: {
        key: certs.pem.serverKey,
        cert: certs.pem.serverCert,
        ca: certs.pem.ca,
        requestCert: true,
        rejectUnauthorized: true,
      },
    });
    const srvTlsPort = ((await listen(srvTls, 0, "127.0.0.1")).address() as AddressInfo).port;
    const srvSocket = join(certs.dir, "server.sock");
    await listen(createStatefunServer(handlerFor(["e2e.srvunix"])), srvSocket);
    const async = ["type: io.statefun.transports.v1/async", "call: 30s"];
    const okhttp = ["type: io.statefun.transports.v1/okhttp", "call: 30s"];
    const clientCert = [
      `trust_cacerts: ${certs.files.ca}`,
      `client_cert: ${certs.files.clientCert}`,
      `client_key: ${certs.files.clientKey}`,
    ];
    const moduleYaml = [
      endpoint("e2e.tls/*", `https://localhost:${tlsPort}/statefun`, [...async, ...clientCert]),
      endpoint("e2e.nocert/*", `https://localhost:${noCertPort}/statefun`, [
        "type: io.statefun.transports.v1/async",
        "call: 10m",
        `trust_cacerts: ${certs.files.ca}`,
      ]),
      endpoint("e2e.unix/*", `http+unix://${socketPath}/statefun`, okhttp),
      endpoint("e2e.srv/*", `http://127.0.0.1:${srvPort}/statefun`, async),
      endpoint("e2e.srvtls/*", `https://localhost:${srvTlsPort}/statefun`, [
        ...async,
        ...clientCert,
      ]),
      endpoint("e2e.srvunix/*", `http+unix://${srvSocket}/statefun`, okhttp),
      `kind: io.statefun.kafka.v1/egress
spec:
  id: ${EGRESS}
  address: kafka-broker:9092
  deliverySemantic:
    type: at-least-once
`,
    ].join("---\n");
    driver = await driverCase.start(moduleYaml, []);
    reportStartup(driver);
  });
  afterAll(async () => {
    await driver?.stop();
    for (const server of servers) {
      server.closeAllConnections();
      server.close();
    }
    rmSync(certs.dir, { recursive: true, force: true });
  });

  const send = (ns: string, id: string) =>
    driver.send(ns, "counter", id, "io.statefun.types/string", Buffer.from([0x0a, 0x01, 0x78]));
  const recordsOf = async (prefix: string, count: number) =>
    (await driver.waitForRecords(EGRESS, count, { topic: TOPIC, timeoutMs: 60_000 }))
      .map((r) => r.value.toString("utf8"))
      .filter((v) => v.startsWith(prefix))
      .map((v) => v.split(":").slice(0, 3).join(":"));
  const skip = driverCase.skipReason ? ` (skipped: ${driverCase.skipReason})` : "";

  it.skipIf(driverCase.skipReason)(
    `https with a client certificate (mutual TLS), replies gzip'd${skip}`,
    async () => {
      for (const id of ["a", "b", "a"]) await send("e2e.tls", id);
      // Ids are independent: only the order within one id is guaranteed (hence the sort).
      expect((await recordsOf("e2e.tls", 3)).sort()).toEqual([
        "e2e.tls:a:1",
        "e2e.tls:a:2",
        "e2e.tls:b:1",
      ]);
      expect(mtls.served).toBeGreaterThanOrEqual(3);
      // The runtime asked for compression and the SDK's >1 KiB replies came back gzip'd.
      expect([...mtls.acceptEncoding].some((a) => /gzip/.test(a))).toBe(true);
      expect(mtls.replyEncoding).toContain("gzip");
    },
  );

  it.skipIf(driverCase.skipReason)(
    `http+unix:// socket file through the OkHttp transport, replies gzip'd${skip}`,
    async () => {
      const before = (await driver.records(EGRESS, TOPIC)).length;
      for (const id of ["u", "u"]) await send("e2e.unix", id);
      const all = await recordsOf("e2e.unix", before + 2);
      expect(all).toEqual(["e2e.unix:u:1", "e2e.unix:u:2"]);
      expect([...unix.acceptEncoding].some((a) => /gzip/.test(a))).toBe(true);
      expect(unix.replyEncoding).toContain("gzip");
    },
  );

  // Before the refused runtime's test: that call stays in Flink's retries (call: 10m) and holds
  // up later deliveries on the Flink runtime.
  for (const [ns, how] of [
    ["e2e.srv", "http"],
    ["e2e.srvtls", "https with a client certificate (mutual TLS)"],
    ["e2e.srvunix", "an http+unix:// socket file (OkHttp transport)"],
  ] as const) {
    it.skipIf(driverCase.skipReason)(`createStatefunServer over ${how}${skip}`, async () => {
      const before = (await driver.records(EGRESS, TOPIC)).length;
      for (const id of ["s", "t", "s"]) await send(ns, id);
      const all = await recordsOf(`${ns}:`, before + 3);
      expect(all.sort()).toEqual([`${ns}:s:1`, `${ns}:s:2`, `${ns}:t:1`]);
    });
  }

  it.skipIf(driverCase.skipReason)(
    `a runtime without a client certificate is refused by the endpoint${skip}`,
    async () => {
      await send("e2e.nocert", "x");
      const deadline = Date.now() + 20_000;
      while (noCert.tlsRefused === 0 && Date.now() < deadline) await sleep(100);
      expect(noCert.tlsRefused).toBeGreaterThan(0);
      expect(noCert.served).toBe(0);
      const delivered = (await driver.records(EGRESS, TOPIC)).filter((r) =>
        r.value.toString("utf8").startsWith("e2e.nocert"),
      );
      expect(delivered).toEqual([]);
    },
  );
});
