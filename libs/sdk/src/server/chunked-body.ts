/**
 * Decoding of a `Transfer-Encoding: chunked` request body (RFC 9112 §7.1), fed any split of the
 * bytes: chunk-size lines (hex, with extensions) and the trailer section are bounded, every line
 * must end with CRLF, and the decoded size is checked against the body limit as it grows.
 */

import { isFieldChar } from "./request-head.js";

const CR = 13;
const LF = 10;

/** Longest chunk-size line, extensions included (Node allows less; nobody needs more). */
export const MAX_CHUNK_LINE = 4096;

const SIZE = 0;
const EXT = 1;
const SIZE_LF = 2;
const DATA = 3;
const DATA_CR = 4;
const DATA_LF = 5;
const TRAILER_START = 6;
const TRAILER_LINE = 7;
const TRAILER_LF = 8;
const LAST_LF = 9;
const DONE = 10;
const BWS = 11;

/** Why a chunked body is refused: malformed framing (400) or over the body limit (413). */
export interface ChunkedError {
  readonly tooLarge: boolean;
  readonly text: string;
}

/** A chunked-body decoder for one request; the decoded parts are kept in `parts`. */
export class ChunkedBody {
  /** The decoded data, in order (views of the fed buffers). */
  readonly parts: Buffer[] = [];
  /** Decoded bytes so far. */
  size = 0;
  private state = SIZE;
  private chunkLeft = 0;
  private lineBytes = 0;
  private digits = 0;
  private trailerBytes = 0;

  /**
   * @param limit largest decoded size accepted.
   * @param maxTrailerBytes largest trailer section accepted.
   * @param keep whether to keep the data (false: a refused request's body is only skipped).
   */
  constructor(
    private readonly limit: number,
    private readonly maxTrailerBytes: number,
    private readonly keep: boolean,
  ) {}

  /** Whether the last chunk and the trailer section have been read. */
  get done(): boolean {
    return this.state === DONE;
  }

  /**
   * Decodes from `buf[start…]`; returns how many bytes were consumed (all of them unless the
   * body ended inside `buf`), or why the body is refused.
   */
  feed(buf: Buffer, start: number): number | ChunkedError {
    const end = buf.length;
    let i = start;
    while (i < end) {
      const c = buf[i]!;
      switch (this.state) {
        case SIZE: {
          const d = hexValue(c);
          if (d >= 0) {
            if (++this.digits > 8) return malformed("a chunk size of more than 8 hex digits");
            this.chunkLeft = this.chunkLeft * 16 + d;
            if (this.size + this.chunkLeft > this.limit)
              return { tooLarge: true, text: `more than ${this.limit} bytes received` };
          } else if (this.digits === 0) {
            return malformed(`chunk size expected (hex digits), got byte 0x${hex(c)}`);
          } else if (c === 0x3b /* ; */) {
            this.state = EXT;
          } else if (c === 0x20 || c === 0x09) {
            this.state = BWS;
          } else if (c === CR) {
            this.state = SIZE_LF;
          } else {
            return malformed(`invalid byte 0x${hex(c)} in a chunk-size line`);
          }
          if (++this.lineBytes > MAX_CHUNK_LINE) return lineTooLong();
          i++;
          break;
        }
        case BWS:
          // Whitespace after the size is allowed only before an extension (RFC 9112 §7.1.1).
          if (c === 0x3b) this.state = EXT;
          else if (c === CR) this.state = SIZE_LF;
          else if (c !== 0x20 && c !== 0x09)
            return malformed(`invalid byte 0x${hex(c)} after a chunk size`);
          if (++this.lineBytes > MAX_CHUNK_LINE) return lineTooLong();
          i++;
          break;
        case EXT:
          if (c === CR) this.state = SIZE_LF;
          else if (!isFieldChar(c))
            return malformed(`invalid byte 0x${hex(c)} in a chunk extension`);
          if (++this.lineBytes > MAX_CHUNK_LINE) return lineTooLong();
          i++;
          break;
        case SIZE_LF:
          if (c !== LF) return malformed("a chunk-size line must end with CRLF");
          i++;
          this.lineBytes = 0;
          this.digits = 0;
          this.state = this.chunkLeft === 0 ? TRAILER_START : DATA;
          break;
        case DATA: {
          const n = Math.min(this.chunkLeft, end - i);
          if (this.keep) this.parts.push(i === 0 && n === end ? buf : buf.subarray(i, i + n));
          this.size += n;
          this.chunkLeft -= n;
          i += n;
          if (this.chunkLeft === 0) this.state = DATA_CR;
          break;
        }
        case DATA_CR:
          if (c !== CR) return malformed("chunk data must be followed by CRLF");
          this.state = DATA_LF;
          i++;
          break;
        case DATA_LF:
          if (c !== LF) return malformed("chunk data must be followed by CRLF");
          this.state = SIZE;
          i++;
          break;
        case TRAILER_START:
          if (c === CR) this.state = LAST_LF;
          else if (isFieldChar(c) && c !== 0x20 && c !== 0x09) this.state = TRAILER_LINE;
          else return malformed(`invalid byte 0x${hex(c)} at the start of a trailer line`);
          i++;
          if (++this.trailerBytes > this.maxTrailerBytes) return trailersTooLarge();
          break;
        case TRAILER_LINE:
          if (c === CR) this.state = TRAILER_LF;
          else if (!isFieldChar(c)) return malformed(`invalid byte 0x${hex(c)} in a trailer line`);
          i++;
          if (++this.trailerBytes > this.maxTrailerBytes) return trailersTooLarge();
          break;
        case TRAILER_LF:
          if (c !== LF) return malformed("a trailer line must end with CRLF");
          this.state = TRAILER_START;
          i++;
          break;
        case LAST_LF:
          if (c !== LF) return malformed("the chunked body must end with CRLF");
          this.state = DONE;
          return i + 1 - start;
        default:
          return i - start;
      }
    }
    return i - start;
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

function hex(c: number): string {
  return c.toString(16).padStart(2, "0");
}

function malformed(text: string): ChunkedError {
  return { tooLarge: false, text: `malformed chunked body: ${text}` };
}

function lineTooLong(): ChunkedError {
  return malformed(`a chunk-size line is longer than ${MAX_CHUNK_LINE} bytes`);
}

function trailersTooLarge(): ChunkedError {
  return malformed("the trailer section is too large");
}
