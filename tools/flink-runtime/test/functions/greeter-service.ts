// The greeter app served as its own process (so the Kafka scenarios can SIGKILL it):
//   node greeter-service.mjs <port>   prints "LISTENING <port>" once it listens on 127.0.0.1.
import { createServer } from "node:http";
import { greeterHandler } from "@statefun-ts/greeter";

const port = Number(process.argv[2] ?? "0");
const server = createServer(greeterHandler());
server.listen(port, "127.0.0.1", () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === "object" && address ? address.port : 0}\n`);
});
// Exit with the parent (the test), however it ends.
setInterval(() => {
  try {
    process.kill(process.ppid, 0);
  } catch {
    process.exit(0);
  }
}, 500).unref();
process.on("SIGTERM", () => process.exit(0));
