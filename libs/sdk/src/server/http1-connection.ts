/**
 * One HTTP/1.1 connection of the StateFun server: reads request heads and bodies off the socket
 * (Content-Length or chunked framing), applies the shared status rules, runs each batch and writes
 * its reply as one buffer. Requests are answered in order: a pipelined request is parsed only
 * after the reply before it is written, and while a batch runs or the socket needs draining at
 * most {@link PIPELINE_BYTES} more are buffered (the socket is paused beyond). The connection is
 * its own {@link Exchange}: one request is in progress at a time, so nothing is allocated per
 * request but the body and the reply.
 */

import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { ResolvedHandlerOptions } from "../handler-options.js";
import type { BatchRunner, Exchange } from "../http/batch-exchange.js";
import {
  type BodyEncoding,
  bodyTooLarge,
  checkRequest,
  logFailure,
  OCTET_STREAM,
  type Rejection,
  TEXT_PLAIN,
  tooBusy,
} from "../http/request-rules.js";
import { ChunkedBody } from "./chunked-body.js";
import { dateLine } from "./http-date.js";
import { emptyHead, parseRequestHead, type RequestHeadFields } from "./request-head.js";

/** Bytes buffered beyond the request in progress before the socket is paused. */
export const PIPELINE_BYTES = 64 * 1024;
/** How long a connection ended after a closing reply is kept before it is cut. */
const LINGER_MS = 2000;
/** Replies up to this size are copied after their head into one buffer; larger ones are corked. */
const COPY_LIMIT = 16 * 1024;

/** The limits of the server, resolved (see `StatefunServerOptions`). */
export interface ServerLimits {
  readonly keepAliveTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxHeaderBytes: number;
}

/** What the connections of one server share. */
export interface ServerState {
  readonly runBatch: BatchRunner;
  readonly handler: ResolvedHandlerOptions;
  readonly limits: ServerLimits;
  readonly connections: Set<Http1Connection>;
  /** Requests between their accepted head and their reply (for maxConcurrentRequests). */
  inFlight: number;
  /** Set by `server.close()`: replies say `Connection: close` and end their connection. */
  closing: boolean;
}

const HEAD = 0;
const BODY = 1;
const CHUNKED = 2;
const WAIT = 3;
const CLOSED = 4;

const CRLF2 = Buffer.from("\r\n\r\n", "latin1");
const CR = 13;
const LF = 10;
const OK_HEAD = `HTTP/1.1 200 OK\r\nContent-Type: ${OCTET_STREAM}\r\nContent-Length: `;
const OK_GZIP_HEAD = `HTTP/1.1 200 OK\r\nContent-Type: ${OCTET_STREAM}\r\nContent-Encoding: gzip\r\nContent-Length: `;
const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n", "latin1");
const EMPTY = Buffer.alloc(0);

/** An HTTP/1.1 connection serving StateFun batches; created by the server per socket. */
export class Http1Connection implements Exchange {
  private readonly head: RequestHeadFields = emptyHead();
  private state = HEAD;
  /** Received bytes not consumed yet. */
  private pending: Buffer | null = null;
  /** Where pending bytes are gathered when they come in several chunks. */
  private store: Buffer | undefined;
  /** Where the search for the end of a head resumes. */
  private scanFrom = 0;
  private keepAlive = true;
  private encoding: BodyEncoding = "identity";
  /** Whether the body is skipped (a refused request whose connection is kept). */
  private discarding = false;
  private bodyLeft = 0;
  private body: Buffer | undefined;
  private bodyFilled = 0;
  private chunked: ChunkedBody | undefined;
  /** Whether this request counts in `inFlight`. */
  private counted = false;
  private paused = false;
  private needDrain = false;
  private peerEnded = false;
  private looping = false;
  /** When the request being received started (0: none, the connection is idle). */
  private requestStart = 0;
  /** When the connection fell idle, or started lingering after a closing reply. */
  private since = Date.now();

