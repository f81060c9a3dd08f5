// Shared pieces of the runtime tests: temp dirs, functions served over real HTTP, a runtime on
// free ports, and small HTTP helpers. Everything binds to 127.0.0.1 and is closed by the test.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type RequestListener, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { RequestReplyHandler } from "@statefun-ts/sdk";
import { type InvocationBatchRequest, toFunctionCodec } from "@statefun-ts/sdk/wire";
import { type Runtime, type RuntimeOptions, startRuntime } from "../src/index.js";

/** A temp dir removed by `cleanup`. */
export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "statefun-runtime-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Starts an HTTP server on 127.0.0.1 with a free port. */
export async function serve(
  listener: RequestListener,
): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One request the runtime made, decoded. */
export type SeenRequest = InvocationBatchRequest;

/** What a recording server does with one request before (or instead of) the SDK. */
export type Intercept = (
  request: SeenRequest,
  index: number,
) =>
  | Promise<{ status: number; body: string } | undefined>
  | { status: number; body: string }
  | undefined;

/**
 * Serves an SDK handler through `handler.invoke`, recording every decoded request; `intercept`
 * may delay a request or answer it with an error status instead of the SDK.
 */
export async function serveRecording(handler: RequestReplyHandler, intercept?: Intercept) {
  const requests: SeenRequest[] = [];
  const served = await serve((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const decoded = toFunctionCodec.decode(body).invocation;
        if (!decoded) throw new Error("request without invocation");
        const index = requests.length;
        requests.push(decoded);
        const override = await intercept?.(decoded, index);
        if (override) {
          res.writeHead(override.status, { "Content-Type": "text/plain" });
          res.end(override.body);
          return;
        }
        const reply = await handler.invoke(body);
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(reply);
      })().catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  return { ...served, requests };
}

/** A module.yaml serving `<namespace>/*` at `url`, plus extra documents. */
export function moduleYaml(
  namespace: string,
  url: string,
  extra = "",
  batch = 1000,
  call = "10s",
): string {
  return `kind: io.statefun.endpoints.v2/http
spec:
  functions: ${namespace}/*
  urlPathTemplate: ${url}
  maxNumBatchRequests: ${batch}
  transport:
    type: io.statefun.transports.v1/async
    call: ${call}
    connect: 2s
${extra}`;
}

/** Collected log lines of a runtime. */
export interface Logs {
  readonly lines: string[];
  readonly log: NonNullable<RuntimeOptions["log"]>;
}

/** A log that keeps lines in memory. */
export function memoryLog(): Logs {
  const lines: string[] = [];
  return { lines, log: (level, message) => lines.push(`${level} ${message}`) };
}

/** Starts a runtime on free ports with the given module text and state file. */
export function runtimeFor(
  module: string,
  stateFile: string,
  logs: Logs,
  extra: Partial<RuntimeOptions> = {},
): Promise<Runtime> {
  return startRuntime({
    module,
    stateFile,
    ingressPort: 0,
    egressPort: 0,
    log: logs.log,
    retry: { initialMs: 50, maxMs: 200 },
    ...extra,
  });
}

/** Sends one ingress message; returns status and JSON body. */
export async function send(
  runtime: Runtime,
  path: string,
  body: string | Uint8Array,
  contentType = "text/plain",
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${runtime.ingressUrl}/${path}`, {
    method: "PUT",
    headers: { "Content-Type": contentType },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** One record of the egress listing. */
export interface ListedRecord {
  offset: number;
  key: string | null;
  value: string;
  valueEncoding: string;
  typename: string;
  kind: string;
  egress: string;
  timestamp: number;
}

/** Lists a topic without consuming it. */
export async function listTopic(
  egressUrl: string,
  topic: string,
  from = 0,
  limit = 100,
): Promise<ListedRecord[]> {
  const response = await fetch(`${egressUrl}/${topic}/records?from=${from}&limit=${limit}`);
  if (response.status !== 200) throw new Error(`listing ${topic}: HTTP ${response.status}`);
  return ((await response.json()) as { records: ListedRecord[] }).records;
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until a topic holds at least `count` records and returns them. */
export function waitForRecords(
  egressUrl: string,
  topic: string,
  count: number,
  timeoutMs = 10_000,
): Promise<ListedRecord[]> {
  return waitFor(
    `${count} record(s) in topic ${topic}`,
    async () => {
      const records = await listTopic(egressUrl, topic, 0, 1000);
      return records.length >= count ? records : undefined;
    },
    timeoutMs,
  );
}

/** Sleeps. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
