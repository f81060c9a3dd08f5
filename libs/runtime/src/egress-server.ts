// The egress HTTP server (playground style) and the runtime's admin routes (dead letters); it
// reads through RuntimeCore only.

import { createServer, type Server, type ServerResponse } from "node:http";
import type { Registry } from "prom-client";
import { serveDeadLetters } from "./dead-letter-routes.js";
import type { StoredEgressRecord } from "./durable-store.js";
import { describeError, IngressError } from "./errors.js";
import { sendError, sendJson } from "./http-util.js";
import type { RuntimeCore } from "./runtime-core.js";
import { utf8Text } from "./utf8.js";

export { utf8Text };

/** The JSON form of a record in listings. */
export function recordJson(record: StoredEgressRecord): Record<string, unknown> {
  const text = utf8Text(record.value);
  return {
    offset: record.offset,
    key: record.key,
    value: text ?? Buffer.from(record.value).toString("base64"),
    valueEncoding: text === undefined ? "base64" : "utf8",
    typename: record.typename,
    kind: record.kind,
    egress: record.egressId,
    timestamp: record.timestamp,
  };
}

const MAX_LIMIT = 1000;

/** Decides whether a request may be served (browser safety); an error to answer with, or undefined. */
export type RequestGuard = (
  request: import("node:http").IncomingMessage,
) => IngressError | undefined;

/**
 * The playground-style egress reader: `GET /<topic>` consumes the next record (404 when none),
 * `GET /topics` lists topics, `GET /<topic>/records?from=0&limit=100` lists without consuming;
 * plus the dead-letter routes (`/dead-letters`).
 */
export function createEgressServer(
  core: RuntimeCore,
  guard?: RequestGuard,
  metrics?: Registry,
): Server {
  return createServer((request, response) => {
    try {
      const refused = guard?.(request);
      if (refused) {
        sendError(response, refused.status, refused.message);
        return;
      }
      const url = new URL(request.url ?? "/", "http://localhost");
      if (serveDeadLetters(core, request, response, url)) return;
      if (request.method !== "GET") {
        response.setHeader("Allow", "GET");
        sendError(response, 405, `method ${request.method} is not supported; use GET`);
        return;
      }
      const path = decodeURIComponent(url.pathname.slice(1));
      if (path === "metrics" && metrics) {
        metrics.metrics().then(
          (text) => {
            response.writeHead(200, { "Content-Type": metrics.contentType });
            response.end(text);
          },
          (error: unknown) => sendError(response, 500, `metrics: ${String(error)}`),
        );
        return;
      }
      if (path === "" || path === "topics") {
        sendJson(response, 200, { topics: core.topics() });
        return;
      }
      if (path.endsWith("/records")) {
        list(core, path.slice(0, -"/records".length), url.searchParams, response);
        return;
      }
      const record = core.consumeNext(path);
      if (!record) {
        sendError(response, 404, `no unread record in topic "${path}"`);
        return;
      }
      const text = utf8Text(record.value);
      response.writeHead(200, {
        "Content-Type":
          text === undefined ? "application/octet-stream" : "text/plain; charset=utf-8",
        "Content-Length": record.value.length,
        "X-Statefun-Offset": String(record.offset),
        "X-Statefun-Key": encodeURIComponent(record.key ?? ""),
        "X-Statefun-Typename": record.typename,
        "X-Statefun-Egress": record.egressId,
        "X-Statefun-Timestamp": String(record.timestamp),
      });
      response.end(record.value);
    } catch (error) {
      if (error instanceof IngressError) {
        if (error.retryAfterSeconds !== undefined)
          response.setHeader("Retry-After", String(error.retryAfterSeconds));
        sendError(response, error.status, error.message);
      } else sendError(response, 400, describeError(error));
    }
  });
}

function list(
  core: RuntimeCore,
  topic: string,
  params: URLSearchParams,
  response: ServerResponse,
): void {
  const from = Number(params.get("from") ?? "0");
  const limit = Number(params.get("limit") ?? "100");
  if (!Number.isSafeInteger(from) || from < 0) {
    sendError(response, 400, `"from" must be an offset >= 0, got ${params.get("from")}`);
    return;
  }
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    sendError(
      response,
      400,
      `"limit" must be between 1 and ${MAX_LIMIT}, got ${params.get("limit")}`,
    );
    return;
  }
  const records = core.listRecords(topic, from, limit);
  const last = records[records.length - 1];
  sendJson(response, 200, {
    topic,
    records: records.map(recordJson),
    next: last ? last.offset + 1 : from,
  });
}
