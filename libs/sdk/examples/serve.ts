// "Serving Functions": a handler for the greeter, served at :8000/statefun with node:http.
import { createServer, type Server } from "node:http";
import { Int32Type, statefulFunctionsBuilder, typeNameFrom } from "@statefun-ts/sdk";
import { Greeter } from "./greeter.js";

export function serve(port = 8000, host?: string): Server {
  const greeter = new Greeter({ name: "seen_count", valueType: Int32Type });

  const builder = statefulFunctionsBuilder();
  builder.withSpec({
    functionType: typeNameFrom("com.example.fns/greeter"),
    states: [greeter.seenCount],
    function: greeter,
  });

  const handler = builder.asHandler();
  const server = createServer((req, res) => {
    if (req.url === "/statefun") return handler(req, res);
    res.writeHead(404).end();
  });
  return host === undefined ? server.listen(port) : server.listen(port, host);
}

if (import.meta.url === `file://${process.argv[1]}`) serve();