  constructor(
    private readonly socket: Socket,
    private readonly server: ServerState,
  ) {
    server.connections.add(this);
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onEnd());
    socket.on("drain", () => this.onDrain());
    // The socket is destroyed on an error ('close' follows); nothing else to do about it.
    socket.on("error", () => undefined);
    socket.on("close", () => this.onClose());
  }

  /** Whether no request is in progress and no bytes of one are waiting. */
  get idle(): boolean {
    return this.state === HEAD && this.pending === null && this.requestStart === 0;
  }

  /** Cuts the connection at once (closeAllConnections, timeouts). */
  destroy(): void {
    this.socket.destroy();
  }

  /** Applies the timeouts: called by the server's sweep. */
  checkTimeouts(now: number): void {
    const limits = this.server.limits;
    switch (this.state) {
      case HEAD:
        if (this.requestStart === 0) {
          if (now - this.since >= limits.keepAliveTimeoutMs) this.socket.destroy();
        } else if (now - this.requestStart >= limits.headersTimeoutMs) {
          this.refuse({
            status: 408,
            text: `request head not received within headersTimeoutMs = ${limits.headersTimeoutMs} ms`,
            close: true,
          });
        }
        return;
      case BODY:
      case CHUNKED:
        if (now - this.requestStart >= limits.requestTimeoutMs)
          this.refuse({
            status: 408,
            text: `request not received within requestTimeoutMs = ${limits.requestTimeoutMs} ms`,
            close: true,
          });
        return;
      case CLOSED:
        if (now - this.since >= LINGER_MS) this.socket.destroy();
        return;
      default:
        return;
    }
  }

  // Exchange

  acceptEncoding(): string | undefined {
    return this.head.acceptEncoding;
  }

  sendReply(bytes: Uint8Array, gzipped: boolean): void {
    if (this.state !== WAIT) return; // the client went away: the reply is dropped
    this.write(gzipped ? OK_GZIP_HEAD : OK_HEAD, bytes, "");
    this.finish();
  }

  sendRejection(rejection: Rejection): void {
    if (this.state !== WAIT) return;
    this.reject(rejection);
    this.finish();
  }

  // Reading

  private onData(chunk: Buffer): void {
    if (this.state === CLOSED) return; // read before the pause took effect: dropped
    this.append(chunk);
    if (this.state === WAIT || this.needDrain) {
      if (this.pending!.length > PIPELINE_BYTES) this.pause();
      return;
    }
    this.process();
  }

  /**
   * Adds received bytes to the pending ones. A head arriving a few bytes at a time (slowloris)
   * grows a buffer of twice the size as needed, so it is copied O(n) times, not O(n²).
   */
  private append(chunk: Buffer): void {
    const pending = this.pending;
    if (pending === null) {
      this.pending = chunk;
      return;
    }
    const length = pending.length + chunk.length;
    let store = this.store;
    // Writing past `pending` in the store is safe only while `pending` starts the store: no view
    // of its bytes (a body) was handed out.
    if (
      store === undefined ||
      pending.buffer !== store.buffer ||
      pending.byteOffset !== store.byteOffset ||
      length > store.length
    ) {
      store = this.store = Buffer.allocUnsafeSlow(Math.max(2 * length, 4096));
      pending.copy(store, 0);
    }
    chunk.copy(store, pending.length);
    this.pending = store.subarray(0, length);
  }

  private onEnd(): void {
    this.peerEnded = true;
    if (this.state !== WAIT && !this.needDrain) this.afterProcess();
  }

  private onDrain(): void {
    this.needDrain = false;
    this.process();
  }

  private onClose(): void {
    this.state = CLOSED;
    this.pending = null;
    this.body = undefined;
    this.chunked = undefined;
    this.release();
    this.server.connections.delete(this);
  }

  /** Consumes pending bytes until a request is running, the bytes run out, or the socket must drain. */
  private process(): void {
    if (this.looping) return;
    this.looping = true;
    try {
      while (this.pending !== null && this.state < WAIT && !this.needDrain) {
        if (this.state === HEAD) {
          if (!this.readHead()) break;
        } else if (this.state === BODY) this.readBody(this.pending);
        else this.readChunked(this.pending);
      }
    } catch (error) {
      // A bug here must not take the process down: report it and cut this connection only.
      logFailure(this.server.handler.logger, "statefun: HTTP server connection failed", error);
      this.socket.destroy();
      return;
    } finally {
      this.looping = false;
    }
    this.afterProcess();
  }

  /** Resumes a paused socket when reading may go on, and closes after a client's FIN. */
  private afterProcess(): void {
    const state = this.state;
    if (state === CLOSED || state === WAIT || this.needDrain) return;
    if (this.peerEnded) {
      // Nothing more will arrive: an idle connection is ended, a partial request is cut.
      if (state === HEAD && this.pending === null) {
        this.state = CLOSED;
        this.socket.end();
      } else this.socket.destroy();
      return;
    }
    if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
  }

  private pause(): void {
    if (this.paused) return;
    this.paused = true;
    this.socket.pause();
  }

  /** Parses a head if complete; returns whether processing may go on. */
  private readHead(): boolean {
    let buf = this.pending!;
    if (this.requestStart === 0) {
      // Empty lines before a request line are ignored (RFC 9112 §2.2).
      let s = 0;
      while (s + 1 < buf.length && buf[s] === CR && buf[s + 1] === LF) s += 2;
      if (s > 0) {
        if (s === buf.length) {
          this.pending = null;
          return false;
        }
        buf = this.pending = buf.subarray(s);
      }
      this.requestStart = Date.now();
    }
    const maxHeaderBytes = this.server.limits.maxHeaderBytes;
    const end = buf.indexOf(CRLF2, this.scanFrom > 3 ? this.scanFrom - 3 : 0);
    if (end < 0) {
      // A bare LF would never make a CRLFCRLF: refuse it now rather than at the timeout.
      for (let j = this.scanFrom; j < buf.length; j++)
        if (buf[j] === LF && (j === 0 || buf[j - 1] !== CR)) {
          this.refuse({
            status: 400,
            text: "malformed request head: a bare LF (lines end with CRLF)",
            close: true,
          });
          return false;
        }
      if (buf.length > maxHeaderBytes) this.refuse(headTooLarge(maxHeaderBytes));
      this.scanFrom = buf.length;
      return false;
    }
    this.scanFrom = 0;
    if (end + 4 > maxHeaderBytes) {
      this.refuse(headTooLarge(maxHeaderBytes));
      return false;
    }
    const head = this.head;
    const malformed = parseRequestHead(buf, 0, end + 2, head);
    if (malformed !== undefined) {
      this.refuse(malformed);
      return false;
    }
    this.pending = end + 4 === buf.length ? null : buf.subarray(end + 4);
    this.startRequest(head);
    return true;
  }

  /** Checks the framing and the rules of a parsed head, then reads, skips or refuses its body. */
  private startRequest(head: RequestHeadFields): void {
    const server = this.server;
    const http10 = head.minorVersion === 0;
    const connection = head.connection?.toLowerCase();
    this.keepAlive =
      !server.closing &&
      (http10 ? hasToken(connection, "keep-alive") : !hasToken(connection, "close"));
    if (!http10 && head.hostCount !== 1) {
      this.refuse(
        malformed(
          head.hostCount === 0
            ? "an HTTP/1.1 request must have a Host header"
            : "more than one Host header",
        ),
      );
      return;
    }
    let chunked = false;
    if (head.transferEncoding !== undefined) {
      const refused = checkTransferEncoding(head, http10);
      if (refused !== undefined) {
        this.refuse(refused);
        return;
      }
      chunked = true;
    }
    let expectContinue = false;
    if (head.expect !== undefined && !http10) {
      if (head.expect.trim().toLowerCase() !== "100-continue") {
        this.refuse({
          status: 417,
          text: `unsupported expectation ${JSON.stringify(head.expect)}: only 100-continue is supported`,
          close: true,
        });
        return;
      }
      expectContinue = true;
    }
    const length = head.contentLength === undefined ? 0 : Number(head.contentLength);
    const hasBody = chunked || length > 0;
    const { maxBodyBytes, maxConcurrentRequests } = server.handler;
    const checked = checkRequest(head, maxBodyBytes);
    let refused: Rejection | undefined;
    if (typeof checked !== "string") refused = checked;
    else if (server.inFlight >= maxConcurrentRequests)
      refused = tooBusy(maxConcurrentRequests, head.contentLength);
    if (refused !== undefined) {
      // A client waiting for 100 Continue sends no body: the connection closes instead.
      if (hasBody && (refused.close || expectContinue)) {
        this.refuse(refused.close ? refused : { ...refused, close: true });
        return;
      }
      this.reject(refused);
      if (!this.keepAlive) this.close(hasBody);
      else if (hasBody) this.readBodyOf(chunked, length, true);
      else this.toIdle();
      return;
    }
    this.encoding = checked as BodyEncoding;
    server.inFlight++;
    this.counted = true;
    if (!hasBody) {
      this.run(EMPTY);
      return;
    }
    if (expectContinue && this.pending === null) this.socket.write(CONTINUE);
    this.readBodyOf(chunked, length, false);
  }

  private readBodyOf(chunked: boolean, length: number, discard: boolean): void {
    this.discarding = discard;
    if (chunked) {
      const limit = discard ? Number.MAX_SAFE_INTEGER : this.server.handler.maxBodyBytes;
      this.chunked = new ChunkedBody(limit, this.server.limits.maxHeaderBytes, !discard);
      this.state = CHUNKED;
    } else {
      this.bodyLeft = length;
      this.bodyFilled = 0;
      this.body = undefined;
      this.state = BODY;
    }
  }

  private readBody(buf: Buffer): void {
    const n = Math.min(buf.length, this.bodyLeft);
    if (!this.discarding) {
      if (this.body === undefined && n === this.bodyLeft) {
        // The whole body in one chunk: a view, no copy.
        this.body = n === buf.length ? buf : buf.subarray(0, n);
      } else {
        this.body ??= Buffer.allocUnsafe(this.bodyLeft);
        buf.copy(this.body, this.bodyFilled, 0, n);
      }
      this.bodyFilled += n;
    }
    this.bodyLeft -= n;
    this.pending = n === buf.length ? null : buf.subarray(n);
    if (this.bodyLeft === 0) this.bodyDone(this.body ?? EMPTY);
  }

  private readChunked(buf: Buffer): void {
    const decoder = this.chunked!;
    const consumed = decoder.feed(buf, 0);
    if (typeof consumed !== "number") {
      const maxBodyBytes = this.server.handler.maxBodyBytes;
      this.refuse(
        consumed.tooLarge ? bodyTooLarge(maxBodyBytes, consumed.text) : malformed(consumed.text),
      );
      return;
    }
    this.pending = consumed === buf.length ? null : buf.subarray(consumed);
    if (!decoder.done) return;
    this.chunked = undefined;
    const parts = decoder.parts;
    this.bodyDone(
      parts.length === 1 ? parts[0]! : parts.length === 0 ? EMPTY : Buffer.concat(parts),
    );
  }

  private bodyDone(body: Buffer): void {
    this.body = undefined;
    if (this.discarding) {
      this.discarding = false;
      this.toIdle();
      return;
    }
    this.run(body);
  }

  private run(body: Buffer): void {
    this.state = WAIT;
    this.requestStart = 0;
    this.server.runBatch(this, this.encoding, body);
  }

  // Writing

  /** Writes a refusal or failure reply (keeping the state). */
  private reject(rejection: Rejection): void {
    const text = Buffer.from(`${rejection.text}\n`, "utf8");
    if (rejection.close) this.keepAlive = false;
    this.write(
      `HTTP/1.1 ${rejection.status} ${STATUS_CODES[rejection.status] ?? "Error"}\r\nContent-Type: ${TEXT_PLAIN}\r\nContent-Length: `,
      text,
      rejection.status === 405 ? "Allow: POST\r\n" : "",
    );
  }

  /** Refuses the request in progress and closes the connection after the reply. */
  private refuse(rejection: Rejection): void {
    if (this.state === CLOSED) return;
    this.reject({ ...rejection, close: true });
    this.close(true);
  }

  /**
   * `head` ends with `Content-Length: `; the length, Date, Connection and `extra` follow. The
   * reply to a HEAD request has no body (RFC 9110 §9.3.2), only its length.
   */
  private write(head: string, reply: Uint8Array, extra: string): void {
    const socket = this.socket;
    if (socket.destroyed) return;
    const close = !this.keepAlive || this.server.closing;
    this.keepAlive = !close;
    const connection = close
      ? "Connection: close\r\n"
      : this.head.minorVersion === 0
        ? "Connection: keep-alive\r\n"
        : "";
    const text = `${head}${reply.length}\r\n${dateLine()}${connection}${extra}\r\n`;
    const body = this.head.method === "HEAD" ? EMPTY : reply;
    let flushed: boolean;
    if (body.length <= COPY_LIMIT) {
      // One buffer, one write: cheaper than two writes (a writev) for small replies.
      const out = Buffer.allocUnsafe(text.length + body.length);
      out.write(text, 0, "latin1");
      out.set(body, text.length);
      flushed = socket.write(out);
    } else {
      socket.cork();
      socket.write(text, "latin1");
      flushed = socket.write(body);
      socket.uncork();
    }
    if (!flushed) {
      this.needDrain = true;
      this.pause();
    }
  }

  /** After the reply of a request: next request, or close. */
  private finish(): void {
    this.release();
    if (!this.keepAlive) {
      this.close();
      return;
    }
    this.toIdle();
    if (!this.looping) this.process();
  }

  private toIdle(): void {
    this.head.method = undefined; // a timeout's 408 before the next head has a body
    this.state = HEAD;
    this.requestStart = 0;
    this.since = Date.now();
  }

  /**
   * Ends the connection after what was written; the socket is cut after a linger unless the
   * client closes first. After a refusal mid-request (`stopReading`) nothing more is read: the
   * rest of a refused body takes no memory, and the client still reads the reply.
   */
  private close(stopReading = false): void {
    this.release();
    this.state = CLOSED;
    this.pending = null;
    this.body = undefined;
    this.chunked = undefined;
    this.since = Date.now();
    if (stopReading) this.pause();
    else if (this.paused) {
      this.paused = false;
      this.socket.resume();
    }
    this.socket.end();
  }

  private release(): void {
    if (this.counted) {
      this.counted = false;
      this.server.inFlight--;
    }
  }
}

