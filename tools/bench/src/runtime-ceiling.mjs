// The ceiling of the runtime benchmark, in its own process: a bare node:http server that reads
// each PUT and answers 202 with a compact JSON body like the runtime's, without state, queue or
// function call (`GET /count`: how many it answered). Whatever the runtime does per message
// comes on top of this on the same machine under the same wrk load. Listens on 127.0.0.1 on a
// free port, prints {"port": n}; exits when stdin closes.
import http from "node:http";

let answered = 0;
const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  if (req.method === "GET") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify(answered));
    return;
  }
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    answered += 1;
    const text = `${JSON.stringify({ accepted: true, target: req.url, bytes: Buffer.concat(chunks).length, seq: answered })}\n`;
    res.writeHead(202, {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
