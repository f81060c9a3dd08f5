/**
 * The HTTP status rules shared by the node:http and fetch adapters (PROTOCOL.md §5): which
 * requests are refused before their body is read, the content encodings accepted, whether a
 * reply may be gzip-compressed, and the status and text of a failed request.
 */

import { describeError, InvalidRequestError, UnknownFunctionError } from "../errors.js";

export const OCTET_STREAM = "application/octet-stream";
export const TEXT_PLAIN = "text/plain; charset=utf-8";

/** A request refused with `status` and a text saying what is wrong and how to fix it. */
export interface Rejection {
  readonly status: number;
  readonly text: string;
  /** Whether to close the connection after the reply (the rest of the body is not read). */
  readonly close?: boolean;
}

/** How the request body is encoded: as is, gzip, or deflate (zlib or raw). */
export type BodyEncoding = "identity" | "gzip" | "deflate";

/** The request headers the rules look at (undefined when absent). */
export interface RequestHead {
  readonly method: string | undefined;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly contentLength: string | undefined;
}

/** The body encoding of an acceptable request, or why it is refused. */
export function checkRequest(head: RequestHead, maxBodyBytes: number): BodyEncoding | Rejection {
  if (head.method !== "POST") {
    return {
      status: 405,
      text: `method ${head.method} not allowed: StateFun sends requests with POST`,
    };
  }
  const contentType = head.contentType;
  if (contentType !== undefined && contentType !== OCTET_STREAM && !isOctetStream(contentType)) {
    return {
      status: 415,
      text: `unsupported content type ${contentType}: expected ${OCTET_STREAM}`,
    };
  }
  const encoding = bodyEncoding(head.contentEncoding);
  if (encoding === undefined) {
    return {
      status: 415,
      text: `unsupported content encoding ${head.contentEncoding}: send the body as is, or with Content-Encoding gzip or deflate`,
    };
  }
  if (head.contentLength !== undefined && Number(head.contentLength) > maxBodyBytes) {
    return bodyTooLarge(maxBodyBytes, `Content-Length is ${head.contentLength}`);
  }
  return encoding;
}

/** The 413 of a body over the limit (the connection is closed: the rest is not read). */
export function bodyTooLarge(maxBodyBytes: number, detail: string): Rejection {
  return {
    status: 413,
    text: `request body larger than maxBodyBytes = ${maxBodyBytes} bytes (${detail}); raise the handler option maxBodyBytes or send smaller batches (Flink: maxNumBatchRequests)`,
    close: true,
  };
}

/** Bodies up to this size are read and dropped after a refusal, keeping the connection. */
const SMALL_BODY = 64 * 1024;

/**
 * The 503 of a request beyond `maxConcurrentRequests`; the runtime retries it. A large (or
 * unsized) body is not read: the connection is closed instead, so refused bodies take no memory.
 */
export function tooBusy(
  maxConcurrentRequests: number,
  contentLength: string | undefined,
): Rejection {
  return {
    status: 503,
    text: `too many requests in progress (maxConcurrentRequests = ${maxConcurrentRequests}); retry later`,
    close: contentLength === undefined || Number(contentLength) > SMALL_BODY,
  };
}

/** The 400 of a compressed body that does not decode. */
export function undecodableBody(encoding: BodyEncoding, error: unknown): Rejection {
  return {
    status: 400,
    text: `request body is not valid ${encoding} data (Content-Encoding: ${encoding}): ${describeError(error)}`,
  };
}

function bodyEncoding(header: string | undefined): BodyEncoding | undefined {
  if (header === undefined || header === "") return "identity";
  const value = header.trim().toLowerCase();
  if (value === "identity") return "identity";
  if (value === "gzip" || value === "x-gzip") return "gzip";
  if (value === "deflate") return "deflate";
  return undefined;
}

function isOctetStream(contentType: string): boolean {
  const semicolon = contentType.indexOf(";");
  const mediaType = (semicolon < 0 ? contentType : contentType.slice(0, semicolon))
    .trim()
    .toLowerCase();
  return mediaType === OCTET_STREAM;
}

/** Whether `Accept-Encoding` allows gzip (listed, or `*`, without `q=0`). */
export function acceptsGzip(header: string | undefined | null): boolean {
  if (!header) return false;
  let star = false;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.split(";");
    const coding = name.trim().toLowerCase();
    if (coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    const refused = params.some((p) => /^\s*q\s*=\s*0(\.0*)?\s*$/i.test(p));
    if (coding === "*") star = !refused;
    else return !refused;
  }
  return star;
}

/** Whether deflate bytes start with a zlib header (RFC 1950), else they are raw deflate. */
export function hasZlibHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
}

/** The status of a failed batch: 400 malformed, 404 unknown function, else 500 (retried). */
export function statusOf(error: unknown): number {
  if (error instanceof InvalidRequestError) return 400;
  if (error instanceof UnknownFunctionError) return 404;
  return 500;
}

/** Reports a failed batch; a throwing logger never breaks the reply. */
export function logFailure(
  logger: { error(message: string, error?: unknown): void },
  message: string,
  error: unknown,
): void {
  try {
    logger.error(message, error);
  } catch {
    // The reply still names the failure; nothing more can be done with a broken logger.
  }
}
