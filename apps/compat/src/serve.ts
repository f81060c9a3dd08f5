import { createServer, type Server } from "node:http";
import { statefulFunctionsBuilder } from "@statefun-ts/sdk";
import { registerRelay } from "./relay.js";

/** Serves the TS relay at http://127.0.0.1:<port>/statefun; resolves once listening. */
export async function serveRelay(port: number): Promise<Server> {
  const handler = registerRelay(statefulFunctionsBuilder()).asHandler();
  const server = createServer((req, res) => {
    if (req.url !== "/statefun") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("serving only /statefun\n");
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  return server;
}
