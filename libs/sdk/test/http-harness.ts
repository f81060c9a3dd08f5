// Test harness: one way to send a request to any adapter (node:http over a real socket, the
// dedicated StateFun server over a real socket, or the fetch handler called with Node's own
// Request), so each status rule is tested on all three.

import { once } from "node:events";
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { HandlerOptions } from "../src/handler-options.js";
import { createStatefunServer } from "../src/server/statefun-server.js";
import type { StatefulFunctionsBuilder } from "../src/stateful-functions-builder.js";

type BodyInit = ConstructorParameters<typeof Request>[1] extends infer I
  ? I extends { body?: infer B }
    ? B
    : never
  : never;

export interface SentRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
}

export interface Received {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly text: string;
}

export interface Endpoint {
  send(request: SentRequest): Promise<Received>;
  close(): Promise<void>;
}

export type Adapter = "node:http" | "fetch" | "statefun-server";
export const ADAPTERS: readonly Adapter[] = ["node:http", "fetch", "statefun-server"];

/** Serves `builder` with `options` through `adapter`. */
export async function serve(
  adapter: Adapter,
  builder: StatefulFunctionsBuilder,
  options?: HandlerOptions,
): Promise<Endpoint> {
  if (adapter === "fetch") {
    const handler = builder.asFetchHandler(options);
    return {
      async send({ method = "POST", headers = {}, body }) {
        const response = await handler(
          new Request("http://127.0.0.1/statefun", {
            method,
            headers,
            ...(body === undefined || method === "GET" ? {} : { body: body as BodyInit }),
          }),
        );
        const bytes = Buffer.from(await response.arrayBuffer());
        return {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: bytes,
          text: bytes.toString("utf8"),
        };
      },
      async close() {},
    };
  }
  const server =
    adapter === "statefun-server"
      ? createStatefunServer(builder, options)
      : createServer(builder.asHandler(options));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const port = (server.address() as AddressInfo).port;
  return {
    send: (request) => sendNode(port, request),
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Sends one request to 127.0.0.1:`port` with exactly the given headers (no added encodings). */
export function sendNode(
  port: number,
  { method = "POST", headers = {}, body }: SentRequest,
  socketPath?: string,
): Promise<Received> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        ...(socketPath === undefined ? { host: "127.0.0.1", port } : { socketPath }),
        method,
        path: "/statefun",
        headers: {
          ...(body === undefined ? {} : { "Content-Length": String(body.length) }),
          ...headers,
        },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers as Record<string, string>,
            body: bytes,
            text: bytes.toString("utf8"),
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export type { Server };
