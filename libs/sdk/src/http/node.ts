/**
 * The node:http adapter: a `(req, res)` listener around the byte-level `invoke`, for
 * `http.createServer`, `https.createServer` and express. Applies the shared status rules
 * (request-rules.ts), the body limit (also on the decoded size of a gzip/deflate body), the
 * concurrency limit, and gzip replies.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { describeError } from "../errors.js";
import type { HandlerLogger, ResolvedHandlerOptions } from "../handler-options.js";
import { type BatchRunner, createBatchRunner, type Exchange } from "./batch-exchange.js";
import {
  type BodyEncoding,
  bodyTooLarge,
  checkRequest,
  logFailure,
  OCTET_STREAM,
  type Rejection,
  type RequestHead,
  TEXT_PLAIN,
  tooBusy,
} from "./request-rules.js";

export type { HandlerLogger };

/**
 * A Node `(req, res)` listener around `invoke`. Status codes: 405 for a method other than POST,
 * 415 for a content type other than application/octet-stream or an encoding other than gzip or
 * deflate, 413 for a body over `maxBodyBytes`, 503 beyond `maxConcurrentRequests`, 400 for a
 * missing or malformed body, 404 for an unknown function type, 500 when a function fails or
 * times out (the runtime retries).
 */
export function createNodeListener(
  invoke: (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>,
  options: ResolvedHandlerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { logger, maxBodyBytes, maxConcurrentRequests } = options;
  const runBatch = createBatchRunner(invoke, options);
  let inFlight = 0;
  const release = (): void => {
    inFlight--;
  };

  return (req, res) => {
    const head = readHead(req);
    const checked = checkRequest(head, maxBodyBytes);
    if (typeof checked !== "string") {
      if (checked.status === 405) res.setHeader("Allow", "POST");
      replyText(res, checked);
      if (!checked.close) req.resume();
      return;
    }
    if (inFlight >= maxConcurrentRequests) {
      const busy = tooBusy(maxConcurrentRequests, head.contentLength);
      replyText(res, busy);
      if (!busy.close) req.resume();
      return;
    }
    inFlight++;
    // `on`, not `once`: 'close' fires once, and `once` would allocate a wrapper per request.
    res.on("close", release);

    const expected = head.contentLength === undefined ? -1 : Number(head.contentLength);
    const reader = new BodyReader(req, res, expected, maxBodyBytes, checked, logger, runBatch);
    // A body parser (e.g. express.raw()) may have read the body already.
    const parsed = (req as IncomingMessage & { body?: unknown }).body;
    if (parsed instanceof Uint8Array)
      runBatch(reader, checked, Buffer.from(parsed.buffer, parsed.byteOffset, parsed.length));
    else readBody(reader);
  };
}

const kReader = Symbol("statefun.bodyReader");
type Carrier = IncomingMessage & { [kReader]?: BodyReader };

/**
 * One request of the listener: reads its body into one buffer (preallocated when Content-Length
 * is given: no chunk list, no copy for a single chunk), never more than `limit` bytes (past it, a
 * 413 and the rest is not kept), then hands it to the batch runner, and writes the reply. Its
 * listeners are shared functions (no closures per request).
 */
class BodyReader implements Exchange {
  private first: Buffer | undefined;
  private whole: Buffer | undefined;
  private chunks: Buffer[] | undefined;
  private size = 0;
  private refused = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    private readonly expected: number,
    private readonly limit: number,
    readonly encoding: BodyEncoding,
    private readonly logger: HandlerLogger,
    private readonly runBatch: BatchRunner,
  ) {}

  acceptEncoding(): string | undefined {
    return headerOf(this.req, "accept-encoding");
  }

  sendReply(bytes: Uint8Array, gzipped: boolean): void {
    const res = this.res;
    if (res.headersSent || res.destroyed) return;
    res.writeHead(
      200,
      gzipped
        ? [
            "Content-Type",
            OCTET_STREAM,
            "Content-Encoding",
            "gzip",
            "Content-Length",
            String(bytes.length),
          ]
        : ["Content-Type", OCTET_STREAM, "Content-Length", String(bytes.length)],
    );
    res.end(bytes);
  }

  sendRejection(rejection: Rejection): void {
    replyText(this.res, rejection);
  }

  data(chunk: Buffer): void {
    if (this.refused) return;
    const size = this.size;
    const next = size + chunk.length;
    if (next > this.limit) {
      this.refused = true;
      this.first = this.whole = this.chunks = undefined;
      replyText(this.res, bodyTooLarge(this.limit, `more than ${this.limit} bytes received`));
      return;
    }
    const expected = this.expected;
    if (size === 0 && (expected < 0 || chunk.length === expected)) {
      this.first = chunk;
    } else if (expected > 0 && next <= expected) {
      let whole = this.whole;
      if (whole === undefined) {
        whole = this.whole = Buffer.allocUnsafe(expected);
        if (this.first !== undefined) this.first.copy(whole, 0);
        this.first = undefined;
      }
      chunk.copy(whole, size);
    } else {
      if (this.chunks === undefined) this.chunks = this.first === undefined ? [] : [this.first];
      this.first = undefined;
      this.chunks.push(chunk);
    }
    this.size = next;
  }

  end(): void {
    if (this.refused || this.res.headersSent) return;
    let body: Buffer;
    const whole = this.whole;
    if (this.chunks !== undefined) body = Buffer.concat(this.chunks, this.size);
    else if (whole !== undefined)
      body = this.size === whole.length ? whole : whole.subarray(0, this.size);
    else body = this.first ?? Buffer.alloc(0);
    this.first = this.whole = this.chunks = undefined;
    this.runBatch(this, this.encoding, body);
  }

  error(error: Error): void {
    this.first = this.whole = this.chunks = undefined;
    if (this.res.headersSent || this.refused) return;
    // The client went away mid-body ("aborted"): there is nobody to answer.
    if (this.req.destroyed && (error as { code?: string }).code === "ECONNRESET") return;
    const text = `failed to read the request body: ${describeError(error)}`;
    logFailure(this.logger, `statefun: ${text}`, error);
    replyText(this.res, { status: 400, text });
  }
}

