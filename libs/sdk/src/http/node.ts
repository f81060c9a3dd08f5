// The node:http adapter: a `(req, res)` listener around the byte-level invoke, with the status
// codes of PROTOCOL.md §5. Holds no request decoding (the dispatcher) and no function logic.

import type { IncomingMessage, ServerResponse } from "node:http";
import {
  describeError,
  FunctionInvocationError,
  InvalidRequestError,
  UnknownFunctionError,
} from "../errors.js";

/** Where the HTTP adapter reports failed requests. `console` by default. */
export interface HandlerLogger {
  /** Called when a request fails (a bad request or a function that threw). */
  error(message: string, error?: unknown): void;
}

/** Largest request body accepted; the runtime's own default payload limit is 32 MiB. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const OCTET_STREAM = "application/octet-stream";

/**
 * A Node `(req, res)` listener around `invoke`, for `http.createServer(listener)` and for
 * express (`app.post("/statefun", listener)`). Status codes: 405 for a method other than POST,
 * 415 for a content type other than application/octet-stream, 400 for a missing or malformed
 * body, 404 for an unknown function type, 500 when a function fails (the runtime retries).
 */
export function createNodeListener(
  invoke: (payload: Uint8Array) => Promise<Uint8Array>,
  logger: HandlerLogger,
): (req: IncomingMessage, res: ServerResponse) => void {
  const respond = (res: ServerResponse, body: Uint8Array): void => {
    invoke(body).then(
      (reply) => {
        res.writeHead(200, { "Content-Type": OCTET_STREAM, "Content-Length": reply.length });
        res.end(reply);
      },
      (error: unknown) => {
        const status = statusOf(error);
        if (status >= 500) logger.error(`statefun: ${describeError(error)}`, error);
        replyText(res, status, describeError(error));
      },
    );
  };

  return (req, res) => {
    if (req.method !== "POST") {
      res.setHeader("Allow", "POST");
      replyText(res, 405, `method ${req.method} not allowed: StateFun sends requests with POST`);
      req.resume();
      return;
    }
    const contentType = req.headers["content-type"];
    if (contentType !== undefined && contentType !== OCTET_STREAM && !isOctetStream(contentType)) {
      replyText(res, 415, `unsupported content type ${contentType}: expected ${OCTET_STREAM}`);
      req.resume();
      return;
    }
    // A body parser (e.g. express.raw()) may have read the body already.
    const parsed = (req as IncomingMessage & { body?: unknown }).body;
    if (parsed instanceof Uint8Array) {
      respond(res, parsed);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        replyText(res, 413, `request body larger than ${MAX_BODY_BYTES} bytes`);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (res.headersSent) return;
      // A body in one chunk (the usual case) is used as is, without a copy.
      respond(res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on("error", (error) => {
      logger.error(`statefun: failed to read the request body: ${describeError(error)}`, error);
      if (!res.headersSent)
        replyText(res, 400, `failed to read the request body: ${describeError(error)}`);
    });
  };
}

function isOctetStream(contentType: string): boolean {
  const semicolon = contentType.indexOf(";");
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return mediaType === OCTET_STREAM;
}

function statusOf(error: unknown): number {
  if (error instanceof InvalidRequestError) return 400;
  if (error instanceof UnknownFunctionError) return 404;
  if (error instanceof FunctionInvocationError) return 500;
  return 500;
}

function replyText(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) return;
  const body = Buffer.from(`${text}\n`, "utf8");
  res.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": body.length,
  });
  res.end(body);
}
