// Issue 16 rows at the ingress: typename and id rules, URL-encoding into urlPathTemplate, a type
// no pattern covers, backpressure, browser safety (Origin, Host), invalid UTF-8 at every door.
import { request as httpRequest } from "node:http";
import { KafkaEgressBuilder, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../src/index.js";
import {
  memoryLog,
  moduleYaml,
  runtimeFor,
  send,
  serve,
  serveRecording,
  tempDir,
  waitFor,
} from "./harness.js";

function echo() {
  return statefulFunctionsBuilder()
    .withSpec({
      functionType: typeNameFrom("probe.fns/x"),
      states: [],
      function: (ctx, message) => {
        ctx.sendEgress(
          new KafkaEgressBuilder({
            target: typeNameFrom("t.io/out"),
            topic: "out",
            key: ctx.self.id,
            value: message.asString(),
          }),
        );
      },
    })
    .asHandler();
}

/** A raw HTTP request with exactly the given path and headers (fetch normalizes both). */
function raw(
  url: string,
  path: string,
  headers: Record<string, string>,
  body: string | Uint8Array = "hi",
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: { error?: string };
}> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: "PUT",
        path,
        headers: { "Content-Type": "text/plain", ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            json: JSON.parse(Buffer.concat(chunks).toString() || "{}"),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("ingress guards", () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function start(
    url: string,
    extra: Parameters<typeof runtimeFor>[3] = {},
    yaml?: string,
  ): Promise<Runtime> {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const runtime = await runtimeFor(
      yaml ?? moduleYaml("probe.fns", url),
      `${dir}/state.db`,
      memoryLog(),
      extra,
    );
    cleanups.push(() => runtime.close());
    return runtime;
  }

  it("refuses function types and ids that break the typename rules with a 400 naming the rule, and enqueues nothing", async () => {
    const runtime = await start("http://127.0.0.1:9/{function.name}");
    const cases: Array<[string, string]> = [
      ["/probe.fns/..%2F..%2Fadmin%3Fq%3D1/x", 'exactly one "/"'],
      ["/probe.fns/*/x", "wildcard"],
      ["/probe.fns/a%2Fb/x", 'exactly one "/"'],
      ["/probe.fns/a%20b/x", "whitespace"],
      ["/probe.fns/a%09b/x", "control character"],
      [`/probe.fns/${"n".repeat(300)}/x`, "longer than 255"],
      ["/probe.fns/x/a%00b", "control character"],
      [`/probe.fns/x/${"i".repeat(1100)}`, "longer than 1024"],
      ["/probe.fns/x/%ff", "not valid UTF-8"],
    ];
    for (const [path, rule] of cases) {
      const answer = await raw(runtime.ingressUrl, path, {});
      expect(answer.status, path).toBe(400);
      expect(answer.json.error, path).toContain(rule);
    }
    expect(runtime.stats().queued).toBe(0);
  });

  it("answers a repeated path and Content-Type the same way every time (the checks are remembered, refusals are not)", async () => {
    const runtime = await start("http://127.0.0.1:9/statefun", {
      retry: { initialMs: 60_000, maxMs: 60_000 },
    });
    const vnd = { "Content-Type": "application/vnd.probe.types/tick" };
    for (let round = 0; round < 2; round += 1) {
      const bad = await raw(runtime.ingressUrl, "/probe.fns/a%20b/x", vnd);
      expect(bad.status).toBe(400);
      expect(bad.json.error).toContain("whitespace");
      const unknown = await raw(runtime.ingressUrl, "/other.fns/x/1", vnd);
      expect(unknown.status).toBe(404);
      const badType = await raw(runtime.ingressUrl, "/probe.fns/x/1", {
        "Content-Type": "application/vnd.probe types/tick",
      });
      expect(badType.status).toBe(400);
      expect(badType.json.error).toContain("whitespace");
    }
    const first = await raw(runtime.ingressUrl, "/probe.fns/x/1", vnd);
    const second = await raw(runtime.ingressUrl, "/probe.fns/x/1", vnd);
    expect([first.status, second.status]).toEqual([202, 202]);
    const accepted = [first.json, second.json] as unknown as Array<{ seq: number; target: string }>;
    expect(accepted.map((a) => a.target)).toEqual(["probe.fns/x/1", "probe.fns/x/1"]);
    expect(accepted[1]?.seq).toBeGreaterThan(accepted[0]?.seq ?? Number.POSITIVE_INFINITY);
    expect(runtime.stats().queued).toBe(2);
  });

  it("URL-encodes every value substituted into urlPathTemplate", async () => {
    const seen: string[] = [];
    const served = await serve((req, res) => {
      seen.push(req.url ?? "");
      res.writeHead(500);
      res.end();
    });
    cleanups.push(served.close);
    const runtime = await start(
      served.url,
      { retry: { initialMs: 10_000, maxMs: 10_000 } },
      moduleYaml("probe.fns", `${served.url}/fn/{function.name}`),
    );
    expect((await raw(runtime.ingressUrl, "/probe.fns/a%3Fq%3D1%23h/x", {})).status).toBe(202);
    await waitFor("a call", () => seen.length > 0);
    expect(seen[0]).toBe("/fn/a%3Fq%3D1%23h");
  });

  it("answers 404 naming the patterns for a type no pattern covers", async () => {
    const runtime = await start("http://127.0.0.1:9/statefun");
    const answer = await send(runtime, "other.fns/x/1", "hi");
    expect(answer.status).toBe(404);
    expect(String(answer.json.error)).toContain(
      "no module.yaml pattern covers it (patterns: probe.fns/*)",
    );
  });

  it("bounds the queue: beyond maxQueuedMessages the ingress answers 503 with Retry-After and enqueues nothing", async () => {
    const served = await serveRecording(echo(), () => new Promise(() => {})); // hung function
    cleanups.push(served.close);
    const runtime = await start(served.url, { maxQueuedMessages: 100 });
    const answers = await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        raw(runtime.ingressUrl, `/probe.fns/x/${i % 50}`, {}, `m${i}`),
      ),
    );
    const accepted = answers.filter((a) => a.status === 202).length;
    const refused = answers.filter((a) => a.status === 503);
    expect(accepted).toBe(100);
    expect(refused).toHaveLength(50);
    expect(refused[0]?.headers["retry-after"]).toBe("1");
    expect(refused[0]?.json.error).toContain("maxQueuedMessages 100");
    expect(runtime.stats().queued).toBe(100);
  });

  it("refuses a foreign Origin and a non-loopback Host with 403 and a reason, at the ingress and the egress", async () => {
    const runtime = await start("http://127.0.0.1:9/statefun");
    const origin = await raw(runtime.ingressUrl, "/probe.fns/x/1", {
      Origin: "http://evil.example",
    });
    expect(origin.status).toBe(403);
    expect(origin.json.error).toContain('Origin "http://evil.example" is not this runtime\'s own');
    const host = await raw(runtime.ingressUrl, "/probe.fns/x/1", { Host: "evil.example" });
    expect(host.status).toBe(403);
    expect(host.json.error).toContain("DNS-rebinding");
    // fetch cannot set Host: a raw request to the egress.
    const rebinding = await new Promise<number>((resolve, reject) => {
      const target = new URL(runtime.egressUrl);
      httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: "/topics",
          headers: { Host: "evil.example:80" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      )
        .on("error", reject)
        .end();
    });
    expect(rebinding).toBe(403);
    expect(runtime.stats().queued).toBe(0);
    // Its own origin and loopback names pass.
    const own = new URL(runtime.ingressUrl);
    expect(
      (await raw(runtime.ingressUrl, "/probe.fns/x/1", { Origin: `http://${own.host}` })).status,
    ).toBe(202);
    expect(
      (await raw(runtime.ingressUrl, "/probe.fns/x/1", { Host: `localhost:${own.port}` })).status,
    ).toBe(202);
  });

  it("serves any Host when started with an explicit host (--host)", async () => {
    const runtime = await start("http://127.0.0.1:9/statefun", { host: "127.0.0.1" });
    expect(
      (await raw(runtime.ingressUrl, "/probe.fns/x/1", { Host: "devbox.lan:8090" })).status,
    ).toBe(202);
  });

  it("refuses invalid UTF-8 with a 400 saying where, for text/plain and for string wrapper values", async () => {
    const runtime = await start("http://127.0.0.1:9/statefun");
    const bad = new Uint8Array([0x68, 0x69, 0xc3, 0x28]);
    const text = await raw(runtime.ingressUrl, "/probe.fns/x/1", {}, bad);
    expect(text.status).toBe(400);
    expect(text.json.error).toContain("not valid UTF-8: invalid byte sequence at byte 2 (c3 28)");
    const wrapper = await raw(
      runtime.ingressUrl,
      "/probe.fns/x/1",
      { "Content-Type": "application/vnd.io.statefun.types/string" },
      new Uint8Array([0x0a, 0x04, ...bad]),
    );
    expect(wrapper.status).toBe(400);
    expect(wrapper.json.error).toContain(
      "the string inside the io.statefun.types/string wrapper is not valid UTF-8: invalid byte sequence at byte 4",
    );
    const plain = await raw(
      runtime.ingressUrl,
      "/probe.fns/x/1",
      { "Content-Type": "application/vnd.io.statefun.types/string" },
      new Uint8Array([0xff]),
    );
    expect(plain.status).toBe(400);
    expect(plain.json.error).toContain("at byte 0");
    expect(runtime.stats().queued).toBe(0);
  });

  it("refuses a message larger than the batch budget with 413 naming the limit", async () => {
    const runtime = await start("http://127.0.0.1:9/statefun", { maxBatchBytes: 1000 });
    const answer = await raw(runtime.ingressUrl, "/probe.fns/x/1", {}, "x".repeat(2000));
    expect(answer.status).toBe(413);
    expect(answer.json.error).toContain("larger than the limit of 1000 bytes (maxBatchBytes");
    expect(runtime.stats().queued).toBe(0);
  });
});
