// A small HTTP/1.1 load generator on raw keep-alive sockets (cheaper per request than
// http.Agent, so the server, not the client, is the bottleneck):
//   node load-client.mjs <port> <connections> <durationMs> <requestFile> <expectedReplyFile>
// Each connection sends the request, waits for the whole reply, sends again, until the time is up.
// Every reply must be 200 with the expected body. Prints one JSON line with the counts.

import { readFileSync } from "node:fs";
import net from "node:net";

const [portText, connectionsText, durationText, requestFile, replyFile] = process.argv.slice(2);
const port = Number(portText);
const connections = Number(connectionsText);
const durationMs = Number(durationText);
const body = readFileSync(requestFile);
const expected = readFileSync(replyFile);

const head = Buffer.from(
  `POST /statefun HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\nConnection: keep-alive\r\n\r\n`,
  "latin1",
);
const request = Buffer.concat([head, body]);
const HEADER_END = Buffer.from("\r\n\r\n");

let completed = 0;
let failed = 0;
let firstFailure;
let stopping = false;
const started = process.hrtime.bigint();
const cpuStart = process.cpuUsage();

function run() {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
    let buffer = Buffer.alloc(0);
    const send = () => {
      if (stopping) {
        socket.end();
        return;
      }
      socket.write(request);
    };
    socket.on("connect", send);
    socket.on("data", (chunk) => {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      for (;;) {
        const end = buffer.indexOf(HEADER_END);
        if (end < 0) return;
        const headers = buffer.toString("latin1", 0, end);
        const match = /\r\ncontent-length:\s*(\d+)/i.exec(headers);
        const length = match ? Number(match[1]) : 0;
        const total = end + 4 + length;
        if (buffer.length < total) return;
        const ok =
          headers.startsWith("HTTP/1.1 200") &&
          length === expected.length &&
          buffer.subarray(end + 4, total).equals(expected);
        if (ok) completed++;
        else {
          failed++;
          firstFailure ??= buffer.toString("latin1", 0, Math.min(total, 400));
        }
        buffer = buffer.subarray(total);
        send();
      }
    });
    socket.on("error", (error) => {
      failed++;
      firstFailure ??= error.message;
      resolve();
    });
    socket.on("close", resolve);
  });
}

setTimeout(() => {
  stopping = true;
}, durationMs);
await Promise.all(Array.from({ length: connections }, run));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const cpu = process.cpuUsage(cpuStart);
console.log(
  JSON.stringify({
    completed,
    failed,
    firstFailure,
    seconds,
    rps: completed / seconds,
    clientCpu: (cpu.user + cpu.system) / 1e6 / seconds,
  }),
);