function onReaderData(this: Carrier, chunk: Buffer): void {
  this[kReader]!.data(chunk);
}
function onReaderEnd(this: Carrier): void {
  this[kReader]!.end();
}
function onReaderError(this: Carrier, error: Error): void {
  this[kReader]!.error(error);
}

function readBody(reader: BodyReader): void {
  const req = reader.req as Carrier;
  req[kReader] = reader;
  req.on("data", onReaderData);
  req.on("end", onReaderEnd);
  req.on("error", onReaderError);
}

/**
 * The request line and the headers the rules need, read from `rawHeaders` in one pass: the
 * `req.headers` object is built lazily by Node on first access (every header lower-cased and
 * copied), which a request that only needs four of them can skip.
 */
function readHead(req: IncomingMessage): RequestHead {
  let contentType: string | undefined;
  let contentEncoding: string | undefined;
  let contentLength: string | undefined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    // Only names of these lengths can match: content-type 12, content-length 14, -encoding 16.
    const n = name.length;
    if (n !== 12 && n !== 14 && n !== 16) continue;
    const lower = name.toLowerCase();
    if (lower === "content-type") contentType ??= raw[i + 1];
    else if (lower === "content-length") contentLength ??= raw[i + 1];
    else if (lower === "content-encoding") contentEncoding ??= raw[i + 1];
  }
  return { method: req.method, contentType, contentEncoding, contentLength };
}

/** One header's value (the first), from `rawHeaders`. */
function headerOf(req: IncomingMessage, lowerName: string): string | undefined {
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2)
    if (raw[i]!.length === lowerName.length && raw[i]!.toLowerCase() === lowerName)
      return raw[i + 1];
  return undefined;
}

function replyText(res: ServerResponse, rejection: Rejection): void {
  if (res.headersSent || res.destroyed) return;
  const body = Buffer.from(`${rejection.text}\n`, "utf8");
  const headers = ["Content-Type", TEXT_PLAIN, "Content-Length", String(body.length)];
  if (rejection.close) headers.push("Connection", "close");
  res.writeHead(rejection.status, headers);
  res.end(body);
}
