// `npm start`: the greeter service and the local runtime together, with ready-to-paste commands.
import { pinoLog } from "@statefun-ts/runtime";
import { DEFAULT_DELAY_MS } from "./functions/delayed.js";
import { greeterLogger } from "./greeter-logger.js";
import { startGreeter } from "./start-greeter.js";

const logger = greeterLogger(process.argv.slice(2));
const delayMs = Number(process.env.DELAY_MS ?? DEFAULT_DELAY_MS);
const greeter = await startGreeter({
  delayMs,
  handler: { logger },
  ...(process.env.PORT ? { port: Number(process.env.PORT) } : {}),
  runtime: {
    // The runtime's log: pino, JSON lines unless stdout is a terminal (npm start -- --log-level warn).
    log: pinoLog(logger),
    reset: process.argv.includes("--reset"),
    // The inspector page: 8092 unless STATEFUN_INSPECTOR_PORT says otherwise (0 = any free port).
    inspectorPort: process.argv.includes("--no-inspector")
      ? false
      : Number(process.env.STATEFUN_INSPECTOR_PORT || 8092),
  },
});
const { ingressUrl, egressUrl, inspectorUrl, stateFile } = greeter.runtime;

console.log(`
statefun-ts greeter is running
  inspector  ${inspectorUrl ?? "off (npm start -- --no-inspector)"}   <- open it to see the state, the messages and the egress
  functions  ${greeter.functionsUrl}
  ingress    ${ingressUrl}
  egress     ${egressUrl}
  state      ${stateFile} (kept across restarts; npm start -- --reset wipes it)

Greet someone (a plain-text name, or a com.example/GreetRequest):
  curl -X PUT -H "Content-Type: text/plain" -d "Bob" ${ingressUrl}/com.example.fns/greeter/Bob
  curl -X PUT -H "Content-Type: application/vnd.com.example/GreetRequest" -d '{"name":"Alice"}' ${ingressUrl}/com.example.fns/greeter/Alice

Read the greetings (Kafka topic "greetings"), one at a time or all of them:
  curl ${egressUrl}/greetings
  curl "${egressUrl}/greetings/records?from=0"

A reply after ${delayMs} ms (DELAY_MS=5000 npm start for a shorter delay) to the inbox, and its cancellation:
  curl -X PUT -H "Content-Type: text/plain" -d "later" ${ingressUrl}/com.example.fns/delayed/Bob
  curl -X PUT -H "Content-Type: text/plain" -d "cancel" ${ingressUrl}/com.example.fns/delayed/Bob

Ctrl-C stops both.
`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log("\nstopping the runtime and the greeter...");
    greeter.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
