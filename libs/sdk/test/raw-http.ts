// Test helper: HTTP/1.1 over a raw socket (node:net), to send exactly the bytes a test gives and
// read back the replies as written, including whether and when the server closes.

import { connect, type Socket } from "node:net";

export interface RawReply {
  readonly status: number;
  /** Header names lower-cased; repeated headers joined with ", ". */
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly text: string;
}

export interface RawResult {
  readonly replies: RawReply[];
  /** Whether the server closed the connection (within the wait). */
  readonly closed: boolean;
  /** Everything received, as latin1. */
  readonly raw: string;
}

/** Parses consecutive replies (Content-Length framed) from `buf`; stops at an incomplete one. */
export function parseReplies(buf: Buffer): RawReply[] {
  const replies: RawReply[] = [];
  let at = 0;
  for (;;) {
    const end = buf.indexOf("\r\n\r\n", at, "latin1");
    if (end < 0) return replies;
    const lines = buf.toString("latin1", at, end).split("\r\n");
    const status = Number(lines[0]!.split(" ")[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
    }
    if (status === 100) {
      at = end + 4;
      continue;
    }
    const length = Number(headers["content-length"] ?? 0);
    if (buf.length < end + 4 + length) return replies;
    const body = buf.subarray(end + 4, end + 4 + length);
    replies.push({ status, headers, body, text: body.toString("utf8") });
    at = end + 4 + length;
  }
}

/** Opens a raw connection to 127.0.0.1:`port` (or a Unix socket path). */
export async function openRaw(target: number | string): Promise<RawConnection> {
  const socket =
    typeof target === "number" ? connect(target, "127.0.0.1") : connect({ path: target });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return new RawConnection(socket);
}

/** A raw client connection that collects everything the server sends. */
export class RawConnection {
  private received: Buffer[] = [];
  closed = false;
  private readonly closedPromise: Promise<void>;

  constructor(readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => this.received.push(chunk));
    socket.on("error", () => undefined);
    this.closedPromise = new Promise((resolve) =>
      socket.once("close", () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  write(data: string | Uint8Array): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  get raw(): Buffer {
    return Buffer.concat(this.received);
  }

  replies(): RawReply[] {
    return parseReplies(this.raw);
  }

  /** Waits until `n` replies arrived or the connection closed (at most `ms`). */
  async waitReplies(n: number, ms = 5000): Promise<RawReply[]> {
    const deadline = Date.now() + ms;
    while (this.replies().length < n && !this.closed && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    return this.replies();
  }

  /** Waits until the server closed the connection (at most `ms`); returns whether it did. */
  async waitClosed(ms = 5000): Promise<boolean> {
    await Promise.race([this.closedPromise, new Promise((r) => setTimeout(r, ms))]);
    return this.closed;
  }

  result(): RawResult {
    return { replies: this.replies(), closed: this.closed, raw: this.raw.toString("latin1") };
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * Sends `data` on a new connection; waits for `replies` replies, then `settleMs` more to see
 * whether the server closes (or, with `expectClose`, for the close itself).
 */
export async function rawExchange(
  target: number | string,
  data: string | Uint8Array,
  { replies = 1, settleMs = 50, expectClose = false } = {},
): Promise<RawResult> {
  const connection = await openRaw(target);
  connection.write(data);
  await connection.waitReplies(replies);
  if (expectClose) await connection.waitClosed();
  else await new Promise((r) => setTimeout(r, settleMs));
  const result = connection.result();
  connection.destroy();
  return result;
}
