/**
 * Strict parsing of an HTTP/1.1 request head (RFC 9112 §2–§5): the request line
 * `method SP request-target SP HTTP-version CRLF` and the header lines
 * `field-name ":" OWS field-value OWS CRLF`. Anything else (obs-fold, whitespace before the colon,
 * bare CR or LF, control characters, another protocol version) is refused with the status and a
 * text saying what is wrong. Only the headers the StateFun endpoint reads are kept, as strings.
 */

import type { Rejection } from "../http/request-rules.js";

/** The fields of a request head the server acts on (undefined when absent). */
export interface RequestHeadFields {
  method: string | undefined;
  /** 1 for HTTP/1.1, 0 for HTTP/1.0. */
  minorVersion: number;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  contentLength: string | undefined;
  transferEncoding: string | undefined;
  connection: string | undefined;
  expect: string | undefined;
  acceptEncoding: string | undefined;
  hostCount: number;
}

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;

/** tchar (RFC 9110 §5.6.2): the characters of a token. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
  TCHAR[c.charCodeAt(0)] = 1;
/** field-vchar (VCHAR and obs-text), plus SP and HTAB inside a value. */
const FIELD_CHAR = new Uint8Array(256);
for (let c = 0x21; c <= 0xff; c++) FIELD_CHAR[c] = c === 0x7f ? 0 : 1;
FIELD_CHAR[SP] = 1;
FIELD_CHAR[HTAB] = 1;

/** Whether byte `c` may appear in a field value (exported for chunk extensions and trailers). */
export function isFieldChar(c: number): boolean {
  return FIELD_CHAR[c] === 1;
}

/** Whether byte `c` may appear in a token. */
export function isTokenChar(c: number): boolean {
  return TCHAR[c] === 1;
}

function malformed(text: string, status = 400): Rejection {
  return { status, text, close: true };
}

/** A head with no fields yet (one per connection, refilled for each request). */
export function emptyHead(): RequestHeadFields {
  const head = {} as RequestHeadFields;
  resetHead(head);
  return head;
}

/** Clears `into` for the next request. */
export function resetHead(into: RequestHeadFields): void {
  into.method = undefined;
  into.minorVersion = 1;
  into.contentType = undefined;
  into.contentEncoding = undefined;
  into.contentLength = undefined;
  into.transferEncoding = undefined;
  into.connection = undefined;
  into.expect = undefined;
  into.acceptEncoding = undefined;
  into.hostCount = 0;
}

/**
 * Parses the head in `buf[start, end)`, where `end` is just past the CRLF that ends the last
 * header line (the empty line after it is not included), into `into`. Returns undefined when the
 * head is valid, else why it is refused (the connection is then closed).
 */
