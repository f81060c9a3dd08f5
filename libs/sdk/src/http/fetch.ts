/**
 * The fetch-style adapter: `(request: Request) => Promise<Response>` around the byte-level
 * `invoke`, for Bun, Deno, Cloudflare Workers, Hono and any runtime with the WHATWG fetch types.
 * Same status rules as the node:http adapter (request-rules.ts); gzip and deflate through the
 * standard DecompressionStream/CompressionStream, so it needs no Node module.
 */

import { describeError } from "../errors.js";
import { COMPRESS_MIN_BYTES, type ResolvedHandlerOptions } from "../handler-options.js";
import {
  acceptsGzip,
  type BodyEncoding,
  bodyTooLarge,
  checkRequest,
  hasZlibHeader,
  logFailure,
  OCTET_STREAM,
  type Rejection,
  statusOf,
  TEXT_PLAIN,
  tooBusy,
  undecodableBody,
} from "./request-rules.js";

type ResponseBody = ConstructorParameters<typeof Response>[0];
type BlobPart = ConstructorParameters<typeof Blob>[0] extends Iterable<infer P> | undefined
  ? P
  : never;
type DecompressionFormat = ConstructorParameters<typeof DecompressionStream>[0];

/** A fetch-style handler: a WHATWG `Request` in, a `Response` out. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Thrown inside the body reader to stop at a rejection. */
class Refused {
  constructor(readonly rejection: Rejection) {}
}

/** Builds the fetch handler around `invoke`. */
export function createFetchHandler(
  invoke: (payload: Uint8Array) => Promise<Uint8Array>,
  options: ResolvedHandlerOptions,
): FetchHandler {
  const { logger, maxBodyBytes, maxConcurrentRequests, compressReplies } = options;
  let inFlight = 0;

  return async (request) => {
    const headers = request.headers;
    const checked = checkRequest(
      {
        method: request.method,
        contentType: headers.get("content-type") ?? undefined,
        contentEncoding: headers.get("content-encoding") ?? undefined,
        contentLength: headers.get("content-length") ?? undefined,
      },
      maxBodyBytes,
    );
    if (typeof checked !== "string") {
      await discard(request);
      return textResponse(checked, checked.status === 405 ? { Allow: "POST" } : undefined);
    }
    if (inFlight >= maxConcurrentRequests) {
      const busy = tooBusy(maxConcurrentRequests, headers.get("content-length") ?? undefined);
      await discard(request);
      return textResponse(busy);
    }
    inFlight++;
    try {
      let body: Uint8Array;
      try {
        body = await readBody(request, checked, maxBodyBytes);
      } catch (error) {
        if (error instanceof Refused) return textResponse(error.rejection);
        return textResponse({
          status: 400,
          text: `failed to read the request body: ${describeError(error)}`,
        });
      }
      let reply: Uint8Array;
      try {
        reply = await invoke(body);
      } catch (error) {
        const status = statusOf(error);
        const text = describeError(error);
        if (status >= 500) logFailure(logger, `statefun: ${text}`, error);
        return textResponse({ status, text });
      }
      if (
        compressReplies &&
        reply.length >= COMPRESS_MIN_BYTES &&
        acceptsGzip(headers.get("accept-encoding"))
      ) {
        const zipped = await transform(reply, new CompressionStream("gzip"));
        return new Response(zipped as ResponseBody, {
          status: 200,
          headers: {
            "Content-Type": OCTET_STREAM,
            "Content-Encoding": "gzip",
            "Content-Length": String(zipped.length),
          },
        });
      }
      return new Response(reply as ResponseBody, {
        status: 200,
        headers: { "Content-Type": OCTET_STREAM, "Content-Length": String(reply.length) },
      });
    } finally {
      inFlight--;
    }
  };
}

/** The body, decoded, never holding more than `limit` decoded bytes. */
async function readBody(
  request: Request,
  encoding: BodyEncoding,
  limit: number,
): Promise<Uint8Array> {
  if (request.body === null) return new Uint8Array(0);
  const raw = await collect(request.body, limit, "received");
  if (encoding === "identity") return raw;
  const format = encoding === "gzip" ? "gzip" : hasZlibHeader(raw) ? "deflate" : "deflate-raw";
  const stream = new Blob([raw as BlobPart])
    .stream()
    .pipeThrough(new DecompressionStream(format as DecompressionFormat));
  try {
    return await collect(stream, limit, `${encoding}-decoded`);
  } catch (error) {
    if (error instanceof Refused) throw error;
    throw new Refused(undecodableBody(encoding, error));
  }
}

/** Reads a stream to the end into one array; past `limit` bytes, cancels it and refuses (413). */
async function collect(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  what: string,
): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new Refused(bodyTooLarge(limit, `more than ${limit} bytes ${what}`));
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

async function transform(bytes: Uint8Array, stream: CompressionStream): Promise<Uint8Array> {
  const piped = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return collect(piped, Number.MAX_SAFE_INTEGER, "compressed");
}

/** Lets go of the body of a refused request without reading it. */
async function discard(request: Request): Promise<void> {
  if (request.body !== null && !request.bodyUsed) {
    await request.body.cancel().catch(() => undefined);
  }
}

function textResponse(rejection: Rejection, extra?: Record<string, string>): Response {
  const body = new TextEncoder().encode(`${rejection.text}\n`);
  const headers = { "Content-Type": TEXT_PLAIN, "Content-Length": String(body.length), ...extra };
  return new Response(body, { status: rejection.status, headers });
}
