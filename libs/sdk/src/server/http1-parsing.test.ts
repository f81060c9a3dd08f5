// The dedicated server's HTTP/1.1 parsing over raw sockets: a table of valid and invalid
// requests (status and whether the connection closes), chunked bodies split at every byte,
// pipelining, HTTP/1.0, Expect: 100-continue (raw and with curl), 431, CL+TE, and a bounded fuzz.

import { execFile, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { echoBatch as batch, echoed } from "../../test/echo.js";
import { openRaw, rawExchange } from "../../test/raw-http.js";
import { statefulFunctionsBuilder } from "../stateful-functions-builder.js";
import { typeNameFrom } from "../type-name.js";
import { createStatefunServer, type StatefunServer } from "./statefun-server.js";

const execFileAsync = promisify(execFile);
const ECHO = typeNameFrom("com.example/echo");
const builder = statefulFunctionsBuilder().withSpec({
  functionType: ECHO,
  function: async (ctx, message) => {
    const text = message.asString();
    const slow = /^slow:(\d+)/.exec(text);
    if (slow) await new Promise((r) => setTimeout(r, Number(slow[1])));
    ctx.send({ target: { functionType: ECHO, id: "out" }, value: text });
  },
});

/** A request's bytes: head lines (CRLF added), then the body. */
const req = (lines: string[], body: Uint8Array | string = ""): Buffer =>
  Buffer.concat([
    Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1"),
    typeof body === "string" ? Buffer.from(body, "latin1") : body,
  ]);
const post = (text: string, extra: string[] = [], version = "HTTP/1.1"): Buffer => {
  const body = batch(text);
  return req(
    [
      `POST /statefun ${version}`,
      "Host: localhost",
      "Content-Type: application/octet-stream",
      `Content-Length: ${body.length}`,
      ...extra,
    ],
    body,
  );
};
const chunkedPost = (text: string, chunk = 7): Buffer => {
  const body = batch(text);
  const parts: Buffer[] = [];
  for (let i = 0; i < body.length; i += chunk) {
    const piece = body.subarray(i, i + chunk);
    parts.push(Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from("\r\n"));
  }
  parts.push(Buffer.from("0\r\n\r\n"));
  return req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"], Buffer.concat(parts));
};

let server: StatefunServer;
let port: number;
beforeAll(async () => {
  server = createStatefunServer(builder, { logger: { error() {} }, maxHeaderBytes: 4096 });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const body = batch("hi");
const head = (lines: string[]) =>
  req(["POST / HTTP/1.1", "Host: x", ...lines, `Content-Length: ${body.length}`], body);

// [name, raw request, expected status, whether the server closes after the reply]
const CASES: [string, Buffer, number, boolean][] = [
  ["a plain POST", post("hi"), 200, false],
  [
    "empty lines before the request line",
    Buffer.concat([Buffer.from("\r\n\r\n"), post("hi")]),
    200,
    false,
  ],
  ["OWS around a header value", head(["Accept:   */*  "]), 200, false],
  ["obs-text in a header value", head(["X-Note: caf\xe9"]), 200, false],
  ["the same Content-Length twice", head([`Content-Length: ${body.length}`]), 200, false],
  ["Connection: close", post("hi", ["Connection: close"]), 200, true],
  ["HTTP/1.0 (closes by default)", post("hi", [], "HTTP/1.0"), 200, true],
  [
    "HTTP/1.0 without Host",
    req(["POST / HTTP/1.0", `Content-Length: ${body.length}`], body),
    200,
    true,
  ],
  ["chunked", chunkedPost("hi"), 200, false],
  [
    "chunked with extensions and a trailer",
    req(
      ["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"],
      Buffer.concat([
        Buffer.from(`${body.length.toString(16)} ;a=b;c\r\n`),
        body,
        Buffer.from("\r\n0\r\nX-Trailer: 1\r\n\r\n"),
      ]),
    ),
    200,
    false,
  ],
  ["GET: 405, the connection kept", req(["GET / HTTP/1.1", "Host: x"]), 405, false],
  [
    "text/plain: 415, the body skipped, the connection kept",
    head(["Content-Type: text/plain"]),
    415,
    false,
  ],
  [
    "an HTTP/1.1 request without Host",
    req(["POST / HTTP/1.1", `Content-Length: ${body.length}`], body),
    400,
    true,
  ],
  ["two Host headers", head(["Host: y"]), 400, true],
  ["two spaces in the request line", req(["POST  / HTTP/1.1", "Host: x"]), 400, true],
  ["a fourth part in the request line", req(["POST / HTTP/1.1 x", "Host: x"]), 400, true],
  ["a lower-case version", req(["POST / http/1.1", "Host: x"]), 400, true],
  ["a version without minor", req(["POST / HTTP/1", "Host: x"]), 400, true],
  ["HTTP/1.2", req(["POST / HTTP/1.2", "Host: x"]), 505, true],
  ["HTTP/2.0", req(["POST / HTTP/2.0", "Host: x"]), 505, true],
  ["the HTTP/2 preface", Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), 505, true],
  ["a control character in the target", req(["POST /a\x01b HTTP/1.1", "Host: x"]), 400, true],
  ["a method with a non-token character", req(["PO(ST / HTTP/1.1", "Host: x"]), 400, true],
  ["obs-fold", head(["X-A: 1", " folded"]), 400, true],
  ["whitespace before the colon", head(["X-A : 1"]), 400, true],
  ["a header line without colon", head(["X-A"]), 400, true],
  ["an empty header name", head([": 1"]), 400, true],
  ["a bare CR in a value", head(["X-A: 1\r2"]), 400, true],
  ["a bare LF in a value", head(["X-A: 1\n2"]), 400, true],
  ["a NUL in a value", head(["X-A: 1\x002"]), 400, true],
  ["a DEL in a value", head(["X-A: 1\x7f"]), 400, true],
  ["a control character in a name", head(["X\x01A: 1"]), 400, true],
  ["a bare-LF request", Buffer.from("POST / HTTP/1.1\nHost: x\n\n"), 400, true],
  [
    "Content-Length with a sign",
    req(["POST / HTTP/1.1", "Host: x", "Content-Length: +5"]),
    400,
    true,
  ],
  ["Content-Length negative", req(["POST / HTTP/1.1", "Host: x", "Content-Length: -1"]), 400, true],
  [
    "Content-Length as a list",
    req(["POST / HTTP/1.1", "Host: x", "Content-Length: 5, 5"]),
    400,
    true,
  ],
  ["Content-Length empty", req(["POST / HTTP/1.1", "Host: x", "Content-Length:"]), 400, true],
  ["conflicting Content-Lengths", head(["Content-Length: 3"]), 400, true],
  ["Content-Length and Transfer-Encoding", head(["Transfer-Encoding: chunked"]), 400, true],
  [
    "Transfer-Encoding gzip (chunked not last)",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: gzip"]),
    400,
    true,
  ],
  [
    "Transfer-Encoding gzip, chunked",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: gzip, chunked"]),
    501,
    true,
  ],
  [
    "chunked twice",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked, chunked"]),
    400,
    true,
  ],
  [
    "Transfer-Encoding in HTTP/1.0",
    req(["POST / HTTP/1.0", "Transfer-Encoding: chunked"]),
    400,
    true,
  ],
  ["an unknown expectation", head(["Expect: 200-ok"]), 417, true],
  [
    "a chunk size that is not hex",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"], "zz\r\n"),
    400,
    true,
  ],
  [
    "chunk data without CRLF",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"], "2\r\nabX"),
    400,
    true,
  ],
  [
    "a control character in a chunk extension",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"], "2;\x01\r\n"),
    400,
    true,
  ],
  [
    "text after a chunk size",
    req(["POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked"], "2 2\r\n"),
    400,
    true,
  ],
  ["a head over maxHeaderBytes", head([`X-Big: ${"a".repeat(5000)}`]), 431, true],
  [
    "an incomplete head over maxHeaderBytes",
    Buffer.from(`POST / HTTP/1.1\r\nX-Big: ${"a".repeat(5000)}`),
    431,
    true,
  ],
];

describe("createStatefunServer: HTTP/1.1 parsing over raw sockets", () => {
  it.each(CASES)("%s", async (_, raw, status, closes) => {
    const result = await rawExchange(port, raw, { expectClose: closes });
    expect(result.replies.length, result.raw).toBe(1);
    const reply = result.replies[0]!;
    expect(reply.status, reply.text).toBe(status);
    expect(reply.headers.date).toMatch(/^\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT$/);
    expect(result.closed).toBe(closes);
    if (closes) expect(reply.headers.connection).toBe("close");
    if (status === 200) expect(echoed(reply.body)).toBe("hi");
    else expect(reply.text.length).toBeGreaterThan(10);
    if (status === 405) expect(reply.headers.allow).toBe("POST");
  });

  it("a refused request whose connection is kept: the next request on it is served", async () => {
    const result = await rawExchange(
      port,
      Buffer.concat([head(["Content-Type: text/plain"]), post("next")]),
      { replies: 2 },
    );
    expect(result.replies.map((r) => r.status)).toEqual([415, 200]);
    expect(echoed(result.replies[1]!.body)).toBe("next");
  });

  it("HEAD: the 405 has Content-Length but no body, and the next request is read right", async () => {
    const result = await rawExchange(
      port,
      Buffer.concat([req(["HEAD / HTTP/1.1", "Host: x"]), post("after head")]),
      { settleMs: 200 },
    );
    const [head405, rest] = [
      result.raw.slice(0, result.raw.indexOf("\r\n\r\n") + 4),
      result.raw.slice(result.raw.indexOf("\r\n\r\n") + 4),
    ];
    expect(head405).toMatch(/^HTTP\/1\.1 405 [\s\S]*\r\nContent-Length: [1-9]\d*\r\n/);
    expect(rest.startsWith("HTTP/1.1 200 OK\r\n")).toBe(true);
  });

  it("texts say what is wrong", async () => {
    const texts = await Promise.all(
      [
        head(["X-A : 1"]),
        head(["Transfer-Encoding: chunked"]),
        req(["POST / HTTP/2.0", "Host: x"]),
      ].map(async (raw) => (await rawExchange(port, raw, { expectClose: true })).replies[0]!.text),
    );
    expect(texts[0]).toMatch(/whitespace between header name "X-A" and the colon/);
    expect(texts[1]).toMatch(/both Content-Length and Transfer-Encoding/);
    expect(texts[2]).toMatch(/HTTP\/2\.0 is not supported/);
  });

  it("a chunked body split at every byte boundary", async () => {
    const raw = chunkedPost("split everywhere", 5);
    for (let cut = 1; cut < raw.length; cut++) {
      const connection = await openRaw(port);
      connection.write(raw.subarray(0, cut));
      await new Promise((r) => setImmediate(r));
      connection.write(raw.subarray(cut));
      const [reply] = await connection.waitReplies(1);
      connection.destroy();
      expect(reply?.status, `cut at ${cut}`).toBe(200);
      expect(echoed(reply!.body)).toBe("split everywhere");
    }
  });

  it("a request sent one byte at a time, twice on one connection", async () => {
    const connection = await openRaw(port);
    for (const text of ["byte by byte", "again"]) {
      for (const byte of post(text)) {
        connection.write(Buffer.of(byte));
        await new Promise((r) => setImmediate(r));
      }
    }
    const replies = await connection.waitReplies(2);
    connection.destroy();
    expect(replies.map((r) => echoed(r.body))).toEqual(["byte by byte", "again"]);
  });

  it("pipelining: 3 requests in one write get 3 replies in order (the first the slowest)", async () => {
    const raw = Buffer.concat([post("slow:60 first"), post("slow:10 second"), post("third")]);
    const result = await rawExchange(port, raw, { replies: 3 });
    expect(result.replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(result.replies.map((r) => echoed(r.body))).toEqual([
      "slow:60 first",
      "slow:10 second",
      "third",
    ]);
    expect(result.closed).toBe(false);
  });

  it("pipelining many requests at once: all answered in order, none lost", async () => {
    const n = 200;
    const raw = Buffer.concat(Array.from({ length: n }, (_, i) => post(`r${i}`)));
    const result = await rawExchange(port, raw, { replies: n });
    expect(result.replies.map((r) => echoed(r.body))).toEqual(
      Array.from({ length: n }, (_, i) => `r${i}`),
    );
  });

  it("HTTP/1.0 with Connection: keep-alive keeps the connection and says so", async () => {
    const raw = Buffer.concat([
      post("one", ["Connection: keep-alive"], "HTTP/1.0"),
      post("two", ["Connection: keep-alive"], "HTTP/1.0"),
    ]);
    const result = await rawExchange(port, raw, { replies: 2 });
    expect(result.replies.map((r) => r.headers.connection)).toEqual(["keep-alive", "keep-alive"]);
    expect(result.replies.map((r) => echoed(r.body))).toEqual(["one", "two"]);
    expect(result.closed).toBe(false);
  });

  it("Expect: 100-continue: 100 Continue once the head passed the checks, then the reply", async () => {
    const body = batch("continued");
    const connection = await openRaw(port);
    connection.write(
      req([
        "POST / HTTP/1.1",
        "Host: x",
        "Expect: 100-continue",
        "Content-Type: application/octet-stream",
        `Content-Length: ${body.length}`,
      ]),
    );
    const deadline = Date.now() + 5000;
    while (!connection.raw.toString("latin1").includes("\r\n\r\n") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    expect(connection.raw.toString("latin1")).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    connection.write(body);
    const [reply] = await connection.waitReplies(1);
    connection.destroy();
    expect(reply?.status).toBe(200);
    expect(echoed(reply!.body)).toBe("continued");
  });

  it("Expect: 100-continue on a refused request: the refusal, no 100, and the connection closes", async () => {
    const result = await rawExchange(
      port,
      req([
        "POST / HTTP/1.1",
        "Host: x",
        "Expect: 100-continue",
        "Content-Type: text/plain",
        "Content-Length: 10",
      ]),
      { expectClose: true },
    );
    expect(result.raw.startsWith("HTTP/1.1 415 ")).toBe(true);
    expect(result.closed).toBe(true);
  });

  const curl = spawnSync("curl", ["--version"]).status === 0;
  it.skipIf(!curl)("curl with Expect: 100-continue gets 100 Continue and the reply", async () => {
    const dir = mkdtempSync(join(tmpdir(), "statefun-curl-"));
    try {
      writeFileSync(join(dir, "body.bin"), batch("from curl"));
      // Asynchronously: the server runs in this process.
      const run = await execFileAsync(
        "curl",
        [
          "-sS",
          "-v",
          "-H",
          "Expect: 100-continue",
          "-H",
          "Content-Type: application/octet-stream",
          "--data-binary",
          `@${join(dir, "body.bin")}`,
          "-o",
          join(dir, "reply.bin"),
          "-w",
          "%{http_code}",
          `http://127.0.0.1:${port}/statefun`,
        ],
        { timeout: 10_000 },
      );
      expect(run.stdout).toBe("200");
      expect(run.stderr).toMatch(/HTTP\/1\.1 100 Continue/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("bounded fuzz: 3,000 mutated requests never crash or hang the server; a valid one still works", async () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const bases = [post("fuzz"), chunkedPost("fuzz", 3), post("fuzz", ["Connection: close"])];
    const specials = [0, 9, 10, 13, 32, 44, 58, 59, 0x7f, 0xff, 0x30, 0x61];
    const mutate = (base: Buffer): Buffer => {
      const bytes = [...base];
      for (let m = 1 + random(4); m > 0; m--) {
        const at = random(bytes.length);
        const byte = random(2) ? specials[random(specials.length)]! : random(256);
        const op = random(4);
        if (op === 0) bytes[at] = byte;
        else if (op === 1) bytes.splice(at, 0, byte);
        else if (op === 2) bytes.splice(at, 1);
        else bytes.length = at;
      }
      return Buffer.from(bytes);
    };
    let hung = 0;
    const statuses = new Map<number, number>();
    const one = async (): Promise<void> => {
      const connection = await openRaw(port);
      connection.write(mutate(bases[random(bases.length)]!));
      connection.socket.end(); // nothing more will come: the server answers or closes
      if (!(await connection.waitClosed(5000))) hung++;
      for (const reply of connection.replies())
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
      const raw = connection.raw.toString("latin1");
      if (raw.length > 0) expect(raw).toMatch(/^HTTP\/1\.1 \d{3} /);
      connection.destroy();
    };
    for (let i = 0; i < 3000; i += 30) await Promise.all(Array.from({ length: 30 }, one));
    expect(hung).toBe(0);
    expect(statuses.get(400)).toBeGreaterThan(0);
    const after = await rawExchange(port, post("still here"));
    expect(echoed(after.replies[0]!.body)).toBe("still here");
  }, 120_000);
});
