// Small HTTP helpers of the runtime servers: bounded body reading, JSON answers, listen/close.
import type { IncomingMessage, Server, ServerResponse } from "node:http";

/** Reads a request body up to `limit` bytes; `undefined` when it is larger. */
export function readBody(request: IncomingMessage, limit: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on("end", () => resolve(tooLarge ? undefined : new Uint8Array(Buffer.concat(chunks))));
    request.on("error", reject);
  });
}

/** Answers with a JSON body, indented for curl users unless `compact` (the hot 202 path). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  compact = false,
): void {
  const text = `${compact ? JSON.stringify(body) : JSON.stringify(body, null, 2)}\n`;
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}

/** Answers with an error: JSON `{ error }` so curl users read the reason. */
export function sendError(response: ServerResponse, status: number, message: string): void {
  sendJson(response, status, { error: message });
}

/** Listens on host:port and resolves with the bound port. */
export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** Stops accepting connections and closes the open ones. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
