// Serves the greeter over HTTP on a free port and prints `listening <port>`.
import { createServer } from "node:http";
import { statefulFunctionsBuilder } from "@statefun-ts/sdk";
import { greeterSpec } from "./functions.mjs";

const handler = statefulFunctionsBuilder().withSpec(greeterSpec).asHandler();
const server = createServer(handler).listen(0, "127.0.0.1", () => {
  console.log(`listening ${server.address().port}`);
});
process.on("SIGTERM", () => server.close());