export function parseRequestHead(
  buf: Buffer,
  start: number,
  end: number,
  into: RequestHeadFields,
): Rejection | undefined {
  resetHead(into);
  // Request line: method.
  let i = start;
  while (i < end && TCHAR[buf[i]!] === 1) i++;
  if (i === start || buf[i] !== SP)
    return malformed(
      "malformed request line: expected `METHOD SP target SP HTTP/1.1` (the method must be a token followed by one space)",
    );
  into.method = latin1(buf, start, i);
  // Request target: visible ASCII.
  const targetStart = ++i;
  while (i < end && buf[i]! > SP && buf[i]! < 0x7f) i++;
  if (i === targetStart || buf[i] !== SP)
    return malformed(
      "malformed request line: the request target must be visible ASCII characters followed by one space",
    );
  // Version: exactly HTTP/1.1 or HTTP/1.0, then CRLF.
  const v = i + 1;
  const lineEnd = buf.indexOf(CR, v);
  if (lineEnd < 0 || lineEnd + 1 >= end || buf[lineEnd + 1] !== LF)
    return malformed("malformed request line: it must end with CRLF");
  if (
    lineEnd - v === 8 &&
    buf[v] === 0x48 && // H
    buf[v + 1] === 0x54 && // T
    buf[v + 2] === 0x54 && // T
    buf[v + 3] === 0x50 && // P
    buf[v + 4] === 0x2f && // /
    buf[v + 6] === 0x2e && // .
    isDigit(buf[v + 5]!) &&
    isDigit(buf[v + 7]!)
  ) {
    const major = buf[v + 5]! - 0x30;
    const minor = buf[v + 7]! - 0x30;
    if (major !== 1 || minor > 1) {
      const name = latin1(buf, v, lineEnd);
      return malformed(
        major === 2
          ? `${name} is not supported: this server speaks HTTP/1.1 (StateFun's runtimes call it with HTTP/1.1)`
          : `${name} is not supported: this server speaks HTTP/1.1 and HTTP/1.0`,
        505,
      );
    }
    into.minorVersion = minor;
  } else {
    return malformed(
      `malformed request line: the version must be HTTP/1.1 or HTTP/1.0, got ${JSON.stringify(latin1(buf, v, Math.min(lineEnd, v + 32)))}`,
    );
  }
  // Header lines.
  i = lineEnd + 2;
  while (i < end) {
    const nameStart = i;
    while (TCHAR[buf[i]!] === 1) i++;
    if (buf[i] !== COLON) {
      const c = buf[i]!;
      if (i === nameStart && (c === SP || c === HTAB))
        return malformed(
          "obsolete line folding (a header line starting with whitespace) is not allowed",
        );
      if (c === SP || c === HTAB)
        return malformed(
          `whitespace between header name ${JSON.stringify(latin1(buf, nameStart, i))} and the colon is not allowed`,
        );
      if (c === CR || c === LF)
        return malformed(
          `malformed header line ${JSON.stringify(latin1(buf, nameStart, i))}: no colon`,
        );
      return malformed(
        `malformed header name: character 0x${c.toString(16).padStart(2, "0")} is not allowed in a header name`,
      );
    }
    if (i === nameStart) return malformed("malformed header line: empty header name");
    const nameEnd = i++;
    while (buf[i] === SP || buf[i] === HTAB) i++;
    const valueStart = i;
    while (FIELD_CHAR[buf[i]!] === 1) i++;
    if (buf[i] !== CR || buf[i + 1] !== LF || i + 2 > end) {
      const c = buf[i]!;
      return malformed(
        c === CR || c === LF
          ? `header ${latin1(buf, nameStart, nameEnd)}: a bare CR or LF is not allowed (lines end with CRLF)`
          : `header ${latin1(buf, nameStart, nameEnd)}: character 0x${c.toString(16).padStart(2, "0")} is not allowed in a header value`,
      );
    }
    let valueEnd = i;
    while (valueEnd > valueStart && (buf[valueEnd - 1] === SP || buf[valueEnd - 1] === HTAB))
      valueEnd--;
    i += 2;
    const refused = keep(buf, nameStart, nameEnd, valueStart, valueEnd, into);
    if (refused !== undefined) return refused;
  }
  return undefined;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Keeps the value of a header the server reads; the rest are validated and skipped. */
function keep(
  buf: Buffer,
  nameStart: number,
  nameEnd: number,
  valueStart: number,
  valueEnd: number,
  into: RequestHeadFields,
): Rejection | undefined {
  // Dispatch on the name's length first: most headers match none.
  switch (nameEnd - nameStart) {
    case 4:
      if (named(buf, nameStart, "host")) into.hostCount++;
      return undefined;
    case 6:
      if (named(buf, nameStart, "expect"))
        into.expect = join(into.expect, latin1(buf, valueStart, valueEnd));
      return undefined;
    case 10:
      if (named(buf, nameStart, "connection"))
        into.connection = join(into.connection, latin1(buf, valueStart, valueEnd));
      return undefined;
    case 12:
      if (named(buf, nameStart, "content-type"))
        into.contentType ??= latin1(buf, valueStart, valueEnd);
      return undefined;
    case 14: {
      if (!named(buf, nameStart, "content-length")) return undefined;
      if (valueEnd === valueStart) return malformed("Content-Length is empty");
      for (let j = valueStart; j < valueEnd; j++)
        if (!isDigit(buf[j]!))
          return malformed(
            `Content-Length must be digits only, got ${JSON.stringify(latin1(buf, valueStart, valueEnd))}`,
          );
      const value = latin1(buf, valueStart, valueEnd);
      if (into.contentLength !== undefined && Number(into.contentLength) !== Number(value))
        return malformed(`conflicting Content-Length headers: ${into.contentLength} and ${value}`);
      into.contentLength = value;
      return undefined;
    }
    case 15:
      if (named(buf, nameStart, "accept-encoding"))
        into.acceptEncoding = join(into.acceptEncoding, latin1(buf, valueStart, valueEnd));
      return undefined;
    case 16:
      if (named(buf, nameStart, "content-encoding"))
        into.contentEncoding = join(into.contentEncoding, latin1(buf, valueStart, valueEnd));
      return undefined;
    case 17:
      if (named(buf, nameStart, "transfer-encoding"))
        into.transferEncoding = join(into.transferEncoding, latin1(buf, valueStart, valueEnd));
      return undefined;
    default:
      return undefined;
  }
}

/** Repeated list headers combine with ", " (RFC 9110 §5.3). */
function join(previous: string | undefined, value: string): string {
  return previous === undefined ? value : `${previous}, ${value}`;
}

/** Whether the name at `start` equals `lower` (same length checked by the caller), any case. */
function named(buf: Buffer, start: number, lower: string): boolean {
  for (let j = 0; j < lower.length; j++) {
    // ASCII letters: OR 0x20 lower-cases; '-' (0x2d) is unchanged by it.
    if ((buf[start + j]! | 0x20) !== lower.charCodeAt(j)) return false;
  }
  return true;
}

function latin1(buf: Buffer, start: number, end: number): string {
  return buf.toString("latin1", start, end);
}
