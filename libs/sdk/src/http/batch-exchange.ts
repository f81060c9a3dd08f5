/**
 * What every server-side adapter does once a request body is in hand, shared by the node:http
 * listener and the dedicated HTTP/1.1 server: decode a gzip/deflate body (the limit on the decoded
 * size), run the batch (a synchronous batch replies in the same tick), gzip a large reply when the
 * client accepts it, and turn a failure into its status and text. The adapter supplies an
 * {@link Exchange}: how to read `Accept-Encoding` and how to write a reply or a refusal.
 */

import { gunzip, gzip, type InputType, inflate, inflateRaw, type ZlibOptions } from "node:zlib";
import { describeError } from "../errors.js";
import { COMPRESS_MIN_BYTES, type ResolvedHandlerOptions } from "../handler-options.js";
import {
  acceptsGzip,
  type BodyEncoding,
  bodyTooLarge,
  hasZlibHeader,
  logFailure,
  type Rejection,
  statusOf,
  undecodableBody,
} from "./request-rules.js";

/** One request as the batch runner sees it: where its reply goes. */
export interface Exchange {
  /** The request's `Accept-Encoding` header (undefined when absent). */
  acceptEncoding(): string | undefined;
  /** Writes the 200 reply: `bytes` is the FromFunction message, gzip'd when `gzipped`. */
  sendReply(bytes: Uint8Array, gzipped: boolean): void;
  /** Writes a refusal or failure (text/plain). */
  sendRejection(rejection: Rejection): void;
}

/** Runs the batch of a request whose body (as received, `encoding`-encoded) is complete. */
export type BatchRunner = (exchange: Exchange, encoding: BodyEncoding, body: Buffer) => void;

type Decoder = (
  body: InputType,
  options: ZlibOptions,
  callback: (error: Error | null, result: Buffer) => void,
) => void;

/** The runner around `invoke` (which may return the reply synchronously) with these options. */
export function createBatchRunner(
  invoke: (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>,
  options: ResolvedHandlerOptions,
): BatchRunner {
  const { logger, maxBodyBytes, compressReplies } = options;

  const fail = (exchange: Exchange, error: unknown): void => {
    const status = statusOf(error);
    const text = describeError(error);
    if (status >= 500) logFailure(logger, `statefun: ${text}`, error);
    exchange.sendRejection({ status, text });
  };

  const reply = (exchange: Exchange, bytes: Uint8Array): void => {
    if (
      compressReplies &&
      bytes.length >= COMPRESS_MIN_BYTES &&
      acceptsGzip(exchange.acceptEncoding())
    ) {
      gzip(bytes, (error, zipped) => {
        if (error) fail(exchange, error);
        else exchange.sendReply(zipped, true);
      });
      return;
    }
    exchange.sendReply(bytes, false);
  };

  const run = (exchange: Exchange, body: Uint8Array): void => {
    let result: Uint8Array | Promise<Uint8Array>;
    try {
      result = invoke(body);
    } catch (error) {
      fail(exchange, error);
      return;
    }
    // Synchronous functions: the reply is written in this tick, with no promise in between.
    if (result instanceof Uint8Array) reply(exchange, result);
    else
      result.then(
        (bytes) => reply(exchange, bytes),
        (error: unknown) => fail(exchange, error),
      );
  };

  return (exchange, encoding, body) => {
    if (encoding === "identity") {
      run(exchange, body);
      return;
    }
    const decoder: Decoder =
      encoding === "gzip" ? gunzip : hasZlibHeader(body) ? inflate : inflateRaw;
    // maxOutputLength: the decoder stops at the limit, so a zip bomb never gets inflated.
    decoder(body, { maxOutputLength: maxBodyBytes }, (error, decoded) => {
      if (error) {
        if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE")
          exchange.sendRejection(
            bodyTooLarge(maxBodyBytes, `more than ${maxBodyBytes} bytes ${encoding}-decoded`),
          );
        else exchange.sendRejection(undecodableBody(encoding, error));
        return;
      }
      run(exchange, decoded);
    });
  };
}
