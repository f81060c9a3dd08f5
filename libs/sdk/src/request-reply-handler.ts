// The RequestReplyHandler interface that asHandler() returns. Types only.

import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The handler of a set of functions: a Node `(req, res)` listener (so `http.createServer(h)` and
 * `app.post("/statefun", h)` work) that also exposes the byte-level `invoke`.
 */
export interface RequestReplyHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** Handles one ToFunction request (protobuf bytes) and returns the FromFunction reply bytes. */
  invoke(payload: Uint8Array): Promise<Uint8Array>;
}
