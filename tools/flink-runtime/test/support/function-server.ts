// Serves an SDK handler over node:http on 127.0.0.1 and records, per request, what the runtime
// asked and what the SDK answered (decoded with the wire code), to observe the missing-state
// handshake from outside the SDK.
import { createServer, type Server } from "node:http";
import type { RequestReplyHandler } from "@statefun-ts/sdk";
import { fromFunctionCodec, toFunctionCodec } from "@statefun-ts/sdk/wire";

/** One request/reply exchange as the function service saw it. */
export interface Exchange {
  /** `<namespace>/<type>` of the target. */
  readonly functionType: string;
  readonly id: string;
  /** State names the runtime sent with the request. */
  readonly statesSent: readonly string[];
  readonly invocations: number;
  /** `incomplete`: IncompleteInvocationContext; `result`: InvocationResponse. */
  readonly reply: "incomplete" | "result";
  /** State names the SDK reported missing (for `incomplete`). */
  readonly missing: readonly string[];
}

/** A function service listening on 127.0.0.1. */
export interface FunctionServer {
  /** e.g. `http://127.0.0.1:41234/statefun` */
  readonly url: string;
  readonly exchanges: readonly Exchange[];
  close(): Promise<void>;
}

/** Wraps `handler.invoke` so each exchange is decoded and recorded; serves it at `/statefun`. */
export async function serveFunctions(handler: RequestReplyHandler): Promise<FunctionServer> {
  const exchanges: Exchange[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      void (async () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const reply = await handler.invoke(body);
        exchanges.push(describeExchange(body, reply));
        res.writeHead(200, { "Content-Type": "application/octet-stream" });
        res.end(reply);
      })().catch((error: unknown) => {
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/statefun`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function describeExchange(request: Uint8Array, reply: Uint8Array): Exchange {
  const batch = toFunctionCodec.decode(request).invocation;
  const response = fromFunctionCodec.decode(reply);
  const target = batch?.target;
  const incomplete = response.incompleteInvocationContext;
  return {
    functionType: `${target?.namespace ?? ""}/${target?.type ?? ""}`,
    id: target?.id ?? "",
    statesSent: (batch?.state ?? []).map((s) => s.stateName ?? ""),
    invocations: batch?.invocations?.length ?? 0,
    reply: incomplete ? "incomplete" : "result",
    missing: (incomplete?.missingValues ?? []).map((v) => v.stateName ?? ""),
  };
}
