// An HTTP server for the benchmark, in its own process:
//   node server.mjs ours   our node:http adapter, http.createServer(handler)
//   node server.mjs bare   a bare node:http server that reads the body and returns a fixed reply
//                          (our reply to the 1-invocation greeter batch: same size, same headers)
//   node server.mjs official  the official JS SDK 3.3.0 as its docs serve it:
//                          http.createServer(statefun.handler())
//   node server.mjs server our dedicated HTTP/1.1 server, createStatefunServer(handler)
// Listens on 127.0.0.1 on a free port and prints {"port": n} on stdout; exits when stdin closes.

import http from "node:http";
import { createStatefunServer } from "@statefun-ts/sdk";
import { greeterRequest, officialServer, ourHandler } from "./greeter.mjs";

const kind = process.argv[2];
const handler = ourHandler();
let listener;
if (kind === "ours") {
  listener = handler;
} else if (kind === "bare") {
  const reply = Buffer.from(await handler.invoke(greeterRequest(1)));
  listener = (req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      res.writeHead(200, {
        "Content-Type": "application/octet-stream",
        "Content-Length": reply.length,
      });
      res.end(reply);
    });
  };
} else if (kind === "official") {
  listener = officialServer();
} else if (kind !== "server") {
  console.error("usage: server.mjs <ours|bare|official|server>");
  process.exit(2);
}

const server =
  kind === "server"
    ? createStatefunServer(handler)
    : http.createServer({ keepAliveTimeout: 60_000 }, listener);
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