function malformed(text: string): Rejection {
  return { status: 400, text, close: true };
}

function headTooLarge(maxHeaderBytes: number): Rejection {
  return {
    status: 431,
    text: `request head larger than maxHeaderBytes = ${maxHeaderBytes} bytes`,
    close: true,
  };
}

/** Only `chunked`, alone and last (RFC 9112 §6.1, §6.3); with Content-Length, refused. */
function checkTransferEncoding(head: RequestHeadFields, http10: boolean): Rejection | undefined {
  if (head.contentLength !== undefined)
    return malformed(
      "both Content-Length and Transfer-Encoding given: refused (the framing is ambiguous, RFC 9112 §6.3)",
    );
  if (http10) return malformed("Transfer-Encoding is not allowed in an HTTP/1.0 request");
  const codings = head.transferEncoding!.split(",").map((c) => c.trim().toLowerCase());
  if (codings.at(-1) !== "chunked")
    return malformed(
      `Transfer-Encoding ${JSON.stringify(head.transferEncoding)}: chunked must be the last coding`,
    );
  if (codings.length > 1) {
    const other = codings.slice(0, -1);
    if (other.includes("chunked")) return malformed("Transfer-Encoding: chunked given twice");
    return {
      status: 501,
      text: `transfer coding ${other.join(", ")} is not implemented: send the body as is (chunked) or with Content-Encoding gzip or deflate`,
      close: true,
    };
  }
  return undefined;
}

/** Whether the comma-separated, lower-cased `list` holds `token`. */
function hasToken(list: string | undefined, token: string): boolean {
  if (list === undefined) return false;
  if (list === token) return true;
  for (const part of list.split(",")) if (part.trim() === token) return true;
  return false;
}
